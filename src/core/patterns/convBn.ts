/**
 * Conv/ConvTranspose → BatchNormalization: the op writes its output channels on axis 1, the axis
 * BN normalizes, so there is no axis condition. Conv weight [M, C/G, k…] (output channel m is
 * filter m); ConvTranspose [C, M/G, k…] (output channel k·(M/G) + j for input channel c of group k).
 */
import { judge, NO_EXTRA } from '../rules/judge';
import { convWeightReasons, matchConv } from '../rules/linearMatch';
import { addInitializer, bnAffine, constTensor, dense, effectiveBias, expand, rebias, scaleAxis } from './foldMath';
import type { Dense, FoldPattern } from './types';
import { inputOf } from '../graph/nodeInputs';

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
  compute(g, pair) {
    const lin = pair.linear;
    const w = dense(constTensor(g, lin.weight));
    const m = lin.kind === 'Conv' ? w.dims[0] : w.dims[1] * lin.group;
    const { s, t } = bnAffine(g, pair.batchNorm);
    const sm = expand(s, m);
    const tm = expand(t, m);
    const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
    const b = effectiveBias(biasT, m, 1, biasT?.dataType ?? w.dtype);
    const bias = rebias(b, m, (x, c) => sm[c] * x + tm[c]);
    return { weight: lin.kind === 'Conv' ? scaleAxis(w, 0, sm) : scaleGroupedAxis1(w, lin.group, sm), bias: { ...bias, dims: [m] } };
  },
  rewire(g, pair, folded, e) {
    const lin = pair.linear;
    const weightName = addInitializer(e, `${lin.weight}_bnfold`, folded.weight);
    const biasName = addInitializer(e, lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`, folded.bias);
    const conv = g.nodes[lin.nodeIndices[0]].proto;
    e.replaced.set(lin.nodeIndices[0], { ...conv, input: [conv.input[0], weightName, biasName], output: [pair.bnOutput] });
    e.removed.add(pair.batchNorm.nodeIndex);
    e.droppedValues.add(pair.preBnValue);
    return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [g.nodes[pair.batchNorm.nodeIndex].label] };
  },
  explain: (pair) => ({
    scale: pair.batchNorm.channels === 1 ? { op: 'uniform', count: pair.linear.outFeatures } : { op: 'per-channel' },
    weight: pair.linear.kind === 'Conv' ? { op: 'filters' } : { op: 'grouped-axis1', groups: pair.linear.group },
    bias: { op: 'affine' },
    weightShape: pair.linear.weightShape,
    gemmBeta: null,
  }),
};
