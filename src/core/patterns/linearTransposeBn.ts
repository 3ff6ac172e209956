/**
 * Linear → Transpose → BatchNormalization: valid when the permutation puts the Linear's feature
 * (last) axis on axis 1, where BN normalizes (FUSION_RULES.md, "Across a Transpose or Reshape").
 * The Transpose stays; BN disappears.
 */
import { attrInts } from '../onnx/attributes';
import { formatShape } from '../graph/shapeInference';
import { q } from '../rules/common';
import { judge } from '../rules/judge';
import { isOnnxOp } from '../graph/onnxDomain';
import { matchLinear } from '../rules/linearMatch';
import type { Reason } from '../rules/reasons';
import { computeLinearThenBn, linearThenBnFormula, matmulOutput, rewireLinearThenBn } from './linearFold';
import type { FoldPattern } from './types';
import { inputOf } from '../graph/nodeInputs';

export const linearTransposeBn: FoldPattern<'linear-transpose-bn'> = {
  id: 'linear-transpose-bn',
  label: 'Linear→Transpose→BN',
  name: 'Linear→Transpose→BatchNormalization',
  opLabel: 'Linear',
  order: 1,
  placement: { side: 'after', producers: ['Transpose'] },
  find(g, shapes, bn, into) {
    const xv = inputOf(g, bn, 0);
    if (!xv || xv.producer < 0) return false;
    const t = g.nodes[xv.producer];
    if (t.opType !== 'Transpose' || !isOnnxOp(t)) return false;
    const tv = inputOf(g, t, 0);
    const linear = tv && tv.producer >= 0 ? matchLinear(g, shapes, g.nodes[tv.producer]) : null;
    if (!linear) return false;
    const transpose = { nodeIndex: t.index, node: t.label, perm: attrInts(t.proto, 'perm') ?? null };
    into.push(judge(g, shapes, bn, linear.part, linear.reasons, xv.name, 'linear-transpose-bn', linearTransposeBn, { transpose }));
    return true;
  },
  sizeToMatch: (linear, lastDim) => linear.outFeatures ?? lastDim,
  sizeName: ['output features', 'feature'],
  axisReasons(c): Reason[] {
    const { linearOut, channels, n, x } = c;
    const transpose = c.extra.transpose;
    const linRef = c.refs.lin;
    if (linearOut === null) {
      return [{ code: 'UNKNOWN_RANK', message: `The rank of ${linRef}'s output cannot be determined, so it is unknown where Transpose ${q(transpose.node)} moves its feature axis. Not claimed fusable.` }];
    }
    const r = linearOut.length;
    const perm = transpose.perm ?? linearOut.map((_, i) => r - 1 - i); // ONNX default: reverse the axes
    if (perm.length !== r || r < 2) {
      return [{ code: 'TRANSPOSE_AXIS', message: `Transpose ${q(transpose.node)} has perm ${JSON.stringify(perm)}, which does not fit the rank-${r} value ${formatShape(linearOut)}.` }];
    }
    if (channels === 1 || perm[1] === r - 1) return [];
    const same = n !== null && channels !== null && n === channels;
    return [
      {
        code: 'TRANSPOSE_AXIS',
        message:
          `${linRef} writes its ${n ?? '?'} features on axis ${r - 1} of ${formatShape(linearOut)}; Transpose ${q(transpose.node)} (perm ${JSON.stringify(perm)}) ` +
          `puts its axis ${perm[1]} on axis 1 of ${q(x)}, the axis ${c.refs.bn} normalizes. Each channel would mix features, so the scale cannot be folded per feature` +
          (same ? ` — even though both sizes are ${n}: matching sizes are not enough.` : '.') +
          ` Only a permutation with perm[1] = ${r - 1} (the feature axis) lets the fold through.`,
      },
    ];
  },
  privateValues(g, bn, linear, extra, into) {
    // The Linear keeps this output (scaled numbers, same shape): `Shape` of it, as exporters write for a view back, is fine.
    into.add(inputOf(g, g.nodes[extra.transpose.nodeIndex], 0), extra.transpose.nodeIndex, null, true);
    into.add(inputOf(g, bn, 0), bn.index);
    matmulOutput(g, linear, into);
  },
  pairId: (bnOutput) => bnOutput,
  compute: (g, pair) => computeLinearThenBn(g, pair),
  rewire: (g, pair, folded, e) => rewireLinearThenBn(g, pair, folded, e, pair.transpose),
  explain: (pair) => linearThenBnFormula(pair, { op: 'per-channel' }),
};
