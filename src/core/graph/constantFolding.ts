/**
 * Values computed from constants only are constants too (as ONNX Runtime's constant folding sees
 * them): `ConstantOfShape`, and `Identity`/`Cast`/`Reshape`/`Unsqueeze`/`Squeeze`/`Transpose`/
 * `Concat` of constants, in chains. Folded once per graph, bounded in size and time, so a pair whose
 * weight an exporter wrote as such a chain is judged on the real numbers. `DequantizeLinear` is not
 * folded on purpose: turning an integer weight into a float one would silently drop quantization.
 */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import type { Graph, GraphNode } from './graphTypes';
import { inputsOf } from './nodeInputs';
import { topologicalOrder } from './topology';
import { reshapeShape } from './shapeOps';
import { isOnnxOp } from './onnxDomain';
import { elementCount, encodeInts, FLOAT_TYPES, makeFloatTensor, makeTensor, tensorDataProblem, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import { DataType, type TensorProto } from '../onnx/types';

/** Largest tensor one node may produce by folding, in elements. */
export const FOLD_MAX_ELEMENTS = 1 << 24;
/** All folded tensors of one graph together, in elements. */
const FOLD_BUDGET = 1 << 26;
/** Wall-clock bound for one graph, in milliseconds. */
const FOLD_TIME_MS = 2000;

const FOLDABLE: ReadonlySet<string> = new Set(['ConstantOfShape', 'Identity', 'Cast', 'Reshape', 'Unsqueeze', 'Squeeze', 'Transpose', 'Concat']);

/** Integer types whose values we can store; with their inclusive ranges. */
const INT_RANGES: ReadonlyMap<number, readonly [number, number]> = new Map([
  [DataType.INT64, [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]],
  [DataType.INT32, [-(2 ** 31), 2 ** 31 - 1]],
  [DataType.INT8, [-128, 127]],
  [DataType.UINT8, [0, 255]],
  [DataType.BOOL, [0, 1]],
]);

interface Dense {
  dtype: number;
  dims: number[];
  values: Float64Array;
}

export function foldConstants(g: Graph): void {
  // Most graphs have none of these ops fed by constants: look before paying for a topological order.
  let any = false;
  for (const n of g.nodes) {
    if (FOLDABLE.has(n.opType) && isOnnxOp(n) && n.proto.input.length > 0 && n.proto.input.every((name) => name === '' || g.values.get(name)?.constant !== undefined)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  const order = g.sorted ? null : topologicalOrder(g).order;
  const start = Date.now();
  let budget = FOLD_BUDGET;
  const count = g.nodes.length;
  for (let k = 0; k < count; k++) {
    const n = g.nodes[order ? order[k] : k];
    if (!FOLDABLE.has(n.opType) || !isOnnxOp(n)) continue;
    const out = n.proto.output[0];
    if (!out || n.proto.output.length !== 1) continue;
    const v = g.values.get(out);
    if (!v || v.constant !== undefined || v.producer !== n.index) continue;
    if (Date.now() - start > FOLD_TIME_MS) return;
    const result = foldNode(g, n, budget);
    if (!result) continue;
    budget -= result.values.length;
    v.constant = FLOAT_TYPES.has(result.dtype) ? makeFloatTensor(out, result.dims, result.values, result.dtype) : makeTensor(out, result.dtype, result.dims, encodeInts(result.values, result.dtype));
    g.folded.add(out);
  }
}

function dense(t: TensorProto | undefined): Dense | null {
  if (!t || tensorDataProblem(t) !== null) return null;
  const dtype = t.dataType ?? 0;
  if (!FLOAT_TYPES.has(dtype) && !INT_RANGES.has(dtype) && dtype !== DataType.INT16 && dtype !== DataType.UINT16 && dtype !== DataType.UINT32) return null;
  return { dtype, dims: tensorDims(t), values: tensorToFloat64(t) };
}

function storable(dtype: number, values: Float64Array): boolean {
  if (FLOAT_TYPES.has(dtype)) return true;
  const range = INT_RANGES.get(dtype);
  if (!range) return false;
  for (const x of values) if (!Number.isInteger(x) || x < range[0] || x > range[1]) return false;
  return true;
}

function ints(t: Dense | null): number[] | null {
  if (!t || t.dims.length > 1 || FLOAT_TYPES.has(t.dtype)) return null;
  return Array.from(t.values);
}

/** The folded output, or null when this node is not folded (unknown input, too big, unsupported). */
function foldNode(g: Graph, n: GraphNode, budget: number): Dense | null {
  const inputs = inputsOf(g, n).map((v) => (v === undefined ? null : dense(v.constant)));
  const x = inputs[0] ?? null;
  const p = n.proto;
  const fits = (dims: readonly number[]) => {
    const c = elementCount(dims);
    return Number.isSafeInteger(c) && c >= 0 && c <= FOLD_MAX_ELEMENTS && c <= budget;
  };
  let result: Dense | null = null;
  switch (n.opType) {
    case 'ConstantOfShape': {
      const shape = ints(x);
      if (!shape || shape.some((d) => !Number.isSafeInteger(d) || d < 0) || !fits(shape)) return null;
      const value = attr(p, 'value')?.t;
      const fill = value ? dense(value) : { dtype: DataType.FLOAT, dims: [1], values: new Float64Array([0]) };
      if (!fill || fill.values.length !== 1) return null;
      result = { dtype: fill.dtype, dims: shape, values: new Float64Array(elementCount(shape)).fill(fill.values[0]) };
      break;
    }
    case 'Identity':
      result = x;
      break;
    case 'Cast': {
      const to = attrInt(p, 'to');
      if (!x || to === undefined) return null;
      const values = FLOAT_TYPES.has(to) ? x.values : x.values.map((v) => (to === DataType.BOOL ? (v !== 0 ? 1 : 0) : Math.trunc(v)));
      result = { dtype: to, dims: x.dims, values };
      break;
    }
    case 'Reshape': {
      const shape = ints(inputs[1] ?? null);
      if (!x || !shape) return null;
      // Shape inference's rule, on numbers; the element count is checked with every result below.
      const dims = reshapeShape(x.dims, shape, null, attrInt(p, 'allowzero', 0) === 1);
      if (!dims || !dims.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0)) return null;
      result = { ...x, dims };
      break;
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      if (!x) return null;
      const axes = attrInts(p, 'axes') ?? (inputs[1] !== undefined ? ints(inputs[1]) : undefined);
      if (axes === null) return null;
      const dims = n.opType === 'Unsqueeze' ? unsqueezeDims(x.dims, axes ?? null) : squeezeDims(x.dims, axes);
      if (!dims) return null;
      result = { ...x, dims };
      break;
    }
    case 'Transpose': {
      if (!x) return null;
      const rank = x.dims.length;
      const perm = attrInts(p, 'perm') ?? x.dims.map((_, i) => rank - 1 - i);
      if (perm.length !== rank || new Set(perm).size !== rank || perm.some((a) => a < 0 || a >= rank)) return null;
      result = transpose(x, perm);
      break;
    }
    case 'Concat': {
      if (inputs.some((t) => t === null)) return null;
      result = concat(inputs as Dense[], attrInt(p, 'axis', 0));
      break;
    }
  }
  if (!result || !fits(result.dims) || elementCount(result.dims) !== result.values.length || !storable(result.dtype, result.values)) return null;
  return result;
}

function unsqueezeDims(from: readonly number[], axes: readonly number[] | null): number[] | null {
  if (!axes) return null;
  const rank = from.length + axes.length;
  const set = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  if (set.size !== axes.length || [...set].some((a) => a < 0 || a >= rank)) return null;
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : from[k++]);
  return out;
}

function squeezeDims(from: readonly number[], axes: readonly number[] | undefined): number[] | null {
  if (axes === undefined) return from.filter((d) => d !== 1);
  const set = new Set(axes.map((a) => (a < 0 ? a + from.length : a)));
  if ([...set].some((a) => a < 0 || a >= from.length || from[a] !== 1)) return null;
  return from.filter((_, i) => !set.has(i));
}

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

function transpose(x: Dense, perm: readonly number[]): Dense {
  const dims = perm.map((a) => x.dims[a]);
  const inStrides = strides(x.dims);
  const values = new Float64Array(x.values.length);
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < values.length; o++) {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += idx[k] * inStrides[perm[k]];
    values[o] = x.values[src];
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
  return { dtype: x.dtype, dims, values };
}

function concat(parts: readonly Dense[], axisAttr: number): Dense | null {
  const rank = parts[0].dims.length;
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  if (axis < 0 || axis >= rank) return null;
  for (const t of parts) {
    if (t.dtype !== parts[0].dtype || t.dims.length !== rank) return null;
    for (let i = 0; i < rank; i++) if (i !== axis && t.dims[i] !== parts[0].dims[i]) return null;
  }
  const dims = [...parts[0].dims];
  dims[axis] = parts.reduce((a, t) => a + t.dims[axis], 0);
  const outer = elementCount(dims.slice(0, axis));
  const values = new Float64Array(elementCount(dims));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of parts) {
      const block = elementCount(t.dims.slice(axis));
      values.set(t.values.subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  return { dtype: parts[0].dtype, dims, values };
}
