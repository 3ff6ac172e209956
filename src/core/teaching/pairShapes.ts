/**
 * The shapes the teaching sentences quote, derived from the pair itself so that every size they
 * name is the pair's: the Linear's input, the size its leading axes flatten to, the permutation that
 * puts the features on axis 1, a Reshape's R.
 */
import { product, type Dim } from '../graph/dims';
import type { PairView } from '../session/types';

/** The Linear's input shape: its output's leading axes and its input features (MatMul and Gemm keep the leading axes). */
export function linearInputShape(pair: PairView): Dim[] | null {
  const out = pair.linear.outputShape;
  if (out === null || out.length === 0) return null;
  return [...out.slice(0, -1), pair.inFeatures];
}

/** The size a shape's leading axes (all but the last) flatten to: a number when all are known, else `batch·5`. */
export function leadingSize(shape: readonly Dim[]): Dim {
  const lead = shape.slice(0, -1);
  const n = product(lead);
  if (n !== null) return n;
  return lead.map((d) => (d === null ? '?' : String(d))).join('·');
}

/** `shape` with its leading axes flattened into one: [N·L, last]. */
export function flattened(shape: readonly Dim[]): Dim[] {
  return [leadingSize(shape), shape[shape.length - 1]];
}

/** A permutation that moves the last axis of a rank-`rank` value to axis 1 and keeps the others in order. */
export function featuresToAxis1(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: Math.max(0, rank - 2) }, (_, i) => i + 1)];
}

/** R of a Reshape to [d0, C, R…]: the product of the dims after the channel axis, when known. */
export function reshapeR(pair: PairView): number | null {
  const to = pair.reshape?.shape;
  return to && to.length >= 2 ? product(to.slice(2)) : null;
}

/**
 * What a CHANNEL_MISMATCH on this pair is: BN's channels against the axis 1 a Reshape gives, BN's
 * own parameters disagreeing in length (the channel count then equals the features), or BN's
 * channels against the Linear's features.
 */
export type ChannelMismatchKind = { kind: 'reshape-axis1'; axis1: Dim } | { kind: 'parameter-lengths' } | { kind: 'channels-vs-features' };

export function channelMismatchKind(pair: PairView): ChannelMismatchKind {
  if (pair.pattern === 'linear-reshape-bn') return { kind: 'reshape-axis1', axis1: pair.reshape?.shape?.[1] ?? null };
  const c = pair.batchNorm.channels;
  const n = pair.features;
  if (c !== null && n !== null && c !== n && c !== 1) return { kind: 'channels-vs-features' };
  return { kind: 'parameter-lengths' };
}

/** What the pair's Linear calls the features BN's channels must meet. */
export function featureWord(pair: PairView): string {
  switch (pair.pattern) {
    case 'bn-linear':
      return 'input features';
    case 'bn-conv':
      return 'input channels';
    case 'conv-bn':
    case 'conv-add-bn':
      return 'output channels';
    case 'linear-affine':
      return pair.linear.kind === 'Conv' || pair.linear.kind === 'ConvTranspose' ? 'output channels' : 'output features';
    case 'linear-bn':
    case 'linear-transpose-bn':
    case 'linear-reshape-bn':
      return 'features';
  }
}

/** One of those features, in the singular: `input feature`, `output channel`, `feature`. */
export function featureUnit(pair: PairView): string {
  return featureWord(pair).replace(/s$/, '');
}
