/** A pair as the page shows it, and the numbers of its fold for the explanation panel. */
import type { Analysis } from '../analysis';
import { betweenJson, pairJson } from '../report';
import { naiveFoldProblem, refusedByAxisRuleOnly } from '../rewrite/naiveFold';
import { patternOf } from '../patterns/registry';
import { formulaLines } from '../patterns/formula';
import { constTensor, dense, normAffine } from '../patterns/foldMath';
import { betweenNode, type Pair } from '../rules/pair';
import { nodeId } from '../view/ids';
import type { FoldPreview, NormView, PairView } from './types';
import { scaledSlices } from './foldSlices';

/** A BatchNormalization's ε, or the Mul's scale and the Add's shift as they are (a Mul has no ε to pass as 0). */
function normView(p: Pair): NormView {
  const n = p.batchNorm;
  switch (n.op) {
    case 'BatchNormalization':
      return { op: 'BatchNormalization', epsilon: n.epsilon };
    case 'Mul':
      return { op: 'Mul', scale: { node: n.node, constant: n.scale, shape: n.scaleDims }, shift: n.shift ? { node: n.shift.node, constant: n.shift.constant, shape: n.shift.dims } : null };
  }
}

export function pairView(p: Pair): PairView {
  const between = betweenNode(p);
  const pattern = patternOf(p);
  const { linear, ...json } = pairJson(p);
  return {
    ...json,
    linear: { nodes: linear.nodes, kind: linear.kind, outputShape: linear.outputShape },
    pattern: p.pattern,
    patternLabel: pattern.label,
    patternOrder: pattern.order,
    ...betweenJson(p),
    ...(between ? { betweenNodeId: nodeId(between.nodeIndex) } : {}),
    linearNodeIds: p.linear.nodeIndices.map(nodeId),
    bnNodeId: nodeId(p.batchNorm.nodeIndex),
    outFeatures: p.linear.outFeatures,
    inFeatures: p.linear.inFeatures,
    features: p.pattern === 'bn-linear' || p.pattern === 'bn-conv' ? p.linear.inFeatures : p.linear.outFeatures,
    weightShape: p.linear.weightShape,
    norm: normView(p),
    axisRuleOnly: refusedByAxisRuleOnly(p),
    naiveProblem: p.fusable ? null : naiveFoldProblem(p),
  };
}

/** The explanation of one pair: its formula lines and, when it folds, a few numbers before and after (its pattern's `compute`). */
export function foldPreview(a: Analysis, pairId: string, count = 4): FoldPreview | null {
  const p = a.pairs.find((x) => x.id === pairId);
  if (!p) return null;
  const pattern = patternOf(p);
  const formula = formulaLines(pattern.explain(p));
  if (!p.fusable) return { pairId, formulaLines: formula, numbers: null };
  const folded = pattern.compute(a.graph, p);
  const w0 = dense(constTensor(a.graph, p.linear.weight));
  const b0 = p.linear.bias ? dense(constTensor(a.graph, p.linear.bias)) : null;
  const { s } = normAffine(a.graph, p.batchNorm);
  const take = (x: Float64Array) => Array.from(x.subarray(0, count));
  const conv = p.linear.kind === 'Conv' || p.linear.kind === 'ConvTranspose';
  const input = p.pattern === 'bn-linear' || p.pattern === 'bn-conv';
  const unit = `${input ? 'input' : 'output'} ${conv ? 'channel' : 'feature'}`;
  return {
    pairId,
    formulaLines: formula,
    numbers: {
      weightShape: w0.dims,
      slices: scaledSlices(pattern.explain(p), unit, w0, folded.weight, s, 3, count),
      biasBefore: b0 ? take(b0.values) : [],
      biasAfter: take(folded.bias.values),
    },
  };
}
