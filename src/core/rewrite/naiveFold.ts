/** "Apply anyway": which refused pairs a naive fold (ignoring the axis rule) can still be computed for. */
import type { Pair } from '../rules/pair';

/** Why a naive fold (ignoring the axis rule) cannot even be formed, or null if it can. */
export function naiveFoldProblem(pair: Pair): string | null {
  if (pair.pattern !== 'linear-bn') return 'apply anyway demonstrates the Linear→BN axis rule only';
  const others = pair.reasons.filter((r) => r.code !== 'LINEAR_OUTPUT_RANK' && r.code !== 'CHANNEL_MISMATCH');
  if (others.length > 0) return `it is also not fusable for other reasons (${others.map((r) => r.code).join(', ')})`;
  const n = pair.linear.outFeatures;
  const c = pair.batchNorm.channels;
  if (n === null || c === null) return 'the sizes are unknown';
  if (n !== c) {
    return `BatchNormalization has ${c} scale values (one per channel on axis 1) but the weight has ${n} output features (axis ${
      (pair.linear.outputShape?.length ?? 1) - 1
    } of ${JSON.stringify(pair.linear.outputShape)}): a [${c}] scale cannot multiply ${n} weight columns`;
  }
  return null;
}
