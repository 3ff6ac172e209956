/**
 * Linear → Reshape → BatchNormalization (FUSION_RULES.md, "Across a Transpose or Reshape"): the
 * Linear's output, read row-major as [M, F], becomes [d0, C, R…]; element i lands in channel
 * ⌊i/R⌋ mod C (R the product of the trailing dims). Every channel reads whole features — one scale
 * per feature — iff C = 1, or C·R divides F. The Reshape stays; BN disappears.
 */
import { formatShape, product, type Dim } from '../graph/shapeInference';
import { q, shapeOf } from '../rules/common';
import { judge } from '../rules/judge';
import { isOnnxOp } from '../graph/onnxDomain';
import { matchLinear } from '../rules/linearMatch';
import type { Reason } from '../rules/reasons';
import { computeLinearThenBn, linearThenBnFormula, matmulOutput, rewireLinearThenBn } from './linearFold';
import type { ScaleMap } from './formula';
import type { FoldPattern } from './types';
import { inputOf } from '../graph/nodeInputs';

/** Feature n → channel ⌊n/R⌋ mod C after a Reshape to [d0, C, R…] (the rule lets only C·R | F through). */
function reshapeMap(shape: readonly Dim[] | null): ScaleMap {
  const c = shape?.[1];
  const r = shape ? product(shape.slice(2)) : null;
  return typeof c === 'number' && r !== null ? { op: 'reshape', r, c } : { op: 'per-channel' };
}

export const linearReshapeBn: FoldPattern<'linear-reshape-bn'> = {
  id: 'linear-reshape-bn',
  label: 'Linear→Reshape→BN',
  name: 'Linear→Reshape→BatchNormalization',
  opLabel: 'Linear',
  order: 2,
  placement: { side: 'after', producers: ['Reshape'] },
  find(g, shapes, bn, into) {
    const xv = inputOf(g, bn, 0);
    if (!xv || xv.producer < 0) return false;
    const rs = g.nodes[xv.producer];
    if (rs.opType !== 'Reshape' || !isOnnxOp(rs)) return false;
    const rv = inputOf(g, rs, 0);
    const linear = rv && rv.producer >= 0 ? matchLinear(g, shapes, g.nodes[rv.producer]) : null;
    if (!linear) return false;
    const shape = shapeOf(shapes, xv.name);
    const reshape = { nodeIndex: rs.index, node: rs.label, shape };
    into.push(judge(g, shapes, bn, linear.part, linear.reasons, xv.name, 'linear-reshape-bn', linearReshapeBn, { reshape }, shape));
    return true;
  },
  // Through a Reshape a channel may cover several features: the sizes need not match.
  sizeToMatch: () => null,
  sizeName: ['output features', 'feature'],
  axisReasons(c): Reason[] {
    const { linearOut, channels, x } = c;
    const linRef = c.refs.lin;
    const bnRef = c.refs.bn;
    const out = c.extra.reshape.shape;
    const op = `Reshape ${q(c.extra.reshape.node)}`;
    if (linearOut === null || out === null) {
      return [{ code: 'UNKNOWN_RANK', message: `The shape of ${linearOut === null ? `${linRef}'s output` : q(x)} cannot be determined, so it is unknown which of the Linear's features each channel of ${bnRef} sees after ${op}. Not claimed fusable.` }];
    }
    if (out.length < 2) return [{ code: 'RESHAPE_AXIS', message: `${op} gives ${formatShape(out)}, which has no channel axis for ${bnRef} to normalize.` }];
    const ch = out[1];
    if (channels !== null && typeof ch === 'number' && channels !== ch) {
      return [{ code: 'CHANNEL_MISMATCH', message: `${bnRef} has ${channels} channels but ${op} gives ${formatShape(out)}, with ${ch} on axis 1.` }];
    }
    if (ch === 1 || channels === 1) return [];
    // (One row, M = 1, needs no case of its own: then C·R always divides F.)
    const f = linearOut[linearOut.length - 1];
    const r = product(out.slice(2));
    if (typeof f !== 'number' || typeof ch !== 'number' || r === null) {
      return [{ code: 'UNKNOWN_RANK', message: `${linRef} gives ${formatShape(linearOut)} and ${op} gives ${formatShape(out)}; with these sizes unknown it cannot be said which features each channel of ${bnRef} sees. Not claimed fusable.` }];
    }
    if (f % (ch * r) === 0) return [];
    return [
      {
        code: 'RESHAPE_AXIS',
        message:
          `${linRef} writes its ${f} features on the last axis of ${formatShape(linearOut)}; ${op} turns that into ${formatShape(out)}, where ${bnRef} normalizes axis 1 ` +
          `(${ch} channels of ${r} element${r === 1 ? '' : 's'} each, read in row order). C·R = ${ch * r} does not divide the ${f} features, so the same feature falls in different channels in different rows ` +
          `and no single scale per feature exists` +
          (ch === f ? ` — even though both sizes are ${f}: matching sizes are not enough.` : '.') +
          ` The fold needs one channel, or C·R dividing the feature count.`,
      },
    ];
  },
  privateValues(g, bn, linear, extra, into) {
    // The Linear keeps this output (scaled numbers, same shape): `Shape` of it, as exporters write for a view back, is fine.
    into.add(inputOf(g, g.nodes[extra.reshape.nodeIndex], 0), extra.reshape.nodeIndex, null, true);
    into.add(inputOf(g, bn, 0), bn.index);
    matmulOutput(g, linear, into);
  },
  pairId: (bnOutput) => bnOutput,
  compute(g, pair) {
    const map = reshapeMap(pair.reshape.shape);
    return computeLinearThenBn(g, pair, map.op === 'reshape' ? (n) => Math.floor(n / map.r) % map.c : undefined);
  },
  rewire: (g, pair, folded, e) => rewireLinearThenBn(g, pair, folded, e, pair.reshape),
  explain: (pair) => linearThenBnFormula(pair, reshapeMap(pair.reshape.shape)),
};
