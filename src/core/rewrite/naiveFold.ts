/**
 * "Apply anyway": the fold a size-only check would perform on a pair the axis rule refuses, so a
 * student can watch it change the model's numbers. Each axis rule has the naive fold of the tool
 * that makes that mistake: PyTorch's `fuse_linear_bn_eval` compares only `out_features` with
 * `num_features`; ONNX Runtime's MatMul+BatchNormalization fusion compares only BN's length with
 * the weight's columns across a Transpose or Reshape (channel c taken as feature c).
 */
import type { Graph } from '../graph/graph';
import { computeLinearThenBn, rowsAreOut } from '../patterns/linearFold';
import type { Folded } from '../patterns/types';
import { patternOf } from '../patterns/registry';
import type { Pair, PairPattern } from '../rules/pair';
import { axisRuleCode } from '../rules/axisRule';

/** Whether the pair is refused by its axis rule (and the channel count that follows from it) alone. */
export function refusedByAxisRuleOnly(pair: Pair): boolean {
  const code = axisRuleCode(pair.pattern);
  return !pair.fusable && code !== null && pair.reasons.some((r) => r.code === code) && pair.reasons.every((r) => r.code === code || r.code === 'CHANNEL_MISMATCH');
}

/** Why a naive fold (ignoring the axis rule) cannot even be formed, or null if it can. */
export function naiveFoldProblem(pair: Pair): string | null {
  const code = axisRuleCode(pair.pattern);
  if (code === null) return 'a Conv writes its channels on axis 1, so there is no axis rule to ignore';
  if (pair.fusable) return 'the pair is fusable: the correct fold applies';
  if (!pair.reasons.some((r) => r.code === code)) return `apply anyway ignores only the axis rule (${code}), and this pair is not refused by it`;
  const others = pair.reasons.filter((r) => r.code !== code && r.code !== 'CHANNEL_MISMATCH');
  if (others.length > 0) return `it is also not fusable for other reasons (${others.map((r) => r.code).join(', ')})`;
  // BN→Linear and BN→Conv scale the weight's input features, the others its output features; which are rows depends on the layout.
  const input = pair.pattern === 'bn-linear' || pair.pattern === 'bn-conv';
  const n = input ? pair.linear.inFeatures : pair.linear.outFeatures;
  const c = pair.batchNorm.channels;
  if (n === null || c === null) return 'the sizes are unknown';
  if (n !== c) {
    const lin = pair.linear;
    const rows = lin.kind === 'Gemm' || lin.kind === 'MatMul' || lin.kind === 'MatMul+Add' ? rowsAreOut(lin) !== input : false;
    return `BatchNormalization has ${c} scale values (one per channel on axis 1) but the weight has ${n} ${input ? 'input' : 'output'} features: a [${c}] scale cannot multiply ${n} weight ${rows ? 'rows' : 'columns'}`;
  }
  // The size-only fold takes a constant's values as one per channel: there must be that many of them (or one).
  const constants = pair.pattern === 'conv-add-bn' ? [pair.add] : pair.pattern === 'linear-affine' && pair.batchNorm.shift ? [pair.batchNorm.shift] : [];
  for (const k of constants) {
    const values = k.dims.reduce((a, d) => a * d, 1);
    if (values !== 1 && values !== n) return `the Add's constant has ${values} values, neither one nor one for each of the ${n} ${input ? 'input' : 'output'} features, so even a size-only fold cannot add it to the bias`;
  }
  return null;
}

/** The naive fold's numbers: channel c's scale given to feature c, whatever the axes say. */
export function naiveCompute(g: Graph, pair: Pair): Folded {
  switch (pair.pattern) {
    case 'linear-reshape-bn':
      // The pattern's own fold maps feature n to channel ⌊n/R⌋ mod C; the size-only fold takes c = n.
      return computeLinearThenBn(g, pair);
    case 'linear-bn':
    case 'linear-transpose-bn':
    case 'conv-bn':
    case 'bn-linear':
    case 'conv-add-bn':
    case 'bn-conv':
    case 'linear-affine':
      // Linear/Conv → Mul [→ Add] as Conv → Add → BN; Conv → Add → BN: the constant's values taken in order as one per channel, whatever axis they
      // act on; BN → Conv: the shift carried through every weight, those on the padding included.
      return patternOf(pair).compute(g, pair);
  }
}

/** Which tool performs this wrong fold, for the page's wording. */
export function naiveFoldTool(pattern: PairPattern): string {
  switch (pattern) {
    case 'linear-bn':
      return 'PyTorch’s fuse_linear_bn_eval checks only out_features == num_features, so it performs this fold';
    case 'linear-transpose-bn':
      return 'ONNX Runtime’s MatMul+BatchNormalization fusion compares only BatchNorm’s length with the weight’s columns across a Transpose, so its optimizer performs exactly this fold';
    case 'linear-reshape-bn':
      return 'ONNX Runtime’s MatMul+BatchNormalization fusion compares only BatchNorm’s length with the weight’s columns across a Reshape, so its optimizer performs exactly this fold';
    case 'bn-linear':
      return 'A fold that checks only num_features == in_features performs this fold';
    case 'conv-add-bn':
      return 'A fold that checks only that the Add’s constant has one value per output channel, not which axis it acts on, performs this fold';
    case 'bn-conv':
      return 'A fold that checks only num_features == in_channels, not the Conv’s padding, performs this fold';
    case 'linear-affine':
      return 'A fold that checks only that the constants have one value per output channel, not which axis they act on, performs this fold';
    case 'conv-bn':
      return 'No tool needs a naive fold here';
  }
}
