/**
 * BatchNormalization → Linear: BN's affine map z = s·x + t (t = β − s·μ) folded into the Linear
 * after it. Valid when BN's channel axis is the Linear's input-feature axis: a rank-2 input [N, C]
 * (or a single channel). The input features are the rows of a [K, N] weight (W′ = diag(s)·W,
 * b′ = b + t·W) and the columns of a Gemm transB=1 weight [N, K] (W′ = W·diag(s), b′ = b + W·t).
 */
import { attrInt } from '../onnx/attributes';
import { formatShape } from '../graph/shapeInference';
import { q } from '../rules/common';
import { judge, NO_EXTRA } from '../rules/judge';
import { isOnnxOp } from '../graph/onnxDomain';
import { readerNode, readersOf } from '../graph/readers';
import { isBatchNorm, matchLinear, matchMatMulAdd, type Match } from '../rules/linearMatch';
import type { Reason } from '../rules/reasons';
import { addNode } from '../rewrite/edits';
import { addInitializer, bnAffine, constTensor, dense, effectiveBias, expand, rebias, scaleAxis } from './foldMath';
import { gemmAttributes, gemmBias, matmulOutput, rowsAreOut } from './linearFold';
import type { FoldPattern } from './types';

export const bnLinear: FoldPattern<'bn-linear'> = {
  id: 'bn-linear',
  label: 'BN→Linear',
  name: 'BatchNormalization→Linear',
  opLabel: 'Linear',
  order: 3,
  placement: { side: 'before', whenFoldedBefore: true },
  find(g, shapes, bn, into) {
    if (!isBatchNorm(bn)) return false;
    const y = bn.proto.output[0];
    const yv = y ? g.values.get(y) : undefined;
    if (!yv) return false;
    let found = false;
    for (const c of readersOf(g, yv)) {
      const node = g.nodes[c.node];
      // The BN output must be the Linear's data input (A of Gemm, the left operand of MatMul).
      if (c.kind !== 'slot' || c.slot !== 0 || !isOnnxOp(node)) continue;
      let match: Match | null = null;
      if (node.opType === 'Gemm') match = matchLinear(g, shapes, node);
      else if (node.opType === 'MatMul') {
        const out = g.values.get(node.proto.output[0] ?? '');
        const add = out && out.readerCount === 1 && !out.isGraphOutput ? g.nodes[readerNode(g, out, 0)] : undefined;
        const viaAdd = add && add.opType === 'Add' ? matchMatMulAdd(g, shapes, add) : null;
        match = viaAdd && viaAdd.part.nodeIndices[0] === node.index && !viaAdd.reasons.some((r) => r.code === 'NOT_A_LINEAR') ? viaAdd : matchLinear(g, shapes, node);
      }
      if (!match) continue;
      into.push(judge(g, shapes, bn, match.part, match.reasons, yv.name, 'bn-linear', bnLinear, NO_EXTRA));
      found = true;
    }
    return found;
  },
  sizeToMatch: (linear) => linear.inFeatures,
  sizeName: ['input features', 'feature'],
  axisReasons(c): Reason[] {
    const { g, linear, bnIn, channels, n, x } = c;
    const linRef = c.refs.lin;
    const bnRef = c.refs.bn;
    if (linear.kind === 'Gemm' && attrInt(g.nodes[linear.nodeIndices[0]].proto, 'transA', 0) === 1) {
      return [{ code: 'NOT_A_LINEAR', message: `${linRef} has transA=1: it contracts its input's axis 0, the batch axis, not the ${channels ?? '?'} channels ${bnRef} normalizes.` }];
    }
    if (bnIn === null) {
      return [{ code: 'UNKNOWN_RANK', message: `The rank of ${q(x)}, the value ${bnRef} normalizes before ${linRef}, cannot be determined, so it is unknown whether its axis 1 is the Linear's input-feature axis. Not claimed fusable.` }];
    }
    if (bnIn.length === 2 || channels === 1) return [];
    const same = n !== null && channels !== null && n === channels;
    return [
      {
        code: 'LINEAR_INPUT_RANK',
        message:
          `${bnRef} normalizes axis 1 (${channels ?? '?'} channels) of ${formatShape(bnIn)}, while ${linRef} reads its ${n ?? '?'} input features from the last axis (axis ${bnIn.length - 1}). ` +
          `They act on different axes, so the normalization cannot be folded into the weight's input features` +
          (same ? ` — even though both sizes are ${n}: matching sizes are not enough.` : '.') +
          ` Only a rank-2 input [N, C] puts the channels on the feature axis.`,
      },
    ];
  },
  privateValues(g, bn, linear, _extra, into) {
    into.add(g.values.get(bn.proto.output[0] ?? ''), linear.nodeIndices[0]);
    matmulOutput(g, linear, into);
  },
  pairId: (_bnOutput, linearOutput) => linearOutput,
  compute(g, pair) {
    const lin = pair.linear;
    const w = dense(constTensor(g, lin.weight));
    const rows = rowsAreOut(lin); // [N, K]: input features are columns
    const k = rows ? w.dims[1] : w.dims[0];
    const n = rows ? w.dims[0] : w.dims[1];
    const { s, t } = bnAffine(g, pair.batchNorm);
    const sk = expand(s, k);
    const tk = expand(t, k);
    // t·W: the shift carried through the weight, one value per output feature.
    const d = new Float64Array(n);
    for (let kk = 0; kk < k; kk++) for (let nn = 0; nn < n; nn++) d[nn] += tk[kk] * w.values[rows ? nn * k + kk : kk * n + nn];
    const alpha = lin.kind === 'Gemm' ? lin.alpha : 1;
    const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
    const b = effectiveBias(biasT, n, lin.kind === 'Gemm' ? lin.beta : 1, biasT?.dataType ?? w.dtype);
    return { weight: scaleAxis(w, rows ? 1 : 0, sk), bias: rebias(b, n, (x, c) => x + alpha * d[c]) };
  },
  rewire(g, pair, folded, e) {
    const lin = pair.linear;
    const { bias, resetBeta } = gemmBias(lin, folded.bias);
    const weightName = addInitializer(e, `${lin.weight}_bnfold`, folded.weight);
    const biasName = addInitializer(e, lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`, bias);
    const bnNode = g.nodes[pair.batchNorm.nodeIndex];
    const x = bnNode.proto.input[0];
    const firstNode = g.nodes[lin.nodeIndices[0]];
    const first = firstNode.proto;
    const lastIdx = lin.nodeIndices[lin.nodeIndices.length - 1];
    e.removed.add(bnNode.index);
    e.droppedValues.add(pair.preBnValue);
    switch (lin.kind) {
      case 'Gemm':
        e.replaced.set(lastIdx, { ...first, input: [x, weightName, biasName], attribute: gemmAttributes(firstNode, resetBeta) });
        break;
      case 'MatMul+Add': {
        e.replaced.set(lin.nodeIndices[0], { ...first, input: [x, weightName] });
        const add = g.nodes[lastIdx].proto;
        const slot = add.input.indexOf(lin.bias!);
        e.replaced.set(lastIdx, { ...add, input: add.input.map((v, i) => (i === slot ? biasName : v)) });
        break;
      }
      case 'MatMul': {
        const out = first.output[0];
        const raw = e.names.fresh(`${out}_unbiased`);
        e.replaced.set(lastIdx, { ...first, input: [x, weightName], output: [raw] });
        e.insertedAt.set(lastIdx, [addNode(e.names.fresh(`${first.name || out}_bnfold_bias_add`), raw, biasName, out)]);
        break;
      }
    }
    return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [bnNode.label] };
  },
  explain(pair) {
    const lin = pair.linear;
    const rows = rowsAreOut(lin);
    const alpha = lin.kind === 'Gemm' ? lin.alpha : 1;
    return {
      scale: pair.batchNorm.channels === 1 ? { op: 'uniform', count: lin.inFeatures } : { op: 'per-channel' },
      weight: rows ? { op: 'diag-right' } : { op: 'diag-left' },
      bias: rows ? { op: 'shift-through-cols', alpha } : { op: 'shift-through-rows', alpha },
      weightShape: lin.weightShape,
      gemmBeta: lin.kind === 'Gemm' && lin.beta !== 1 && lin.bias !== null ? lin.beta : null,
    };
  },
};
