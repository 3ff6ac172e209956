/**
 * Which of the pairs we refuse for an axis reason onnxruntime's own optimizer folds anyway. Its
 * `MatMulBNFusion` (all levels from `basic`) matches `MatMul → (Reshape | Transpose)? →
 * BatchNormalization` and compares only BN's length with the weight's columns
 * (../shared/FUSION_RULES.md). Measured with onnxruntime-web 1.30: it folds the Transpose and
 * Reshape traps, leaves a rank-3 `MatMul → BN` with equal sizes alone (its MatMul input must be
 * 2-D), never fuses `Gemm → BN` or a biased MatMul (`MatMul + Add` becomes a Gemm first), and has no
 * `BN → MatMul` fusion.
 */
import { refusedByAxisRuleOnly, naiveFoldProblem } from '../rewrite/naiveFold';
import { axisRuleCode } from '../rules/axisRule';
import type { Pair, PairPattern } from '../rules/pair';
import type { ReasonCode } from '../rules/reasons';

export interface AxisRefusedPair {
  id: string;
  pattern: PairPattern;
  code: ReasonCode;
  /** The ops' names in graph order. */
  nodes: string[];
  /** Whether onnxruntime's MatMul+BatchNormalization fusion takes it. */
  ortFolds: boolean;
  /** Why it does or does not, in a sentence. */
  why: string;
}

function nodesOf(p: Pair): string[] {
  const lin = p.linear.nodes.filter(Boolean).at(-1) ?? p.linear.kind;
  const bn = p.batchNorm.node || 'BatchNormalization';
  switch (p.pattern) {
    case 'linear-transpose-bn':
      return [lin, p.transpose.node || 'Transpose', bn];
    case 'linear-reshape-bn':
      return [lin, p.reshape.node || 'Reshape', bn];
    case 'bn-linear':
    case 'bn-conv':
      return [bn, lin];
    case 'conv-add-bn':
      return [lin, p.add.node || 'Add', bn];
    case 'linear-affine':
      return p.batchNorm.shift ? [lin, p.batchNorm.node || 'Mul', p.batchNorm.shift.node || 'Add'] : [lin, p.batchNorm.node || 'Mul'];
    case 'linear-bn':
    case 'conv-bn':
      return [lin, bn];
  }
}

/** Whether onnxruntime's fusion takes the pair, and why (or why not). */
function ortTakes(p: Pair): { ortFolds: boolean; why: string } {
  switch (p.pattern) {
    case 'bn-linear':
      return { ortFolds: false, why: 'onnxruntime has no BatchNormalization → MatMul fusion' };
    case 'conv-bn':
      return { ortFolds: false, why: 'a Conv has no axis rule' };
    case 'conv-add-bn':
      // ConvAddFusion takes only a Conv whose Add constant is [M, 1, …] (rank of the weight minus one).
      return { ortFolds: false, why: 'onnxruntime’s ConvAddFusion takes only an Add constant shaped [M, 1, …], and leaves the BatchNormalization after the Add unfolded' };
    case 'bn-conv':
      return { ortFolds: false, why: 'onnxruntime has no BatchNormalization → Conv fusion' };
    case 'linear-affine':
      return { ortFolds: false, why: 'onnxruntime’s ConvMulFusion and ConvAddFusion take only [M, 1, …] constants, and MatMulScaleFusion only one value' };
    case 'linear-bn':
    case 'linear-transpose-bn':
    case 'linear-reshape-bn': {
      if (p.linear.kind !== 'MatMul') return { ortFolds: false, why: `onnxruntime's fusion takes only a MatMul without bias, this Linear is ${p.linear.kind}` };
      const rank = p.linear.outputShape?.length;
      if (rank !== 2) return { ortFolds: false, why: `onnxruntime's fusion takes only a MatMul on a 2-D input; this one's output has rank ${rank ?? 'unknown'}` };
      const problem = naiveFoldProblem(p);
      if (problem !== null || !refusedByAxisRuleOnly(p)) return { ortFolds: false, why: `onnxruntime's size check refuses it too: ${problem ?? 'other conditions fail'}` };
      return {
        ortFolds: true,
        why: `BatchNormalization's ${p.batchNorm.channels} channels equal the weight's ${p.linear.outFeatures} columns, the only check onnxruntime's MatMul+BatchNormalization fusion makes, so it folds the pair on the wrong axis`,
      };
    }
  }
}

/** Every pair refused by its axis rule, with whether onnxruntime's optimizer folds it regardless. */
export function axisRefusedPairs(pairs: readonly Pair[]): AxisRefusedPair[] {
  const out: AxisRefusedPair[] = [];
  for (const p of pairs) {
    const code = axisRuleCode(p.pattern);
    if (p.fusable || code === null || !p.reasons.some((r) => r.code === code)) continue;
    out.push({ id: p.id, pattern: p.pattern, code, nodes: nodesOf(p), ...ortTakes(p) });
  }
  return out;
}
