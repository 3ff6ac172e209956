/**
 * Shape inference: each value's dtype, rank and dims (numbers, symbolic names, or null = unknown).
 * Declared types (graph inputs, value_info, outputs, constants) come first; ops fill in the rest.
 * Anything that cannot be known stays unknown — a null dim or a null shape — never a guess.
 */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import { buildGraph, type Graph, type GraphNode } from './graph';
import type { GraphProto, TensorProto } from '../onnx/types';
import { isExternal, tensorDataProblem, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import { DataType } from '../onnx/types';
import { topologicalOrder } from './topology';
import { broadcastShapes, normAxis, product, typeFromProto, UNKNOWN, type Dim, type ShapeInfo, type ValueType } from './dims';
import { convShape, einsumShape, expandShape, intsOf, matmulShape, poolShape, rangeShape, reduceShape, reshapeShape, sliceShape, splitShapes, tileShape, type KnownInts } from './shapeOps';
import { DATA_OPS, MAX_TRACKED, propagateData } from './dataProp';
import { isOnnxOp } from './onnxDomain';
import { TypeTable } from './typeTable';
import { ValueTypes } from './valueTypes';

export { broadcastShapes, formatShape, product, typeFromProto, type Dim, type ShapeInfo, type ValueType } from './dims';
export { matmulShape } from './shapeOps';

const UNARY_SAME = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish', 'Gelu', 'Erf', 'Exp', 'Log',
  'Sqrt', 'Neg', 'Abs', 'Clip', 'Softplus', 'Softsign', 'Mish', 'Identity', 'Softmax', 'LogSoftmax', 'Hardmax',
  'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Sin', 'Cos', 'Celu', 'ThresholdedRelu', 'LpNormalization',
  'LayerNormalization', 'InstanceNormalization', 'LRN', 'MeanVarianceNormalization', 'GroupNormalization',
  'Dropout', 'BatchNormalization', 'PRelu', 'Not', 'IsNaN', 'IsInf', 'Shrink', 'Trilu',
]);
const BINARY_BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod', 'BitShift', 'And', 'Or', 'Xor']);
const COMPARISON = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']);
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool']);
const GLOBAL_POOLS = new Set(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);
const REDUCES = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare', 'ReduceLogSum']);


/** What a subgraph sees of the graphs around it. */
interface Outer {
  /** Types of outer-scope names it reads. */
  types: (name: string) => ValueType | undefined;
  /** Known values of outer-scope integer tensors (shape vectors). */
  ints: (name: string) => Dim[] | undefined;
  /** Types the node passes to the body's inputs, where the body declares none. */
  inputs: ReadonlyMap<string, ValueType>;
}

/** Subgraphs nested deeper than this are not inferred (their outputs stay unknown). */
const MAX_BODY_DEPTH = 16;

/**
 * A constant's shape: its dims list itself when every dim is a plain number (shapes are never
 * changed in place), else a converted copy — one array less per weight, ~14,000 on a 10k model.
 */
function constantShape(t: TensorProto): Dim[] {
  for (const d of t.dims) if (typeof d !== 'number') return tensorDims(t);
  return t.dims as number[];
}

export function inferShapes(g: Graph, outer?: Outer, depth = 0): ShapeInfo {
  const types = new ValueTypes(g.values);
  const declared = new Map<string, ValueType>();
  const ints: KnownInts = new Map();
  const conflicts: ShapeInfo['conflicts'] = [];

  for (const vi of [...g.proto.input, ...g.proto.valueInfo, ...g.proto.output]) {
    if (!vi.name) continue;
    const t = typeFromProto(vi.type);
    if (t.dtype !== undefined || t.shape !== null) declared.set(vi.name, t);
  }
  // One type object per distinct type, for the model's weights (thousands of them) as for its activations.
  const shared = new TypeTable();
  for (const v of g.values.values()) {
    const c = v.constant ?? v.initializer;
    if (c && tensorDataProblem(c) === null) {
      types.set(v.name, shared.one({ dtype: c.dataType, shape: constantShape(c) }));
      if (v.constant && (c.dataType === DataType.INT64 || c.dataType === DataType.INT32)) {
        const n = tensorDims(c).reduce((a, b) => a * b, 1);
        if (n <= MAX_TRACKED) ints.set(v.name, Array.from(tensorToFloat64(c)));
      }
    } else if (c) {
      // Data not loaded (external) still has trustworthy dims; inconsistent data does not.
      types.set(v.name, shared.one({ dtype: c.dataType, shape: isExternal(c) && tensorDims(c).every((d) => Number.isSafeInteger(d) && d >= 0) ? tensorDims(c) : null }));
    }
  }
  for (const [name, t] of declared) if (!types.has(name)) types.set(name, shared.one(t));
  if (outer) {
    for (const [name, t] of outer.inputs) if (!types.get(name)?.shape) types.set(name, { dtype: types.get(name)?.dtype ?? t.dtype, shape: t.shape });
    for (const v of g.values.values()) {
      if (v.producer >= 0 || v.initializer || v.isGraphInput) continue;
      const known = outer.ints(v.name);
      if (known) ints.set(v.name, known);
    }
  }

  const get = (name: string | undefined): ValueType => (name ? (types.get(name) ?? outer?.types(name) ?? UNKNOWN) : UNKNOWN);

  const { order } = topologicalOrder(g);
  for (const idx of order) {
    const node = g.nodes[idx];
    if (!isOnnxOp(node)) continue;
    if (DATA_OPS.has(node.opType)) propagateData(node, get, ints);
    const outs = CONTROL_FLOW.has(node.opType) ? controlFlowShapes(g, node, get, ints, depth) : inferNode(node, get, ints);
    node.proto.output.forEach((name, i) => {
      if (!name) return;
      // A value folded from constants has its tensor's exact type already.
      if (g.folded.size > 0 && g.folded.has(name)) return;
      const inferred = outs[i] ?? UNKNOWN;
      const decl = declared.get(name);
      types.set(name, shared.one(mergeTypes(name, decl, inferred, conflicts)));
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
      // Its values (the dims) are propagated by dataProp.ts; here only its length.
      const known = ints.get(p.output[0]);
      return [{ dtype: DataType.INT64, shape: [known ? known.length : null] }];
    }
    case 'Size':
      return [{ dtype: DataType.INT64, shape: [] }];
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
      return [{ dtype: x.dtype, shape: s.filter((_, i) => !drop.has(i)) }];
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
      return [{ dtype: x.dtype, shape: out }];
    }
    case 'Concat': {
      const shapes = p.input.map((_, i) => shapeOf(i));
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
    case 'Expand':
      return [{ dtype: x.dtype, shape: expandShape(x.shape, ints.get(p.input[1])) }];
    case 'Tile':
      return [{ dtype: x.dtype, shape: tileShape(x.shape, ints.get(p.input[1])) }];
    case 'Slice':
      return [{ dtype: x.dtype, shape: sliceShape(node, x.shape, ints) }];
    case 'Split':
      return splitShapes(node, x.shape, ints).map((shape) => ({ dtype: x.dtype, shape }));
    case 'Range':
      return [{ dtype: x.dtype, shape: rangeShape(ints, p.input[0], p.input[1], p.input[2]) }];
    case 'Einsum':
      return [{ dtype: x.dtype, shape: einsumShape(node, p.input.map((_, i) => shapeOf(i))) }];
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

const CONTROL_FLOW: ReadonlySet<string> = new Set(['If', 'Loop', 'Scan']);

/** The same shape from both sides, dim by dim; what differs is unknown. */
function mergeShapes(a: Dim[] | null, b: Dim[] | null): Dim[] | null {
  if (!a || !b || a.length !== b.length) return null;
  return a.map((d, i) => (d === b[i] ? d : null));
}

/**
 * If, Loop and Scan: their bodies are inferred as graphs of their own (outer names resolve to this
 * graph's types; body inputs without a declared type get the types the node passes in), and the
 * node's outputs follow from the bodies' outputs.
 */
function controlFlowShapes(g: Graph, node: GraphNode, get: Getter, ints: KnownInts, depth: number): ValueType[] {
  const p = node.proto;
  const bodyOf = (name: string) => p.attribute.find((a) => a.name === name)?.g;
  const infer = (body: GraphProto | undefined, inputs: ValueType[]): ValueType[] | null => {
    if (!body || depth >= MAX_BODY_DEPTH) return null;
    const given = new Map<string, ValueType>();
    body.input.forEach((vi, i) => vi.name && inputs[i] && given.set(vi.name, inputs[i]));
    const bg = buildGraph({ ...g.model, graph: body });
    const info = inferShapes(bg, { types: (name) => get(name), ints: (name) => ints.get(name), inputs: given }, depth + 1);
    return body.output.map((o) => info.types.get(o.name ?? '') ?? get(o.name));
  };
  switch (node.opType) {
    case 'If': {
      const a = infer(bodyOf('then_branch'), []);
      const b = infer(bodyOf('else_branch'), []);
      if (!a || !b) return [];
      return p.output.map((_, i) => (a[i] && b[i] ? { dtype: a[i].dtype ?? b[i].dtype, shape: mergeShapes(a[i].shape, b[i].shape) } : UNKNOWN));
    }
    case 'Loop': {
      // Inputs: M, cond, N carried values; body: (iteration, cond, carried…) → (cond, carried…, scan outputs…).
      const carried = p.input.slice(2).map((n) => get(n));
      const out = infer(bodyOf('body'), [{ dtype: DataType.INT64, shape: [] }, { dtype: DataType.BOOL, shape: [] }, ...carried]);
      if (!out) return [];
      const m = ints.get(p.input[0])?.[0] ?? null;
      const trips: Dim = typeof m === 'number' && !p.input[1] ? m : null;
      return p.output.map((_, i) => {
        if (i < carried.length) return { dtype: carried[i].dtype, shape: mergeShapes(carried[i].shape, out[1 + i]?.shape ?? null) };
        const o = out[1 + i];
        return o ? { dtype: o.dtype, shape: o.shape ? [trips, ...o.shape] : null } : UNKNOWN;
      });
    }
    case 'Scan': {
      const k = attrInt(p, 'num_scan_inputs', 0);
      const n = p.input.length - k;
      const states = p.input.slice(0, n).map((x) => get(x));
      const scans = p.input.slice(n).map((x) => get(x));
      const inAxes = attrInts(p, 'scan_input_axes') ?? scans.map(() => 0);
      const elems = scans.map((t, i) => ({ dtype: t.dtype, shape: t.shape ? t.shape.filter((_, a) => a !== normAxis(inAxes[i] ?? 0, t.shape!.length)) : null }));
      const first = scans[0]?.shape;
      const seq: Dim = first ? (first[normAxis(inAxes[0] ?? 0, first.length)] ?? null) : null;
      const out = infer(bodyOf('body'), [...states, ...elems]);
      if (!out) return [];
      const outAxes = attrInts(p, 'scan_output_axes');
      return p.output.map((_, i) => {
        if (i < n) return { dtype: states[i].dtype, shape: mergeShapes(states[i].shape, out[i]?.shape ?? null) };
        const o = out[i];
        if (!o?.shape) return UNKNOWN;
        const axis = normAxis(outAxes?.[i - n] ?? 0, o.shape.length + 1);
        return { dtype: o.dtype, shape: [...o.shape.slice(0, axis), seq, ...o.shape.slice(axis)] };
      });
    }
  }
  return [];
}
