/**
 * Shape inference: each value's dtype, rank and dims (numbers, symbolic names, or null = unknown).
 * Declared types (graph inputs, value_info, outputs, constants) come first; ops fill in the rest.
 * Anything that cannot be known stays unknown — a null dim or a null shape — never a guess.
 */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import type { Graph, GraphNode } from './graph';
import { isExternal, tensorDataProblem, tensorDims, tensorToFloat64, toNumber } from '../onnx/tensor';
import { DataType, type TypeProto } from '../onnx/types';
import { topologicalOrder } from './topology';

export type Dim = number | string | null;

export interface ValueType {
  dtype: number | undefined;
  /** null when even the rank is unknown. */
  shape: Dim[] | null;
}

export interface ShapeInfo {
  types: Map<string, ValueType>;
  /** Values whose declared shape contradicts what the ops imply (kept as declared). */
  conflicts: { value: string; declared: Dim[]; inferred: Dim[] }[];
}

const UNKNOWN: ValueType = { dtype: undefined, shape: null };

export function typeFromProto(tp: TypeProto | undefined): ValueType {
  const t = tp?.tensorType;
  if (!t) return UNKNOWN;
  const shape = t.shape ? t.shape.dim.map((d): Dim => (d.dimValue !== undefined ? toNumber(d.dimValue) : d.dimParam ? d.dimParam : null)) : null;
  return { dtype: t.elemType, shape };
}

export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return '[?]';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') return null; // incompatible: the model is wrong; say unknown
  if (typeof a === 'number') return a; // a symbol broadcast against N>1 must be N (or 1)
  if (typeof b === 'number') return b;
  return null;
}

export function broadcastShapes(shapes: (Dim[] | null)[]): Dim[] | null {
  if (shapes.some((s) => s === null)) return null;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s!.length);
      if (k >= 0) d = broadcastDim(d, s![k]);
    }
    out.push(d);
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Product of known dims; null when any is unknown. */
export function product(dims: readonly Dim[]): number | null {
  let p = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return null;
    p *= d;
  }
  return p;
}

const UNARY_SAME = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish', 'Gelu', 'Erf', 'Exp', 'Log',
  'Sqrt', 'Neg', 'Abs', 'Clip', 'Softplus', 'Softsign', 'Mish', 'Identity', 'Softmax', 'LogSoftmax', 'Hardmax',
  'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Sin', 'Cos', 'Celu', 'ThresholdedRelu', 'LpNormalization',
  'LayerNormalization', 'InstanceNormalization', 'LRN', 'MeanVarianceNormalization', 'GroupNormalization',
  'Dropout', 'BatchNormalization', 'PRelu', 'Not', 'IsNaN', 'IsInf', 'Shrink',
]);
const BINARY_BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod', 'BitShift', 'And', 'Or', 'Xor']);
const COMPARISON = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']);
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool']);
const GLOBAL_POOLS = new Set(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);
const REDUCES = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare', 'ReduceLogSum']);

/** Integer contents of small int tensors (shape vectors, axes), symbolic where they come from Shape. */
type KnownInts = Map<string, Dim[]>;

export function inferShapes(g: Graph): ShapeInfo {
  const types = new Map<string, ValueType>();
  const declared = new Map<string, ValueType>();
  const ints: KnownInts = new Map();
  const conflicts: ShapeInfo['conflicts'] = [];

  for (const vi of [...g.proto.input, ...g.proto.valueInfo, ...g.proto.output]) {
    if (!vi.name) continue;
    const t = typeFromProto(vi.type);
    if (t.dtype !== undefined || t.shape !== null) declared.set(vi.name, t);
  }
  for (const v of g.values.values()) {
    const c = v.constant ?? v.initializer;
    if (c && tensorDataProblem(c) === null) {
      types.set(v.name, { dtype: c.dataType, shape: tensorDims(c) });
      if (v.constant && (c.dataType === DataType.INT64 || c.dataType === DataType.INT32)) {
        const n = tensorDims(c).reduce((a, b) => a * b, 1);
        if (n <= 64) ints.set(v.name, Array.from(tensorToFloat64(c)));
      }
    } else if (c) {
      // Data not loaded (external) still has trustworthy dims; inconsistent data does not.
      types.set(v.name, { dtype: c.dataType, shape: isExternal(c) && tensorDims(c).every((d) => Number.isSafeInteger(d) && d >= 0) ? tensorDims(c) : null });
    }
  }
  for (const [name, t] of declared) if (!types.has(name)) types.set(name, t);

  const get = (name: string | undefined): ValueType => (name ? (types.get(name) ?? UNKNOWN) : UNKNOWN);

  const { order } = topologicalOrder(g);
  for (const idx of order) {
    const node = g.nodes[idx];
    if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
    const outs = inferNode(node, get, ints);
    node.proto.output.forEach((name, i) => {
      if (!name) return;
      // A value folded from constants has its tensor's exact type already.
      if (g.folded.size > 0 && g.folded.has(name)) return;
      const inferred = outs[i] ?? UNKNOWN;
      const decl = declared.get(name);
      types.set(name, mergeTypes(name, decl, inferred, conflicts));
    });
  }
  return { types, conflicts };
}

function mergeTypes(name: string, decl: ValueType | undefined, inf: ValueType, conflicts: ShapeInfo['conflicts']): ValueType {
  if (!decl) return inf;
  const dtype = decl.dtype ?? inf.dtype;
  if (decl.shape === null) return { dtype, shape: inf.shape };
  if (inf.shape === null) return { dtype, shape: decl.shape };
  if (decl.shape.length !== inf.shape.length) {
    conflicts.push({ value: name, declared: decl.shape, inferred: inf.shape });
    return { dtype, shape: decl.shape };
  }
  const shape = decl.shape.map((d, i) => {
    const e = inf.shape![i];
    if (typeof d === 'number') {
      if (typeof e === 'number' && e !== d) conflicts.push({ value: name, declared: decl.shape!, inferred: inf.shape! });
      return d;
    }
    return typeof e === 'number' ? e : (d ?? e);
  });
  return { dtype, shape };
}

type Getter = (name: string | undefined) => ValueType;

function inferNode(node: GraphNode, get: Getter, ints: KnownInts): ValueType[] {
  const p = node.proto;
  const op = node.opType;
  const x = get(p.input[0]);
  const shapeOf = (i: number): Dim[] | null => get(p.input[i]).shape;

  if (UNARY_SAME.has(op)) {
    const out: ValueType[] = [{ dtype: x.dtype, shape: x.shape }];
    if (op === 'Dropout') out.push({ dtype: DataType.BOOL, shape: x.shape });
    if (op === 'BatchNormalization') {
      const c = x.shape && x.shape.length > 1 ? x.shape[1] : null;
      out.push({ dtype: x.dtype, shape: [c] }, { dtype: x.dtype, shape: [c] });
    }
    if (op === 'LayerNormalization') out.push(UNKNOWN, UNKNOWN);
    return out;
  }
  if (BINARY_BROADCAST.has(op)) {
    return [{ dtype: x.dtype ?? get(p.input[1]).dtype, shape: broadcastShapes(p.input.map((_, i) => shapeOf(i))) }];
  }
  if (COMPARISON.has(op)) return [{ dtype: DataType.BOOL, shape: broadcastShapes([shapeOf(0), shapeOf(1)]) }];
  if (op === 'Where') return [{ dtype: get(p.input[1]).dtype, shape: broadcastShapes([shapeOf(0), shapeOf(1), shapeOf(2)]) }];

  switch (op) {
    case 'Cast':
      return [{ dtype: attrInt(p, 'to'), shape: x.shape }];
    case 'DequantizeLinear':
      return [{ dtype: get(p.input[1]).dtype ?? DataType.FLOAT, shape: x.shape }];
    case 'QuantizeLinear':
      return [{ dtype: p.input[2] ? get(p.input[2]).dtype : DataType.UINT8, shape: x.shape }];
    case 'CastLike':
      return [{ dtype: get(p.input[1]).dtype, shape: x.shape }];
    case 'Shape': {
      const rank = x.shape?.length ?? null;
      if (x.shape) {
        const start = normAxis(attrInt(p, 'start', 0), x.shape.length);
        const endAttr = attrInt(p, 'end');
        const end = endAttr === undefined ? x.shape.length : normAxis(endAttr, x.shape.length);
        const dims = x.shape.slice(Math.max(0, start), Math.min(x.shape.length, end));
        ints.set(p.output[0], dims);
        return [{ dtype: DataType.INT64, shape: [dims.length] }];
      }
      return [{ dtype: DataType.INT64, shape: [rank] }];
    }
    case 'Gemm': {
      const a = shapeOf(0);
      const b = shapeOf(1);
      const transA = attrInt(p, 'transA', 0);
      const transB = attrInt(p, 'transB', 0);
      const m = a && a.length === 2 ? a[transA ? 1 : 0] : null;
      const n = b && b.length === 2 ? b[transB ? 0 : 1] : null;
      return [{ dtype: x.dtype, shape: [m, n] }];
    }
    case 'MatMul':
      return [{ dtype: x.dtype, shape: matmulShape(shapeOf(0), shapeOf(1)) }];
    case 'Conv':
    case 'ConvTranspose':
      return [{ dtype: x.dtype, shape: convShape(node, shapeOf(0), shapeOf(1), op === 'ConvTranspose') }];
    case 'Flatten': {
      const s = x.shape;
      if (!s) return [{ dtype: x.dtype, shape: [null, null] }];
      const axis = normAxis(attrInt(p, 'axis', 1), s.length);
      const left = axis === 0 ? 1 : product(s.slice(0, axis));
      const right = product(s.slice(axis));
      return [{ dtype: x.dtype, shape: [left ?? (axis === 1 ? s[0] : null), right] }];
    }
    case 'Reshape':
      return [{ dtype: x.dtype, shape: reshapeShape(x.shape, ints.get(p.input[1]), shapeOf(1), attrInt(p, 'allowzero', 0) === 1) }];
    case 'Transpose': {
      const s = x.shape;
      if (!s) return [{ dtype: x.dtype, shape: null }];
      const perm = attrInts(p, 'perm') ?? s.map((_, i) => s.length - 1 - i);
      if (perm.length !== s.length) return [{ dtype: x.dtype, shape: null }];
      return [{ dtype: x.dtype, shape: perm.map((i) => s[i] ?? null) }];
    }
    case 'Squeeze': {
      const s = x.shape;
      const axes = attrInts(p, 'axes') ?? intsOf(ints, p.input[1]);
      if (!s) return [{ dtype: x.dtype, shape: null }];
      if (axes === undefined) {
        if (p.input[1]) return [{ dtype: x.dtype, shape: null }];
        if (s.some((d) => typeof d !== 'number')) return [{ dtype: x.dtype, shape: null }];
        return [{ dtype: x.dtype, shape: s.filter((d) => d !== 1) }];
      }
      if (axes === null) return [{ dtype: x.dtype, shape: null }];
      const drop = new Set(axes.map((a) => normAxis(a, s.length)));
      const out = s.filter((_, i) => !drop.has(i));
      propagateInts(ints, p.input[0], p.output[0]);
      return [{ dtype: x.dtype, shape: out }];
    }
    case 'Unsqueeze': {
      const s = x.shape;
      const axes = attrInts(p, 'axes') ?? intsOf(ints, p.input[1]);
      if (!s || !axes) return [{ dtype: x.dtype, shape: null }];
      const rank = s.length + axes.length;
      const set = new Set(axes.map((a) => normAxis(a, rank)));
      const out: Dim[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : (s[k++] ?? null));
      propagateInts(ints, p.input[0], p.output[0]);
      return [{ dtype: x.dtype, shape: out }];
    }
    case 'Concat': {
      const shapes = p.input.map((_, i) => shapeOf(i));
      const known = ints;
      const parts = p.input.map((n) => known.get(n));
      if (parts.every((v) => v !== undefined)) known.set(p.output[0], parts.flatMap((v) => v!));
      if (shapes.some((s) => s === null)) {
        const r = shapes.find((s) => s !== null);
        return [{ dtype: x.dtype, shape: r ? r.map(() => null) : null }];
      }
      const rank = shapes[0]!.length;
      if (shapes.some((s) => s!.length !== rank)) return [{ dtype: x.dtype, shape: null }];
      const axis = normAxis(attrInt(p, 'axis', 0), rank);
      const out: Dim[] = shapes[0]!.map((d, i) => {
        if (i === axis) {
          let sum = 0;
          for (const s of shapes) {
            if (typeof s![i] !== 'number') return null;
            sum += s![i] as number;
          }
          return sum;
        }
        return shapes.map((s) => s![i]).find((v) => typeof v === 'number') ?? d;
      });
      return [{ dtype: x.dtype, shape: out }];
    }
    case 'Gather': {
      const s = x.shape;
      const idx = shapeOf(1);
      if (!s || !idx) return [{ dtype: x.dtype, shape: null }];
      const axis = normAxis(attrInt(p, 'axis', 0), s.length);
      const src = ints.get(p.input[0]);
      const indices = ints.get(p.input[1]);
      if (src && indices && axis === 0 && s.length === 1) {
        const picked = indices.map((i) => (typeof i === 'number' ? (src[i < 0 ? i + src.length : i] ?? null) : null));
        ints.set(p.output[0], picked);
      }
      return [{ dtype: x.dtype, shape: [...s.slice(0, axis), ...idx, ...s.slice(axis + 1)] }];
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'GlobalLpPool': {
      const s = x.shape;
      return [{ dtype: x.dtype, shape: s ? s.map((d, i) => (i < 2 ? d : 1)) : null }];
    }
    case 'Constant':
      return [get(p.output[0])];
    case 'ConstantOfShape': {
      const dtype = attr(p, 'value')?.t?.dataType ?? DataType.FLOAT;
      const dims = ints.get(p.input[0]);
      if (dims) return [{ dtype, shape: [...dims] }];
      const s = x.shape;
      return [{ dtype, shape: s && s.length === 1 && typeof s[0] === 'number' && s[0] <= 64 ? new Array<Dim>(s[0]).fill(null) : null }];
    }
  }
  if (POOLS.has(op)) return [{ dtype: x.dtype, shape: poolShape(node, x.shape) }, { dtype: DataType.INT64, shape: poolShape(node, x.shape) }];
  if (GLOBAL_POOLS.has(op)) return [UNKNOWN];
  if (REDUCES.has(op)) return [{ dtype: x.dtype, shape: reduceShape(node, x.shape, ints) }];
  return [];
}

function intsOf(ints: KnownInts, name: string | undefined): number[] | null | undefined {
  if (!name) return undefined;
  const v = ints.get(name);
  if (!v) return null;
  return v.every((d) => typeof d === 'number') ? (v as number[]) : null;
}

function propagateInts(ints: KnownInts, from: string, to: string): void {
  const v = ints.get(from);
  if (v) ints.set(to, v);
}

export function matmulShape(a: Dim[] | null, b: Dim[] | null): Dim[] | null {
  if (!a || !b || a.length === 0 || b.length === 0) return null;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return null;
  const out: Dim[] = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

function spatialParams(node: GraphNode, spatial: number, kernel: Dim[]) {
  const p = node.proto;
  const strides = attrInts(p, 'strides') ?? new Array(spatial).fill(1);
  const dilations = attrInts(p, 'dilations') ?? new Array(spatial).fill(1);
  const pads = attrInts(p, 'pads') ?? new Array(spatial * 2).fill(0);
  const autoPad = attr(p, 'auto_pad')?.s ? new TextDecoder().decode(attr(p, 'auto_pad')!.s) : 'NOTSET';
  return { strides, dilations, pads, autoPad, kernel };
}

function convShape(node: GraphNode, x: Dim[] | null, w: Dim[] | null, transpose: boolean): Dim[] | null {
  const rank = x?.length ?? w?.length ?? null;
  // A convolution needs [N, C, spatial…]; a broken model may give it less.
  if (rank === null || rank < 3) return null;
  const spatial = rank - 2;
  const p = node.proto;
  const group = attrInt(p, 'group', 1);
  const outC = w ? (transpose ? (typeof w[1] === 'number' ? w[1] * group : null) : w[0]) : null;
  const kernel: Dim[] = attrInts(p, 'kernel_shape') ?? (w ? w.slice(2) : new Array(spatial).fill(null));
  const n = x ? x[0] : null;
  const prm = spatialParams(node, spatial, kernel);
  const out: Dim[] = [n, outC];
  for (let i = 0; i < spatial; i++) {
    const d = x ? x[i + 2] : null;
    const k = kernel[i];
    if (typeof d !== 'number' || typeof k !== 'number') {
      out.push(null);
      continue;
    }
    const s = prm.strides[i];
    const dil = prm.dilations[i];
    if (transpose) {
      const outPad = (attrInts(p, 'output_padding') ?? [])[i] ?? 0;
      const explicit = attrInts(p, 'output_shape');
      if (explicit) out.push(explicit[i] ?? null);
      else if (prm.autoPad === 'SAME_UPPER' || prm.autoPad === 'SAME_LOWER') out.push(d * s);
      else out.push(s * (d - 1) + outPad + ((k - 1) * dil + 1) - prm.pads[i] - prm.pads[i + spatial]);
      continue;
    }
    if (prm.autoPad === 'SAME_UPPER' || prm.autoPad === 'SAME_LOWER') out.push(Math.ceil(d / s));
    else if (prm.autoPad === 'VALID') out.push(Math.floor((d - ((k - 1) * dil + 1)) / s) + 1);
    else out.push(Math.floor((d + prm.pads[i] + prm.pads[i + spatial] - ((k - 1) * dil + 1)) / s) + 1);
  }
  return out;
}

function poolShape(node: GraphNode, x: Dim[] | null): Dim[] | null {
  if (!x) return null;
  const spatial = x.length - 2;
  const kernel = attrInts(node.proto, 'kernel_shape');
  if (!kernel) return null;
  const prm = spatialParams(node, spatial, kernel);
  const ceil = attrInt(node.proto, 'ceil_mode', 0) === 1;
  const out: Dim[] = [x[0], x[1]];
  for (let i = 0; i < spatial; i++) {
    const d = x[i + 2];
    const k = kernel[i];
    if (typeof d !== 'number') {
      out.push(null);
      continue;
    }
    const s = prm.strides[i];
    const dil = prm.dilations[i];
    if (prm.autoPad === 'SAME_UPPER' || prm.autoPad === 'SAME_LOWER') out.push(Math.ceil(d / s));
    else if (prm.autoPad === 'VALID') out.push(Math.floor((d - ((k - 1) * dil + 1)) / s) + 1);
    else {
      const span = (d + prm.pads[i] + prm.pads[i + spatial] - ((k - 1) * dil + 1)) / s;
      let o = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
      // ONNX: with ceil_mode, the last window must start inside the input or left padding.
      if (ceil && (o - 1) * s >= d + prm.pads[i]) o--;
      out.push(o);
    }
  }
  return out;
}

function reduceShape(node: GraphNode, x: Dim[] | null, ints: KnownInts): Dim[] | null {
  if (!x) return null;
  const p = node.proto;
  const keep = attrInt(p, 'keepdims', 1) === 1;
  let axes: number[] | null | undefined = attrInts(p, 'axes');
  if (axes === undefined && p.input[1]) axes = intsOf(ints, p.input[1]);
  if (axes === null) return keep ? x.map(() => null) : null;
  const all = axes === undefined || axes.length === 0;
  if (all && attrInt(p, 'noop_with_empty_axes', 0) === 1) return x;
  const set = new Set(all ? x.map((_, i) => i) : axes!.map((a) => normAxis(a, x.length)));
  const out: Dim[] = [];
  x.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

/** More axes than any real tensor has; a larger rank read from a model is treated as unknown. */
const MAX_RANK = 64;

function reshapeShape(x: Dim[] | null, target: Dim[] | undefined, targetShape: Dim[] | null, allowZero: boolean): Dim[] | null {
  if (!target) {
    // The rank is still known when the shape tensor's own length is.
    // (A declared length is not trusted past any real rank: it sizes an array here.)
    const r = targetShape && targetShape.length === 1 ? targetShape[0] : null;
    if (typeof r === 'number' && Number.isInteger(r) && r >= 0 && r <= MAX_RANK) return new Array(r).fill(null);
    return null;
  }
  const out: Dim[] = target.map((d, i) => {
    if (d === 0 && !allowZero) return x ? (x[i] ?? null) : null;
    if (d === -1) return null;
    return d;
  });
  const minus = target.indexOf(-1);
  if (minus >= 0 && x) {
    const total = product(x);
    const rest = product(out.filter((_, i) => i !== minus));
    if (total !== null && rest !== null && rest !== 0) out[minus] = total / rest;
    // Same symbolic factors on both sides (e.g. [batch, 4, 5] → [batch, -1]) leave the number.
    else out[minus] = symbolicQuotient(x, out, minus);
  } else if (minus >= 0 && !x) out[minus] = null;
  return out;
}

function symbolicQuotient(x: Dim[], out: Dim[], minus: number): Dim {
  // Cancel equal symbols on both sides; what is left must be plain numbers.
  const num = [...x];
  const den: Dim[] = [];
  for (let i = 0; i < out.length; i++) {
    if (i === minus) continue;
    const k = typeof out[i] === 'string' ? num.indexOf(out[i]) : -1;
    if (k >= 0) num.splice(k, 1);
    else den.push(out[i]);
  }
  const p = product(num);
  const q = product(den);
  if (p !== null && q !== null && q !== 0 && p % q === 0) return p / q;
  if (num.length === 1 && typeof num[0] === 'string' && q === 1) return num[0];
  return null;
}
