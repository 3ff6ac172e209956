/** Shape rules of the ops with more than one line of logic: MatMul, Conv/ConvTranspose, pools, reductions, Reshape, Expand, Tile, Slice, Split, Range, Einsum. */
import { attr, attrInt, attrInts } from '../onnx/attributes';
import type { GraphNode } from './graphTypes';
import { broadcastShapes, normAxis, type Dim } from './dims';
import { divDims, mulDims, productDims } from './symbolic';

/** Integer contents of small int tensors (shape vectors, axes), symbolic where they come from Shape. */
export type KnownInts = Map<string, Dim[]>;

export function intsOf(ints: KnownInts, name: string | undefined): number[] | null | undefined {
  if (!name) return undefined;
  const v = ints.get(name);
  if (!v) return null;
  return v.every((d) => typeof d === 'number') ? (v as number[]) : null;
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
    return typeof d === 'number' && d < 0 ? null : d;
  });
  const minus = target.indexOf(-1);
  // −1 takes what is left: the input's element count over the other dims, symbolic products included.
  if (minus >= 0) out[minus] = x ? divDims(productDims(x), productDims(out.filter((_, i) => i !== minus))) : null;
  return out;
}

/** Expand: the input broadcast against the target shape (numpy rules). */
export function expandShape(x: Dim[] | null, target: Dim[] | undefined): Dim[] | null {
  if (!x || !target) return null;
  return broadcastShapes([x, target.map((d) => (typeof d === 'number' && d < 0 ? null : d))]);
}

export function tileShape(x: Dim[] | null, repeats: Dim[] | undefined): Dim[] | null {
  if (!x) return null;
  if (!repeats || repeats.length !== x.length) return x.map(() => null);
  return x.map((d, i) => mulDims(d, repeats[i]));
}

/** The length of one sliced axis; a symbolic dim survives a slice that keeps all of it. */
/** ONNX Slice's effective start and end on an axis of length n: negative indices counted from the end, then clamped (step ≠ 0). */
export function sliceBounds(n: number, start: number, end: number, step: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const s = start < 0 ? start + n : start;
  const e = end < 0 ? end + n : end;
  return step > 0 ? [clamp(s, 0, n), clamp(e, 0, n)] : [clamp(s, -1, n - 1), clamp(e, -1, n - 1)];
}

function sliceLength(d: Dim, start: number, end: number, step: number): Dim {
  const BIG = 2 ** 31 - 1;
  if (typeof d !== 'number') return step === 1 && start === 0 && end >= BIG ? d : step === -1 && start >= BIG && end <= -BIG ? d : null;
  const [s, e] = sliceBounds(d, start, end, step);
  return Math.max(0, Math.ceil((e - s) / step));
}

export function sliceShape(node: GraphNode, x: Dim[] | null, ints: KnownInts): Dim[] | null {
  if (!x) return null;
  const p = node.proto;
  const starts = attrInts(p, 'starts') ?? intsOf(ints, p.input[1]);
  const ends = attrInts(p, 'ends') ?? intsOf(ints, p.input[2]);
  const axesIn = attrInts(p, 'axes') ?? (p.input[3] ? intsOf(ints, p.input[3]) : undefined);
  const steps = p.input[4] ? intsOf(ints, p.input[4]) : undefined;
  if (!starts || !ends || axesIn === null || steps === null || starts.length !== ends.length) return x.map(() => null);
  const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normAxis(a, x.length));
  const out = [...x];
  for (let i = 0; i < axes.length; i++) {
    const step = steps ? steps[i] : 1;
    if (step === 0 || axes[i] < 0 || axes[i] >= x.length) return x.map(() => null);
    out[axes[i]] = sliceLength(x[axes[i]], starts[i], ends[i], step);
  }
  return out;
}

/** Split: the part sizes from the attribute or input, else equal parts (opset 18's num_outputs, or the output count). */
export function splitShapes(node: GraphNode, x: Dim[] | null, ints: KnownInts): (Dim[] | null)[] {
  const p = node.proto;
  const n = p.output.length;
  if (!x) return p.output.map(() => null);
  const axis = normAxis(attrInt(p, 'axis', 0), x.length);
  const sizes = attrInts(p, 'split') ?? (p.input[1] ? intsOf(ints, p.input[1]) : undefined);
  const d = x[axis];
  const part = (size: Dim) => x.map((dim, i) => (i === axis ? size : dim));
  if (sizes === null) return p.output.map(() => part(null));
  if (sizes) return sizes.length === n ? sizes.map(part) : p.output.map(() => part(null));
  if (typeof d === 'number') {
    // Equal parts; with a remainder, the last part is smaller (opset 18).
    const each = Math.ceil(d / n);
    return p.output.map((_, i) => part(i < n - 1 ? each : d - each * (n - 1)));
  }
  return p.output.map(() => part(divDims(d, n)));
}

/** Range's length: (limit − start) / delta, also for a symbolic limit counted from 0 in steps of 1. */
export function rangeShape(ints: KnownInts, start: string, limit: string, delta: string): Dim[] {
  const [s, l, d] = [ints.get(start)?.[0] ?? null, ints.get(limit)?.[0] ?? null, ints.get(delta)?.[0] ?? null];
  if (typeof s === 'number' && typeof l === 'number' && typeof d === 'number' && d !== 0) return [Math.max(Math.ceil((l - s) / d), 0)];
  if (s === 0 && d === 1 && l !== null) return [l];
  return [null];
}

/** Einsum with explicit output (`bij,bjk->bik`): each letter's size from the inputs. */
export function einsumShape(node: GraphNode, shapes: (Dim[] | null)[]): Dim[] | null {
  const eq = node.proto.attribute.find((a) => a.name === 'equation')?.s;
  if (!eq) return null;
  const text = new TextDecoder().decode(eq).replace(/\s/g, '');
  const [lhs, rhs] = text.split('->');
  if (rhs === undefined || lhs.includes('...') || rhs.includes('...')) return null;
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) return null;
  const size = new Map<string, Dim>();
  for (let t = 0; t < terms.length; t++) {
    const s = shapes[t];
    if (!s || s.length !== terms[t].length) return null;
    for (let i = 0; i < s.length; i++) {
      const prev = size.get(terms[t][i]);
      if (prev === undefined || prev === 1 || prev === null) size.set(terms[t][i], s[i]);
    }
  }
  return [...rhs].map((c) => size.get(c) ?? null);
}
