/**
 * Stable reason codes (../shared/FUSION_RULES.md). The UI, the CLI and the tests all use these
 * strings; each comes with a message quoting the model's real names and shapes.
 */
export const REASON_CODES = [
  'LINEAR_OUTPUT_RANK',
  'UNKNOWN_RANK',
  'CHANNEL_MISMATCH',
  'PRE_BN_VALUE_SHARED',
  'NON_CONSTANT_PARAMS',
  'BN_TRAINING_MODE',
  'UNSUPPORTED_DTYPE',
  'NOT_A_LINEAR',
  'UNSUPPORTED_OPSET',
  'TRANSPOSE_AXIS',
  'LINEAR_INPUT_RANK',
  'RESHAPE_AXIS',
  'QUANTIZED_WEIGHT',
  'REWRITE_CONFLICT',
  'REWRITE_INVALID',
  'BIAS_AXIS',
  'CONV_PADDING',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export type Reason =
  | { code: Exclude<ReasonCode, 'BIAS_AXIS'>; message: string }
  /** `constant`: how the constant meets the op's output — added (a bias, a shift) or multiplied (a scale) — for the short label. */
  | { code: 'BIAS_AXIS'; message: string; constant: 'added' | 'multiplied' };

/** A short label for badges and tables (BIAS_AXIS's says which constant: reasonShort). */
const REASON_SHORT: Record<ReasonCode, string> = {
  LINEAR_OUTPUT_RANK: 'different axes (rank ≠ 2)',
  UNKNOWN_RANK: 'rank unknown',
  CHANNEL_MISMATCH: 'channels ≠ features',
  PRE_BN_VALUE_SHARED: 'intermediate value shared',
  NON_CONSTANT_PARAMS: 'parameters not constant',
  BN_TRAINING_MODE: 'training mode',
  UNSUPPORTED_DTYPE: 'unsupported dtype',
  NOT_A_LINEAR: 'not a Linear',
  UNSUPPORTED_OPSET: 'unsupported opset',
  TRANSPOSE_AXIS: 'transpose moves the wrong axis',
  LINEAR_INPUT_RANK: 'different axes (input rank ≠ 2)',
  RESHAPE_AXIS: 'reshape mixes features in a channel',
  QUANTIZED_WEIGHT: 'quantized parameter',
  REWRITE_CONFLICT: 'fold order unresolved',
  REWRITE_INVALID: 'fold would break the model',
  BIAS_AXIS: 'constant on another axis',
  CONV_PADDING: 'Conv pads after the BatchNorm',
};

/** A reason's short label, true to it: a Mul's scale on the wrong axis is a multiplied constant, not an added one. */
export function reasonShort(r: Reason): string {
  return r.code === 'BIAS_AXIS' ? `${r.constant} ${REASON_SHORT.BIAS_AXIS}` : REASON_SHORT[r.code];
}
