/** Dims and shapes: a dim is a number, a symbolic name, or null (unknown); a shape null when even the rank is unknown. */
import { toNumber } from '../onnx/tensor';
import type { TypeProto } from '../onnx/types';

export type Dim = number | string | null;

export interface ValueType {
  dtype: number | undefined;
  /** null when even the rank is unknown. */
  shape: Dim[] | null;
}

/** The type of each value by name (see valueTypes.ts: held on the graph's values, not in a map of their own). */
export interface TypeLookup {
  get(name: string): ValueType | undefined;
}

export interface ShapeInfo {
  types: TypeLookup;
  /** Values whose declared shape contradicts what the ops imply (kept as declared). */
  conflicts: { value: string; declared: Dim[]; inferred: Dim[] }[];
}

export const UNKNOWN: ValueType = { dtype: undefined, shape: null };

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

export function broadcastDim(a: Dim, b: Dim): Dim {
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

export function normAxis(axis: number, rank: number): number {
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
