/**
 * Every fold pattern, keyed by its id: a pattern missing here is a compile error. Adding a pattern
 * is one module beside these and one line below.
 */
import type { Pair, PairPattern } from '../rules/pair';
import { bnLinear } from './bnLinear';
import { bnConv } from './bnConv';
import { convAddBn } from './convAddBn';
import { convBn } from './convBn';
import { linearAffine } from './linearAffine';
import { linearBn } from './linearBn';
import { linearReshapeBn } from './linearReshapeBn';
import { linearTransposeBn } from './linearTransposeBn';
import type { FoldPattern } from './types';

export const PATTERNS: { [P in PairPattern]: FoldPattern<P> } = {
  'linear-bn': linearBn,
  'linear-transpose-bn': linearTransposeBn,
  'linear-reshape-bn': linearReshapeBn,
  'conv-bn': convBn,
  'bn-linear': bnLinear,
  'conv-add-bn': convAddBn,
  'bn-conv': bnConv,
  'linear-affine': linearAffine,
};

/** The patterns in panel order (Linear→BN first). */
export const PATTERN_LIST: readonly FoldPattern<PairPattern>[] = (Object.values(PATTERNS) as FoldPattern<PairPattern>[]).sort((a, b) => a.order - b.order);

/** The pattern of a pair, typed for the pair as a whole (the registry's keys and the union's tags agree). */
export function patternOf(pair: Pair): FoldPattern<PairPattern> {
  return PATTERNS[pair.pattern] as FoldPattern<PairPattern>;
}
