/**
 * Where each of the Linear's output features lands among BatchNorm's channels, for the patterns
 * with a Linear before BN. The fold is per feature, so it exists only when every feature lands in
 * exactly one channel (in every row of the batch).
 */
import { formatShape, type Dim } from '../graph/dims';
import type { PairView } from '../session/types';

export interface FeatureMap {
  /** The Linear's output features and BN's channels, as counted. */
  features: number;
  channels: number;
  /** For each feature shown (the first `shownFeatures`), the channels it lands in, ascending. */
  channelsOf: number[][];
  /** Every feature lands in exactly one channel: a per-feature scale exists. */
  oneChannelEach: boolean;
  /** How the mapping is computed, in words with the real numbers. */
  rule: string;
}

/** Drawn at most this many features and channels; the verdict is computed over all of them. */
export const FEATURE_MAP_LIMIT = 12;

const known = (d: Dim | undefined): d is number => typeof d === 'number' && d > 0;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The map for a pair, or null when the sizes needed are unknown or the pattern has no Linear before BN. */
export function featureMap(pair: PairView): FeatureMap | null {
  const out = pair.linear.outputShape;
  const f = pair.outFeatures;
  const c = pair.batchNorm.channels;
  if (!out || f === null || c === null || out.length < 1) return null;
  const shown = Math.min(f, FEATURE_MAP_LIMIT);
  const all = (sets: (n: number) => number[], rule: string): FeatureMap => {
    let oneEach = true;
    for (let n = 0; n < f && oneEach; n++) oneEach = sets(n).length === 1;
    return { features: f, channels: c, channelsOf: range(shown).map(sets), oneChannelEach: oneEach, rule };
  };
  const r = out.length;
  switch (pair.pattern) {
    case 'linear-bn':
      if (c === 1) return all(() => [0], 'BatchNorm has one channel: every feature is in it.');
      if (r === 2) return all((n) => (n < c ? [n] : []), `On [N, ${f}] axis 1 is the feature axis: feature n is channel n.`);
      return all(() => range(c), `On ${formatShape(out)} axis 1 holds ${c} positions of another axis, and every one of them contains all ${f} features: each channel mixes every feature.`);
    case 'linear-transpose-bn': {
      const perm = pair.transpose?.perm ?? range(r).reverse();
      if (perm.length !== r) return null;
      if (c === 1) return all(() => [0], 'BatchNorm has one channel: every feature is in it.');
      if (perm[1] === r - 1) return all((n) => (n < c ? [n] : []), `perm[1] = ${r - 1}: the feature axis becomes axis 1, so feature n is channel n.`);
      return all(() => range(c), `perm[1] = ${perm[1]}: axis 1 after the Transpose is the Linear’s axis ${perm[1]}, not its features (axis ${r - 1}); every channel holds all ${f} features.`);
    }
    case 'linear-reshape-bn': {
      const to = pair.reshape?.shape;
      if (!to || to.length < 2 || !to.slice(2).every(known)) return null;
      const rr = (to.slice(2) as number[]).reduce((a, b) => a * b, 1);
      const lead = out.slice(0, -1);
      // The channel of row m, feature n repeats with period C·R in m, so C·R rows show every case.
      const rows = lead.every(known) ? Math.min((lead as number[]).reduce((a, b) => a * b, 1), c * rr) : c * rr;
      const sets = (n: number) => {
        const s = new Set<number>();
        for (let m = 0; m < rows; m++) s.add(Math.floor((m * f + n) / rr) % c);
        return [...s].sort((a, b) => a - b);
      };
      return all(sets, `Read in row order, element m·${f} + n (row m, feature n) lands in channel ⌊(m·${f} + n) / ${rr}⌋ mod ${c} (R = ${rr}, C = ${c}).`);
    }
    case 'conv-bn':
    case 'bn-linear':
    case 'conv-add-bn':
    case 'bn-conv':
    case 'linear-affine':
      return null;
  }
}
