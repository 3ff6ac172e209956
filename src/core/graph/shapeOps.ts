/** Shape rules of the ops with more than one line of logic: MatMul, Conv/ConvTranspose, pools, reductions, Reshape. */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import type { GraphNode } from './graph';
import { broadcastShapes, normAxis, product, type Dim } from './dims';

/** Integer contents of small int tensors (shape vectors, axes), symbolic where they come from Shape. */
export type KnownInts = Map<string, Dim[]>;

export function intsOf(ints: KnownInts, name: string | undefined): number[] | null | undefined {
  if (!name) return undefined;
  const v = ints.get(name);
  if (!v) return null;
  return v.every((d) => typeof d === 'number') ? (v as number[]) : null;
}

export function propagateInts(ints: KnownInts, from: string, to: string): void {
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

export function spatialParams(node: GraphNode, spatial: number, kernel: Dim[]) {
  const p = node.proto;
  const strides = attrInts(p, 'strides') ?? new Array(spatial).fill(1);
  const dilations = attrInts(p, 'dilations') ?? new Array(spatial).fill(1);
  const pads = attrInts(p, 'pads') ?? new Array(spatial * 2).fill(0);
  const autoPad = attr(p, 'auto_pad')?.s ? new TextDecoder().decode(attr(p, 'auto_pad')!.s) : 'NOTSET';
  return { strides, dilations, pads, autoPad, kernel };
}

export function convShape(node: GraphNode, x: Dim[] | null, w: Dim[] | null, transpose: boolean): Dim[] | null {
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

export function poolShape(node: GraphNode, x: Dim[] | null): Dim[] | null {
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

export function reduceShape(node: GraphNode, x: Dim[] | null, ints: KnownInts): Dim[] | null {
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

export function reshapeShape(x: Dim[] | null, target: Dim[] | undefined, targetShape: Dim[] | null, allowZero: boolean): Dim[] | null {
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

export function symbolicQuotient(x: Dim[], out: Dim[], minus: number): Dim {
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
