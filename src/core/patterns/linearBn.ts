/**
 * Linear → BatchNormalization, the rule this tool is about: the Linear writes its features on the
 * last axis, BN normalizes axis 1, so the fold is valid only on a rank-2 output [N, C] (or with a
 * single channel).
 */
import { isOnnxOp } from '../graph/onnxDomain';
import { matchLinear } from '../rules/linearMatch';
import { linearOutputRank } from '../rules/conditions';
import { judge, NO_EXTRA } from '../rules/judge';
import { computeLinearThenBn, linearThenBnFormula, matmulOutput, rewireLinearThenBn } from './linearFold';
import type { FoldPattern } from './types';
import { inputOf } from '../graph/nodeInputs';

export const linearBn: FoldPattern<'linear-bn'> = {
  id: 'linear-bn',
  label: 'Linear→BN',
  name: 'Linear→BatchNormalization',
  opLabel: 'Linear',
  order: 0,
  placement: { side: 'after', producers: ['Gemm', 'MatMul', 'Add'] },
  find(g, shapes, bn, into) {
    const xv = inputOf(g, bn, 0);
    if (!xv || xv.producer < 0) return false;
    const producer = g.nodes[xv.producer];
    if (!isOnnxOp(producer)) return false;
    const linear = matchLinear(g, shapes, producer);
    if (!linear) return false;
    into.push(judge(g, shapes, bn, linear.part, linear.reasons, xv.name, 'linear-bn', linearBn, NO_EXTRA));
    return true;
  },
  sizeToMatch: (linear, lastDim) => linear.outFeatures ?? lastDim,
  sizeName: ['output features', 'feature'],
  axisReasons(c) {
    const r = linearOutputRank(c.refs.lin, c.refs.bn, c.linearOut, c.channels, c.n, c.x);
    return r ? [r] : [];
  },
  privateValues(g, bn, linear, _extra, into) {
    into.add(inputOf(g, bn, 0), bn.index);
    matmulOutput(g, linear, into);
  },
  pairId: (bnOutput) => bnOutput,
  compute: (g, pair) => computeLinearThenBn(g, pair),
  rewire: (g, pair, folded, e) => rewireLinearThenBn(g, pair, folded, e, null),
  explain: (pair) => linearThenBnFormula(pair, { op: 'per-channel' }),
};
