/**
 * BIAS_AXIS: a constant added to (or multiplying) an op's output broadcasts from the LAST axes, so
 * it acts on the op's channels only when every other axis of it has size 1. A `[C]` constant on a
 * Conv output `[N, C, H, W]` runs along W, not the channels; after a Linear (features last) the
 * same `[F]` is one value per feature. This module decides which axes a constant acts on and says
 * so in words.
 */
import { formatShape, type Dim } from '../graph/shapeInference';
import { q } from './common';
import type { Reason } from './reasons';

/** Where the op keeps the values a constant must meet: Conv's channels on axis 1, a Linear's features last. */
export type FeatureAxis = 'channels' | 'features';

export interface ConstantOnOutput {
  /** `Add "x"`, `Mul "y"`. */
  opRef: string;
  /** What the op does with the constant: adds it (a bias, a shift) or multiplies by it (a scale). */
  verb: 'adds' | 'multiplies';
  constant: string;
  dims: readonly number[];
  /** The output it is applied to, the op that writes it and that output's rank (null when unknown). */
  target: { ref: string; shape: Dim[] | null; rank: number | null };
  axis: FeatureAxis;
  /** The channel (feature) count, when known. */
  size: number | null;
}

/** The output axis each entry of `dims` lands on (right-aligned); negative counts from the end when the rank is unknown. */
function landsOn(dims: readonly number[], rank: number | null, i: number): number {
  return rank !== null ? rank - dims.length + i : i - dims.length;
}

/** The axes (of the output) along which the constant's values change, with their sizes. */
export function varyingAxes(dims: readonly number[], rank: number | null): { axis: number; size: number }[] {
  const out: { axis: number; size: number }[] = [];
  dims.forEach((d, i) => {
    if (d !== 1) out.push({ axis: landsOn(dims, rank, i), size: d });
  });
  return out;
}

/** The output axis the op keeps its channels (features) on; -1 (the last) for a Linear of unknown rank. */
export function featureAxisOf(c: ConstantOnOutput): number {
  const r = c.target.rank;
  return c.axis === 'channels' ? 1 : r !== null ? r - 1 : -1;
}

/** Whether the constant is one value, or one value per channel (feature), on the op's own axis. */
export function actsPerChannel(c: ConstantOnOutput): boolean {
  const r = c.target.rank;
  // A constant of higher rank than the output would broadcast the output itself to a bigger shape.
  if (r !== null && c.dims.length > r) return false;
  // Rank unknown: only shapes that fit any rank are safe ([F], [1, F] for a Linear; nothing longer).
  if (r === null && (c.axis === 'channels' || c.dims.length > 2)) return c.dims.every((d) => d === 1) && c.dims.length <= 1;
  const axis = featureAxisOf(c);
  return varyingAxes(c.dims, r).every((v) => v.axis === axis && (c.size === null || v.size === c.size));
}

function axisText(axis: number, shape: Dim[] | null): string {
  if (axis < 0) return axis === -1 ? 'the last axis' : `axis ${axis} (counted from the end)`;
  const d = shape?.[axis];
  return `axis ${axis}${typeof d === 'number' ? ` (size ${d})` : ''}`;
}

/** The shapes that would act per channel (feature) on an output of this rank, for the message. */
function goodShapes(c: ConstantOnOutput): string {
  const n = c.size ?? (c.axis === 'channels' ? 'C' : 'F');
  const r = c.target.rank ?? 2;
  if (c.axis === 'features') {
    const forms = [`[${n}]`];
    for (let k = 2; k <= Math.max(2, r); k++) forms.push(formatShape([...Array<number>(k - 1).fill(1), n as number]));
    return forms.join(', ');
  }
  const tail = Array<number>(Math.max(0, r - 2)).fill(1);
  return `${formatShape([n as number, ...tail])} or ${formatShape([1, n as number, ...tail])}`;
}

/** BIAS_AXIS for a constant that does not act on the op's channel (feature) axis, or null when it does. */
export function biasAxisReason(c: ConstantOnOutput): Reason | null {
  if (actsPerChannel(c)) return null;
  const constant = c.verb === 'adds' ? 'added' : 'multiplied';
  const { rank, shape } = c.target;
  const what = c.axis === 'channels' ? 'output channels' : 'output features';
  const unit = c.axis === 'channels' ? 'channel' : 'feature';
  const own = featureAxisOf(c);
  const where = `${c.size ?? '?'} ${what} on ${axisText(own, shape)}`;
  const head = `${c.opRef} ${c.verb} ${q(c.constant)} of shape ${formatShape([...c.dims])} to ${shape ? formatShape(shape) : 'the output'}, the output of ${c.target.ref}.`;
  if (rank !== null && c.dims.length > rank) {
    return { code: 'BIAS_AXIS', constant, message: `${head} It has ${c.dims.length} axes, more than the output's ${rank}: broadcasting would make the output bigger, so it is not one value per ${unit}.` };
  }
  const wrong = varyingAxes(c.dims, rank).filter((v) => v.axis !== own);
  const onOwn = varyingAxes(c.dims, rank).find((v) => v.axis === own);
  let body: string;
  if (wrong.length === 0) {
    body = `Its ${onOwn?.size ?? '?'} values on ${axisText(own, shape)} do not match the ${where}.`;
  } else {
    const axes = wrong.map((v) => axisText(v.axis, shape)).join(' and ');
    body = `Broadcasting lines shapes up from the last axis, so its values run along ${axes}, not along the ${where}.`;
    const one = wrong.length === 1 && onOwn === undefined ? wrong[0] : null;
    if (one && c.size !== null && one.size === c.size) {
      body += ` That ${axisText(one.axis, shape)} also has ${c.size} positions is a coincidence: the sizes match, the axes do not.`;
    }
  }
  return { code: 'BIAS_AXIS', constant, message: `${head} ${body} Only a constant shaped ${goodShapes(c)} (or one value) is one value per ${unit} and folds.` };
}
