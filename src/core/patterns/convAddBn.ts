/**
 * Conv/ConvTranspose → Add(constant) → BatchNormalization: the Conv's bias written as its own Add,
 * as paddle2onnx does (`[1, C, 1, 1]`). The constant folds into the bias only when it is one value
 * per output channel on axis 1 (`[C, 1, …]`, `[1, C, 1, …]`, one value); a constant broadcasts
 * from the last axes, so a `[C]` one acts on the last spatial axis: BIAS_AXIS.
 */
import { isOnnxOp } from '../graph/onnxDomain';
import { inputOf } from '../graph/nodeInputs';
import { tensorDims, tensorToFloat64 } from '../onnx/tensor';
import { biasAxisReason } from '../rules/biasAxis';
import { isConst, nodeRef } from '../rules/common';
import { judge } from '../rules/judge';
import { convWeightReasons, matchConv } from '../rules/linearMatch';
import { computeConvThenBn, convThenBnFormula, rewireConvThenBn } from './convBn';
import { constTensor } from './foldMath';
import type { FoldPattern } from './types';

export const convAddBn: FoldPattern<'conv-add-bn'> = {
  id: 'conv-add-bn',
  label: 'Conv→Add→BN',
  name: 'Conv→Add→BatchNormalization',
  opLabel: 'Conv',
  order: 5,
  placement: { side: 'after', producers: ['Add'] },
  find(g, shapes, bn, into) {
    const xv = inputOf(g, bn, 0);
    if (!xv || xv.producer < 0) return false;
    const add = g.nodes[xv.producer];
    if (add.opType !== 'Add' || !isOnnxOp(add) || add.proto.input.length !== 2) return false;
    const ins = add.proto.input;
    const convSlot = [0, 1].find((i) => {
      const v = g.values.get(ins[i]);
      return v !== undefined && v.producer >= 0 && matchConv(shapes, g.nodes[v.producer]) !== null && isConst(g.values.get(ins[1 - i]));
    });
    // A computed operand makes it a residual connection, not a bias: no pair.
    if (convSlot === undefined) return false;
    const convNode = g.nodes[g.values.get(ins[convSlot])!.producer];
    const conv = matchConv(shapes, convNode)!;
    const constant = ins[1 - convSlot];
    const part = { nodeIndex: add.index, node: add.proto.name ?? '', constant, dims: tensorDims(g.values.get(constant)!.constant!) };
    into.push(judge(g, shapes, bn, conv, convWeightReasons(convNode, conv), xv.name, 'conv-add-bn', convAddBn, { add: part }));
    return true;
  },
  sizeToMatch: (linear) => linear.outFeatures,
  sizeName: ['output channels', 'output channel'],
  axisReasons(c) {
    const lin = c.linear;
    const rank = c.linearOut?.length ?? lin.weightShape?.length ?? null;
    const r = biasAxisReason({
      opRef: nodeRef(c.g.nodes[c.extra.add.nodeIndex]),
      verb: 'adds',
      constant: c.extra.add.constant,
      dims: c.extra.add.dims,
      target: { ref: c.refs.lin, shape: c.linearOut, rank },
      axis: 'channels',
      size: lin.outFeatures,
    });
    return r ? [r] : [];
  },
  privateValues(g, bn, linear, extra, into) {
    into.add(inputOf(g, bn, 0), bn.index);
    into.add(g.values.get(g.nodes[linear.nodeIndices[0]].proto.output[0] ?? ''), extra.add.nodeIndex, `the ${linear.kind} output`);
  },
  pairId: (bnOutput) => bnOutput,
  compute: (g, pair) => computeConvThenBn(g, pair, tensorToFloat64(constTensor(g, pair.add.constant))),
  rewire: (g, pair, folded, e) => rewireConvThenBn(g, pair, folded, e, [pair.add.nodeIndex, pair.batchNorm.nodeIndex]),
  explain: (pair) => convThenBnFormula(pair, { op: 'affine-add', constant: pair.add.constant }),
};
