/**
 * Data propagation for small integer tensors: the values of shape vectors and indices, symbolic
 * where they come from a symbolic dim (`Shape` of `[batch, 197, 192]` is `[batch, 197, 192]`),
 * through the ops exporters compute target shapes with (`Shape → Gather → Unsqueeze → Concat →
 * Reshape`, `x.size(0) * 3`, `Where(Equal(shape, -1), 1, shape)` before an `Expand`…). An element
 * that cannot be known is null; Reshape, Expand, Tile, ConstantOfShape, Range and Slice read these
 * values to know their output shapes.
 */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import { tensorDataProblem, tensorToFloat64 } from '../onnx/tensor';
import type { GraphNode } from './graphTypes';
import { normAxis, type Dim, type ValueType } from './dims';
import { addDims, divDims, mulDims, productDims, subDims } from './symbolic';
import { sliceBounds, type KnownInts } from './shapeOps';

/** Larger tensors are not shape vectors: their values are not tracked. */
export const MAX_TRACKED = 64;

type Getter = (name: string | undefined) => ValueType;

/** The ops whose integer values are propagated (a set lookup per node keeps the 50k-node graph fast). */
export const DATA_OPS: ReadonlySet<string> = new Set([
  'Shape', 'Size', 'Identity', 'Cast', 'Unsqueeze', 'Squeeze', 'Flatten', 'Reshape', 'Concat', 'Gather', 'Slice',
  'Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'Equal', 'Where', 'ConstantOfShape', 'Range', 'Expand', 'Neg', 'Abs',
]);

/** Numbers only (for indices, axes, steps). */
function numbers(v: readonly Dim[] | undefined): number[] | null {
  if (!v) return null;
  for (const d of v) if (typeof d !== 'number') return null;
  return v as number[];
}

/** Elementwise over two vectors with broadcasting of length-1 (or scalar) operands. */
function zip(a: readonly Dim[], b: readonly Dim[], f: (x: Dim, y: Dim) => Dim): Dim[] | null {
  const n = Math.max(a.length, b.length);
  if ((a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return null;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) out.push(f(a[a.length === 1 ? 0 : i], b[b.length === 1 ? 0 : i]));
  return out;
}

/** Integer division as ONNX's Div on integers (truncation), exact for symbolic products. */
function divInt(x: Dim, y: Dim): Dim {
  if (typeof x === 'number' && typeof y === 'number') return y === 0 ? null : Math.trunc(x / y);
  return divDims(x, y);
}

/** 1 / 0 for a comparison that can be decided: dims are never negative, so a symbol is never −1. */
function equal(x: Dim, y: Dim): Dim {
  if (x === null || y === null) return null;
  if (typeof x === 'number' && typeof y === 'number') return x === y ? 1 : 0;
  if (x === y) return 1;
  const n = typeof x === 'number' ? x : typeof y === 'number' ? y : null;
  return n !== null && n < 0 ? 0 : null;
}

/** ONNX Slice on a 1-D vector of values. */
function slice1d(data: readonly Dim[], starts: number[], ends: number[], axes: number[] | null, steps: number[] | null): Dim[] | null {
  if (starts.length !== 1 || ends.length !== 1 || (axes && (axes.length !== 1 || normAxis(axes[0], 1) !== 0))) return null;
  const step = steps ? steps[0] : 1;
  if (step === 0) return null;
  const [s, e] = sliceBounds(data.length, starts[0], ends[0], step);
  const out: Dim[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(data[i]);
  return out;
}

function fillValue(node: GraphNode): number | null {
  const t = attr(node.proto, 'value')?.t;
  if (!t) return 0;
  if (tensorDataProblem(t) !== null) return null;
  const v = tensorToFloat64(t);
  return v.length === 1 ? v[0] : null;
}

/** Sets the values of `node`'s first output in `ints` when they can be known from its inputs. */
export function propagateData(node: GraphNode, get: Getter, ints: KnownInts): void {
  const p = node.proto;
  const out = p.output[0];
  if (!out) return;
  // Every op here but Shape and Size needs the values of its first input: most nodes stop here.
  if (node.opType !== 'Shape' && node.opType !== 'Size' && !ints.has(p.input[0])) return;
  const v = (i: number): Dim[] | undefined => (p.input[i] ? ints.get(p.input[i]) : undefined);
  let r: Dim[] | null = null;
  switch (node.opType) {
    case 'Shape': {
      const s = get(p.input[0]).shape;
      if (!s) return;
      const start = normAxis(attrInt(p, 'start', 0), s.length);
      const endAttr = attrInt(p, 'end');
      const end = endAttr === undefined ? s.length : normAxis(endAttr, s.length);
      r = s.slice(Math.max(0, start), Math.min(s.length, end));
      break;
    }
    case 'Size': {
      const s = get(p.input[0]).shape;
      r = s ? [productDims(s)] : null;
      break;
    }
    case 'Identity':
    case 'Cast':
    case 'Unsqueeze':
    case 'Squeeze':
    case 'Flatten':
    case 'Reshape':
      // The values, in order, are unchanged (a Cast of shape values to another integer type or float).
      r = v(0) ?? null;
      break;
    case 'Concat': {
      const parts = p.input.map((_, i) => v(i));
      if (parts.every((x) => x !== undefined)) r = parts.flatMap((x) => x!);
      break;
    }
    case 'Gather': {
      const data = v(0);
      const idx = numbers(v(1));
      const s = get(p.input[0]).shape;
      if (data && idx && s && s.length === 1 && normAxis(attrInt(p, 'axis', 0), 1) === 0) r = idx.map((i) => data[i < 0 ? i + data.length : i] ?? null);
      break;
    }
    case 'Slice': {
      const data = v(0);
      const starts = attrInts(p, 'starts') ?? numbers(v(1));
      const ends = attrInts(p, 'ends') ?? numbers(v(2));
      const axes = attrInts(p, 'axes') ?? (p.input[3] ? numbers(v(3)) : null);
      const steps = p.input[4] ? numbers(v(4)) : null;
      if (data && starts && ends) r = slice1d(data, starts, ends, axes, steps);
      break;
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min': {
      const a = v(0);
      const b = v(1);
      const f = ARITHMETIC[node.opType as keyof typeof ARITHMETIC];
      if (a && b) r = zip(a, b, f);
      break;
    }
    case 'Neg':
    case 'Abs': {
      const a = numbers(v(0));
      if (a) r = a.map((x) => (node.opType === 'Neg' ? -x : Math.abs(x)));
      break;
    }
    case 'Equal': {
      const a = v(0);
      const b = v(1);
      if (a && b) r = zip(a, b, equal);
      break;
    }
    case 'Where': {
      const c = v(0);
      const a = v(1);
      const b = v(2);
      if (c && a && b) {
        const n = Math.max(c.length, a.length, b.length);
        const at = (x: readonly Dim[], i: number) => x[x.length === 1 ? 0 : i];
        if ([c, a, b].every((x) => x.length === 1 || x.length === n)) r = Array.from({ length: n }, (_, i) => (at(c, i) === null ? null : at(c, i) ? at(a, i) : at(b, i)));
      }
      break;
    }
    case 'ConstantOfShape': {
      const shape = numbers(v(0));
      const fill = fillValue(node);
      const n = shape ? shape.reduce((x, y) => x * y, 1) : null;
      if (shape && fill !== null && n !== null && n <= MAX_TRACKED) r = new Array<Dim>(n).fill(fill);
      break;
    }
    case 'Range': {
      const [start, limit, delta] = [numbers(v(0)), numbers(v(1)), numbers(v(2))];
      if (start && limit && delta && delta[0] !== 0) {
        const n = Math.max(Math.ceil((limit[0] - start[0]) / delta[0]), 0);
        if (n <= MAX_TRACKED) r = Array.from({ length: n }, (_, i) => start[0] + i * delta[0]);
      }
      break;
    }
    case 'Expand': {
      const a = v(0);
      const shape = numbers(v(1));
      if (a && shape && shape.length <= 1) {
        const n = shape.length === 0 ? a.length : Math.max(shape[0], a.length);
        if (a.length === n || a.length === 1) r = Array.from({ length: n }, (_, i) => a[a.length === 1 ? 0 : i]);
      }
      break;
    }
  }
  if (r && r.length <= MAX_TRACKED) ints.set(out, r);
}

const ARITHMETIC = { Add: addDims, Sub: subDims, Mul: mulDims, Div: divInt, Max: numMax, Min: numMin };

function numMax(x: Dim, y: Dim): Dim {
  return typeof x === 'number' && typeof y === 'number' ? Math.max(x, y) : x !== null && x === y ? x : null;
}

function numMin(x: Dim, y: Dim): Dim {
  return typeof x === 'number' && typeof y === 'number' ? Math.min(x, y) : x !== null && x === y ? x : null;
}
