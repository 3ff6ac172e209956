/** Each pattern's axis rule: the reason code given when BN's axis is not the op's feature axis. */
import type { PairPattern } from './pair';
import type { ReasonCode } from './reasons';

/** The code of the pattern's axis rule; null for Conv→BN, whose channels are always on BN's axis 1. */
export function axisRuleCode(pattern: PairPattern): ReasonCode | null {
  switch (pattern) {
    case 'linear-bn':
      return 'LINEAR_OUTPUT_RANK';
    case 'linear-transpose-bn':
      return 'TRANSPOSE_AXIS';
    case 'linear-reshape-bn':
      return 'RESHAPE_AXIS';
    case 'bn-linear':
      return 'LINEAR_INPUT_RANK';
    case 'conv-add-bn':
    case 'linear-affine':
      return 'BIAS_AXIS';
    case 'bn-conv':
      return 'CONV_PADDING';
    case 'conv-bn':
      return null;
  }
}
