/**
 * Conv/ConvTranspose → BatchNormalization: the op writes its output channels on axis 1, the axis
 * BN normalizes, so there is no axis condition. Conv weight [M, C/G, k…] (output channel m is
 * filter m); ConvTranspose [C, M/G, k…] (output channel k·(M/G) + j for input channel c of group k).
 * The fold's numbers, edits and formula are shared with Conv → Add → BN (convAddBn.ts).
 */
import { judge, NO_EXTRA } from '../rules/judge';
import { convWeightReasons, matchConv } from '../rules/linearMatch';
import { addInitializer, constTensor, dense, effectiveBias, expand, normAffine, rebias, scaleAxis } from './foldMath';
import type { Dense, Folded, FoldPattern } from './types';
import type { BiasRule, FoldFormula } from './formula';
import type { Graph } from '../graph/graph';
import { inputOf } from '../graph/nodeInputs';
import type { ConvPart, NormPart } from '../rules/pair';
import type { Edits, FoldedPair } from '../rewrite/edits';

function scaleGroupedAxis1(w: Dense, groups: number, s: Float64Array): Dense {
  const [cin, mg] = w.dims;
  const block = w.dims.slice(2).reduce((a, d) => a * d, 1);
  const perGroup = cin / groups;
  const out = new Float64Array(w.values.length);
  for (let c = 0; c < cin; c++) {
    const k = Math.floor(c / perGroup);
    for (let j = 0; j < mg; j++) {
      const sc = s[k * mg + j];
      const at = (c * mg + j) * block;
      for (let i = 0; i < block; i++) out[at + i] = sc * w.values[at + i];
    }
  }
  return { ...w, values: out };
}

/** What a fold into the Conv before edits (a Conv-then-normalization pair, or a Mul [+ Add] after a Conv). */
export interface ConvFoldTarget {
  id: string;
  linear: ConvPart;
  batchNorm: NormPart;
  bnOutput: string;
}

/**
 * W′ = s·W per output channel, b′ = s·(b + a) + t: `add` holds what an Add between the two adds
 * (one value, or one per channel, in the channel order), null when there is none.
 */
export function computeConvThenBn(g: Graph, pair: ConvFoldTarget, add: Float64Array | null): Folded {
  const lin = pair.linear;
  const w = dense(constTensor(g, lin.weight));
  const m = lin.kind === 'Conv' ? w.dims[0] : w.dims[1] * lin.group;
  const { s, t } = normAffine(g, pair.batchNorm);
  const sm = expand(s, m);
  const tm = expand(t, m);
  const am = add ? expand(add, m) : null;
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const b = effectiveBias(biasT, m, 1, biasT?.dataType ?? w.dtype);
  const bias = rebias(b, m, (x, c) => sm[c] * (x + (am ? am[c] : 0)) + tm[c]);
  return { weight: lin.kind === 'Conv' ? scaleAxis(w, 0, sm) : scaleGroupedAxis1(w, lin.group, sm), bias: { ...bias, dims: [m] } };
}

/**
 * The Conv takes the folded weight and bias and writes the last removed node's output; `removed`
 * (in graph order: an Add, the BN; or the Mul, an Add) go, and the values they wrote with them.
 */
export function rewireConvThenBn(g: Graph, pair: ConvFoldTarget, folded: Folded, e: Edits, removed: readonly number[]): FoldedPair {
  const lin = pair.linear;
  const weightName = addInitializer(e, `${lin.weight}_bnfold`, folded.weight);
  const biasName = addInitializer(e, lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`, folded.bias);
  const conv = g.nodes[lin.nodeIndices[0]].proto;
  e.replaced.set(lin.nodeIndices[0], { ...conv, input: [conv.input[0], weightName, biasName], output: [pair.bnOutput] });
  e.droppedValues.add(conv.output[0] ?? '');
  for (const i of removed) {
    e.removed.add(i);
    for (const o of g.nodes[i].proto.output) if (o !== pair.bnOutput) e.droppedValues.add(o);
  }
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes: removed.map((i) => g.nodes[i].label) };
}

/** The formula of a fold into the Conv before BN, with the bias rule of the pattern. */
export function convThenBnFormula(pair: ConvFoldTarget, bias: BiasRule): FoldFormula {
  return {
    scale: pair.batchNorm.channels === 1 ? { op: 'uniform', count: pair.linear.outFeatures } : { op: 'per-channel' },
    weight: pair.linear.kind === 'Conv' ? { op: 'filters' } : { op: 'grouped-axis1', groups: pair.linear.group },
    bias,
    weightShape: pair.linear.weightShape,
    gemmBeta: null,
  };
}

export const convBn: FoldPattern<'conv-bn'> = {
  id: 'conv-bn',
  label: 'Conv→BN',
  name: 'Conv→BatchNormalization',
  opLabel: 'Conv',
  order: 4,
  placement: { side: 'after', producers: ['Conv', 'ConvTranspose'] },
  find(g, shapes, bn, into) {
    const xv = inputOf(g, bn, 0);
    if (!xv || xv.producer < 0) return false;
    const producer = g.nodes[xv.producer];
    const conv = matchConv(shapes, producer);
    if (!conv) return false;
    into.push(judge(g, shapes, bn, conv, convWeightReasons(producer, conv), xv.name, 'conv-bn', convBn, NO_EXTRA));
    return true;
  },
  sizeToMatch: (linear) => linear.outFeatures,
  sizeName: ['output channels', 'output channel'],
  // Conv writes its output channels on axis 1, the axis BN normalizes: no axis condition.
  axisReasons: () => [],
  privateValues: (g, bn, _linear, _extra, into) => into.add(inputOf(g, bn, 0), bn.index),
  pairId: (bnOutput) => bnOutput,
  compute: (g, pair) => computeConvThenBn(g, pair, null),
  rewire: (g, pair, folded, e) => rewireConvThenBn(g, pair, folded, e, [pair.batchNorm.nodeIndex]),
  explain: (pair) => convThenBnFormula(pair, { op: 'affine' }),
};
