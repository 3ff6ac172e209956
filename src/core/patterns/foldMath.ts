/**
 * The numbers every fold shares, computed in float64: BatchNormalization as an affine map per
 * channel (s = γ/√(σ²+ε), t = β − s·μ), a weight scaled along one axis, and biases of the shapes a
 * Linear may carry ([], [1], [n], [1, n], [rows, n], [rows, 1]).
 */
import type { Graph } from '../graph/graph';
import { makeFloatTensor, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import type { TensorProto } from '../onnx/types';
import type { BatchNormPart, NormPart } from '../rules/pair';
import type { Edits } from '../rewrite/edits';
import type { Dense } from './types';

export function constTensor(g: Graph, name: string): TensorProto {
  const t = g.values.get(name)?.constant;
  if (!t) throw new Error(`internal: "${name}" is not a constant`);
  return t;
}

export function dense(t: TensorProto): Dense {
  return { dims: tensorDims(t), values: tensorToFloat64(t), dtype: t.dataType ?? 1 };
}

/** BN per channel: s = γ/√(σ²+ε) and t = β − s·μ. */
export function bnAffine(g: Graph, bn: BatchNormPart): { s: Float64Array; t: Float64Array } {
  const gamma = tensorToFloat64(constTensor(g, bn.scale));
  const beta = tensorToFloat64(constTensor(g, bn.bias));
  const mean = tensorToFloat64(constTensor(g, bn.mean));
  const variance = tensorToFloat64(constTensor(g, bn.variance));
  const s = new Float64Array(gamma.length);
  const t = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    s[c] = gamma[c] / Math.sqrt(variance[c] + bn.epsilon);
    t[c] = beta[c] - s[c] * mean[c];
  }
  return { s, t };
}

/**
 * The normalization as z = s·x + t: a BatchNormalization's (bnAffine), or a Mul [+ Add] of
 * constants, whose values (in storage order, one per channel or one) are s and t (t = 0 without the Add).
 */
export function normAffine(g: Graph, n: NormPart): { s: Float64Array; t: Float64Array } {
  switch (n.op) {
    case 'BatchNormalization':
      return bnAffine(g, n);
    case 'Mul':
      return { s: tensorToFloat64(constTensor(g, n.scale)), t: n.shift ? tensorToFloat64(constTensor(g, n.shift.constant)) : new Float64Array(1) };
  }
}

/** Per-channel values as one value per index `0…n-1`: index i takes channel `channelOf(i)` (or the one channel). */
export function expand(v: Float64Array, n: number, channelOf: (i: number) => number = (i) => i): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v[v.length === 1 ? 0 : channelOf(i)];
  return out;
}

/** W with every slice along `axis` multiplied by `scale[index along axis]`. */
export function scaleAxis(w: Dense, axis: number, scale: Float64Array): Dense {
  const inner = w.dims.slice(axis + 1).reduce((a, d) => a * d, 1);
  const size = w.dims[axis];
  const out = new Float64Array(w.values.length);
  for (let i = 0; i < out.length; i++) out[i] = scale[Math.floor(i / inner) % size] * w.values[i];
  return { ...w, values: out };
}

/**
 * The effective bias a Linear adds, as stored shape and values ([n] zeros when it has none), times
 * `factor` (Gemm's beta).
 */
export function effectiveBias(old: TensorProto | undefined, n: number, factor: number, dtype: number): Dense {
  if (!old) return { dims: [n], values: new Float64Array(n), dtype };
  const d = dense(old);
  return { ...d, values: d.values.map((x) => factor * x) };
}

/**
 * A new bias of `n` features from an old one of any broadcastable shape ([], [1], [n], [1, n],
 * [rows, n], [rows, 1]): value(r, c) = f(old(r, c), c).
 */
export function rebias(old: Dense, n: number, f: (b: number, c: number) => number): Dense {
  const dims = old.dims;
  const rows = dims.length === 2 ? dims[0] : 1;
  const last = dims.length === 0 ? 1 : dims[dims.length - 1];
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < n; c++) out[r * n + c] = f(old.values[(rows > 1 ? r * last : 0) + (last === 1 ? 0 : c)], c);
  return { dims: rows > 1 ? [rows, n] : dims.length === 2 ? [1, n] : [n], values: out, dtype: old.dtype };
}

/** Adds a folded tensor to the model under a fresh name. */
export function addInitializer(e: Edits, base: string, t: Dense): string {
  const name = e.names.fresh(base);
  e.newInits.push(makeFloatTensor(name, t.dims, t.values, t.dtype));
  return name;
}
