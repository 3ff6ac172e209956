/**
 * BatchNormalization → Linear: BN's affine map z = s·x + (β − s·μ) folded into the Linear after it,
 * W′ = diag(s)·W over the input features and b′ = b + (β − s·μ)·W. Valid when BN's channel axis is
 * the Linear's input-feature axis: a rank-2 input [N, C] (or a single channel, a uniform scale).
 */
import type { Graph } from '../graph/graph';
import type { ShapeInfo } from '../graph/shapeInference';
import { isBatchNorm, judge, matchLinear, matchMatMulAdd, type LinearBnPair } from './linearBatchNorm';

export function findBnLinearPairs(g: Graph, shapes: ShapeInfo): LinearBnPair[] {
  const pairs: LinearBnPair[] = [];
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    const y = bn.proto.output[0];
    const yv = y ? g.values.get(y) : undefined;
    if (!yv) continue;
    for (const c of yv.consumers) {
      const node = g.nodes[c.node];
      // The BN output must be the Linear's data input (A of Gemm, the left operand of MatMul).
      if (c.kind !== 'slot' || c.slot !== 0 || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
      let match = null;
      if (node.opType === 'Gemm') match = matchLinear(g, shapes, node);
      else if (node.opType === 'MatMul') {
        const out = g.values.get(node.proto.output[0] ?? '');
        const add = out && out.consumers.length === 1 && !out.isGraphOutput ? g.nodes[out.consumers[0].node] : undefined;
        const viaAdd = add && add.opType === 'Add' ? matchMatMulAdd(g, shapes, add) : null;
        match = viaAdd && viaAdd.part.nodeIndices[0] === node.index && !viaAdd.reasons.some((r) => r.code === 'NOT_A_LINEAR') ? viaAdd : matchLinear(g, shapes, node);
      }
      if (!match) continue;
      pairs.push(judge(g, shapes, bn, match.part, match.reasons, y, 'bn-linear'));
    }
  }
  return pairs;
}
