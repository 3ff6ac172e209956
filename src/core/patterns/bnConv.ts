/**
 * BatchNormalization → Conv (pre-activation blocks, input normalization): BN's z = s·x + t per
 * input channel folds into the Conv after it, W′[m, j, …] = W[m, j, …]·s[c], b′[m] = b[m] +
 * Σ W[m, j, …]·t[c] with c = k(m)·(C/G) + j the input channel filter m reads at j (k(m) its group).
 * Exact only without padding: the Conv pads with zeros AFTER the BN would have shifted its input,
 * so at the border the folded Conv would add t·W where the original reads 0 (CONV_PADDING).
 * The mirror of bnLinear.ts.
 */
import { attr, attrInts } from '../onnx/attributes';
import { isOnnxOp } from '../graph/onnxDomain';
import { readersOf } from '../graph/readers';
import { nodeRef } from '../rules/common';
import { judge, NO_EXTRA } from '../rules/judge';
import { convWeightReasons, isBatchNorm, matchConv } from '../rules/linearMatch';
import type { Reason } from '../rules/reasons';
import type { GraphNode } from '../graph/graph';
import { addInitializer, bnAffine, constTensor, dense, effectiveBias, expand, rebias } from './foldMath';
import type { FoldPattern } from './types';

/** The Conv's padding in words when it has any (explicit pads, or auto_pad SAME_*), else null. */
function paddingOf(conv: GraphNode): string | null {
  const a = attr(conv.proto, 'auto_pad');
  const autoPad = a?.s ? new TextDecoder().decode(a.s) : 'NOTSET';
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return `auto_pad=${autoPad}`;
  if (autoPad === 'VALID') return null;
  const pads = attrInts(conv.proto, 'pads');
  return pads && pads.some((p) => p !== 0) ? `pads [${pads.join(', ')}]` : null;
}

export const bnConv: FoldPattern<'bn-conv'> = {
  id: 'bn-conv',
  label: 'BN→Conv',
  name: 'BatchNormalization→Conv',
  opLabel: 'Conv',
  order: 6,
  placement: { side: 'before', whenFoldedBefore: false },
  find(g, shapes, bn, into) {
    if (!isBatchNorm(bn)) return false;
    const yv = g.values.get(bn.proto.output[0] ?? '');
    if (!yv) return false;
    let found = false;
    for (const c of readersOf(g, yv)) {
      const node = g.nodes[c.node];
      // BN's output must be the Conv's data input X; a ConvTranspose spreads its input differently.
      if (c.kind !== 'slot' || c.slot !== 0 || node.opType !== 'Conv' || !isOnnxOp(node)) continue;
      const conv = matchConv(shapes, node);
      if (!conv) continue;
      into.push(judge(g, shapes, bn, conv, convWeightReasons(node, conv), yv.name, 'bn-conv', bnConv, NO_EXTRA));
      found = true;
    }
    return found;
  },
  sizeToMatch: (linear) => linear.inFeatures,
  sizeName: ['input channels', 'input channel'],
  axisReasons(c): Reason[] {
    const conv = c.g.nodes[c.linear.nodeIndices[0]];
    const pad = paddingOf(conv);
    if (pad === null) return [];
    return [
      {
        code: 'CONV_PADDING',
        message:
          `${nodeRef(conv)} pads its input with zeros (${pad}) after ${c.refs.bn} has shifted it. ` +
          `At the border the Conv reads 0 where, folded, it would read BN's shift t = β − γ·μ/√(σ² + ε): the folded bias adds t times every weight of a filter, also those that fall on the padding, ` +
          `so each border output would be off by t times the border weights. Only a Conv without padding (all pads 0, auto_pad NOTSET or VALID) takes the fold exactly.`,
      },
    ];
  },
  privateValues(g, bn, linear, _extra, into) {
    into.add(g.values.get(bn.proto.output[0] ?? ''), linear.nodeIndices[0]);
  },
  pairId: (_bnOutput, linearOutput) => linearOutput,
  compute(g, pair) {
    const lin = pair.linear;
    const w = dense(constTensor(g, lin.weight));
    const [m, cg] = w.dims;
    const block = w.dims.slice(2).reduce((a, d) => a * d, 1);
    const groups = lin.group;
    const { s, t } = bnAffine(g, pair.batchNorm);
    const sc = expand(s, cg * groups);
    const tc = expand(t, cg * groups);
    const perGroup = m / groups;
    const out = new Float64Array(w.values.length);
    // The shift carried through each filter: Σ_{j, k…} W[m, j, k…]·t[c(m, j)].
    const d = new Float64Array(m);
    for (let mm = 0; mm < m; mm++) {
      const base = Math.floor(mm / perGroup) * cg;
      for (let j = 0; j < cg; j++) {
        const at = (mm * cg + j) * block;
        for (let i = 0; i < block; i++) {
          out[at + i] = w.values[at + i] * sc[base + j];
          d[mm] += w.values[at + i] * tc[base + j];
        }
      }
    }
    const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
    const b = effectiveBias(biasT, m, 1, biasT?.dataType ?? w.dtype);
    const bias = rebias(b, m, (x, c) => x + d[c]);
    return { weight: { ...w, values: out }, bias: { ...bias, dims: [m] } };
  },
  rewire(g, pair, folded, e) {
    const lin = pair.linear;
    const weightName = addInitializer(e, `${lin.weight}_bnfold`, folded.weight);
    const biasName = addInitializer(e, lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`, folded.bias);
    const bnNode = g.nodes[pair.batchNorm.nodeIndex];
    const conv = g.nodes[lin.nodeIndices[0]].proto;
    e.replaced.set(lin.nodeIndices[0], { ...conv, input: [bnNode.proto.input[0], weightName, biasName] });
    e.removed.add(bnNode.index);
    e.droppedValues.add(pair.preBnValue);
    return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [bnNode.label] };
  },
  explain: (pair) => ({
    scale: pair.batchNorm.channels === 1 ? { op: 'uniform', count: pair.linear.inFeatures } : { op: 'per-channel' },
    weight: { op: 'input-channels', groups: pair.linear.group },
    bias: { op: 'shift-through-filters' },
    weightShape: pair.linear.weightShape,
    gemmBeta: null,
  }),
};
