/**
 * Linear or Conv → Mul(constant) [→ Add(constant)]: a per-channel affine map with no
 * BatchNormalization — BatchNorm as exporters and simplifiers decompose it, or a LayerScale. It
 * folds into the op before when both constants act on that op's own axis: a Linear's features
 * (the last axis: `[F]`, `[1, F]`, `[1, 1, F]`), a Conv's channels (axis 1: `[C, 1, 1]`,
 * `[1, C, 1, 1]`), or are one value; otherwise BIAS_AXIS names the axis. Anchored on the Mul: a
 * Mul whose other operand is computed at run time is not a candidate, nor one after an op that is
 * not a Linear or Conv with a constant weight (attention's Q·Kᵀ scale, say).
 */
import type { Graph, GraphNode } from '../graph/graph';
import { isOnnxOp } from '../graph/onnxDomain';
import { opsetVersion } from '../graph/graph';
import { readerNode } from '../graph/readers';
import type { ShapeInfo } from '../graph/shapeInference';
import { dtypeName, FLOAT_TYPES, tensorDims } from '../onnx/tensor';
import { biasAxisReason, type FeatureAxis } from '../rules/biasAxis';
import { isConst, nodeRef, q } from '../rules/common';
import { PrivateValues, preBnValueShared } from '../rules/conditions';
import { Refs } from '../rules/judge';
import { convWeightReasons, matchConv, matchLinear } from '../rules/linearMatch';
import type { AddPart, LinearAffinePair, LinearPart, ScaleShiftPart } from '../rules/pair';
import type { Reason } from '../rules/reasons';
import { computeConvThenBn, convThenBnFormula, rewireConvThenBn } from './convBn';
import { computeLinearThen, linearThenBnFormula, matmulOutput, rewireLinearThenBn } from './linearFold';
import type { FoldPattern } from './types';

const isConvPart = (l: LinearPart): l is Extract<LinearPart, { kind: 'Conv' | 'ConvTranspose' }> => l.kind === 'Conv' || l.kind === 'ConvTranspose';

/** The other operand of a two-input node when it is a constant, with the slot of `from`. */
function constantBeside(g: Graph, node: GraphNode, from: string): string | null {
  const ins = node.proto.input;
  if (ins.length !== 2 || !isOnnxOp(node)) return null;
  const slot = ins[0] === from ? 1 : ins[1] === from ? 0 : -1;
  return slot >= 0 && isConst(g.values.get(ins[slot])) ? ins[slot] : null;
}

/** The Linear or Conv that writes `value`, with the reasons it is not quite one; null when it is no candidate. */
function opBefore(g: Graph, shapes: ShapeInfo, value: string): { part: LinearPart; reasons: Reason[] } | null {
  const v = g.values.get(value);
  if (!v || v.producer < 0) return null;
  const node = g.nodes[v.producer];
  const conv = matchConv(shapes, node);
  const m = conv ? { part: conv as LinearPart, reasons: [...convWeightReasons(node, conv)] } : matchLinear(g, shapes, node);
  if (!m || m.reasons.some((r) => r.code === 'NOT_A_LINEAR')) return null;
  // Only a fixed weight makes the op a Linear (Conv) a constant can fold into.
  return isConst(g.values.get(m.part.weight)) ? m : null;
}

function addPart(g: Graph, node: GraphNode, constant: string): AddPart {
  return { nodeIndex: node.index, node: node.proto.name ?? '', constant, dims: tensorDims(g.values.get(constant)!.constant!) };
}

/** All the conditions of one candidate. */
function judgeAffine(g: Graph, mul: GraphNode, linear: LinearPart, initial: Reason[], norm: ScaleShiftPart): LinearAffinePair {
  const reasons = [...initial];
  const refs = new Refs(g, mul, linear);
  const conv = isConvPart(linear);
  const axis: FeatureAxis = conv ? 'channels' : 'features';
  const shape = linear.outputShape;
  const rank = shape?.length ?? (conv ? (linear.weightShape?.length ?? null) : null);
  const target = { ref: refs.lin, shape, rank };
  const scaleAxis = biasAxisReason({ opRef: nodeRef(mul), verb: 'multiplies', constant: norm.scale, dims: norm.scaleDims, target, axis, size: linear.outFeatures });
  if (scaleAxis) reasons.push(scaleAxis);
  const shift = norm.shift;
  if (shift) {
    const r = biasAxisReason({ opRef: nodeRef(g.nodes[shift.nodeIndex]), verb: 'adds', constant: shift.constant, dims: shift.dims, target, axis, size: linear.outFeatures });
    if (r) reasons.push(r);
  }
  // The values the fold deletes: the op's output (read by the Mul only), the Mul's (by the Add only).
  const priv = new PrivateValues();
  const lastLinear = g.nodes[linear.nodeIndices[linear.nodeIndices.length - 1]];
  priv.add(g.values.get(lastLinear.proto.output[0] ?? ''), mul.index, `the ${conv ? linear.kind : 'Linear'} output`);
  if (shift) priv.add(g.values.get(mul.proto.output[0] ?? ''), shift.nodeIndex, 'the Mul output');
  if (!conv) matmulOutput(g, linear, priv);
  const shared = preBnValueShared(g, priv, conv ? linear.kind : 'Linear', 'the Mul');
  if (shared) reasons.push(shared);
  if (linear.bias && !isConst(g.values.get(linear.bias))) {
    reasons.push({ code: 'NON_CONSTANT_PARAMS', message: `The fold needs constant parameters, known before the model runs. Not constant — the bias ${q(linear.bias)} of ${refs.lin}.` });
  }
  const dtypes: string[] = [];
  for (const name of [linear.weight, norm.scale, shift?.constant]) {
    const dt = name ? g.values.get(name)?.constant?.dataType : undefined;
    if (name && dt !== undefined && !FLOAT_TYPES.has(dt)) dtypes.push(`${q(name)} is ${dtypeName(dt)}`);
  }
  if (dtypes.length > 0) reasons.push({ code: 'UNSUPPORTED_DTYPE', message: `The fold works on floating-point tensors: ${dtypes.join('; ')}.` });
  // Before opset 7, Mul and Add broadcast by their `broadcast`/`axis` attributes, not from the last axes.
  const opset = opsetVersion(g, '') ?? 0;
  if (opset < 7) reasons.push({ code: 'UNSUPPORTED_OPSET', message: `The model uses ai.onnx opset ${opset}; before opset 7 Mul and Add broadcast by their axis attribute, which this fold does not model.` });
  const out = (shift ? g.nodes[shift.nodeIndex] : mul).proto.output[0] ?? '';
  return {
    id: out,
    pattern: 'linear-affine',
    linear,
    batchNorm: norm,
    bnOutput: out,
    preBnValue: lastLinear.proto.output[0] ?? '',
    fusable: reasons.length === 0,
    reasons,
  };
}

export const linearAffine: FoldPattern<'linear-affine'> = {
  id: 'linear-affine',
  label: 'Linear/Conv→Mul(→Add)',
  name: 'Linear/Conv→Mul(→Add)',
  opLabel: 'Linear / Conv',
  order: 7,
  placement: { side: 'anchor', op: 'Mul' },
  find(g, shapes, mul, into) {
    if (!isOnnxOp(mul) || mul.proto.input.length !== 2) return false;
    // The op before is whichever operand a Linear or Conv writes; the other must be a constant.
    let before: { part: LinearPart; reasons: Reason[] } | null = null;
    let scale: string | null = null;
    for (const x of mul.proto.input) {
      const c = constantBeside(g, mul, x);
      const b = c ? opBefore(g, shapes, x) : null;
      if (b) {
        before = b;
        scale = c;
        break;
      }
    }
    if (!before || !scale) return false;
    // An Add of a constant right after the Mul (its only reader) is the shift.
    const mv = g.values.get(mul.proto.output[0] ?? '');
    const next = mv && mv.readerCount === 1 && !mv.isGraphOutput ? g.nodes[readerNode(g, mv, 0)] : undefined;
    const shiftConst = next && next.opType === 'Add' ? constantBeside(g, next, mv!.name) : null;
    const scaleDims = tensorDims(g.values.get(scale)!.constant!);
    const norm: ScaleShiftPart = {
      op: 'Mul',
      nodeIndex: mul.index,
      node: mul.proto.name ?? '',
      channels: scaleDims.reduce((a, d) => a * d, 1),
      scale,
      scaleDims,
      shift: next && shiftConst ? addPart(g, next, shiftConst) : null,
    };
    into.push(judgeAffine(g, mul, before.part, before.reasons, norm));
    return true;
  },
  sizeToMatch: (linear) => linear.outFeatures,
  sizeName: ['output features', 'feature'],
  // Judged by judgeAffine above (there is no BatchNormalization for the shared judge to read).
  axisReasons: () => [],
  privateValues: () => {},
  pairId: (_bnOutput, linearOutput) => linearOutput,
  compute(g, pair) {
    const lin = pair.linear;
    return isConvPart(lin) ? computeConvThenBn(g, { ...pair, linear: lin }, null) : computeLinearThen(g, lin, pair.batchNorm);
  },
  rewire(g, pair, folded, e) {
    const lin = pair.linear;
    const shift = pair.batchNorm.shift;
    if (isConvPart(lin)) return rewireConvThenBn(g, { ...pair, linear: lin }, folded, e, shift ? [pair.batchNorm.nodeIndex, shift.nodeIndex] : [pair.batchNorm.nodeIndex]);
    const r = rewireLinearThenBn(g, { ...pair, linear: lin }, folded, e, null);
    if (shift) {
      // The Add goes too; a MatMul's new bias Add, placed at the Mul, writes the Add's output.
      e.removed.add(shift.nodeIndex);
      e.droppedValues.add(g.nodes[pair.batchNorm.nodeIndex].proto.output[0] ?? '');
      return { ...r, removedNodes: [...r.removedNodes, g.nodes[shift.nodeIndex].label] };
    }
    return r;
  },
  explain(pair) {
    const n = pair.batchNorm;
    const bias = { op: 'scale-shift' as const, scale: n.scale, shift: n.shift?.constant ?? null };
    const lin = pair.linear;
    if (isConvPart(lin)) return convThenBnFormula({ ...pair, linear: lin }, bias);
    return { ...linearThenBnFormula({ linear: lin, batchNorm: n }, { op: 'per-channel' }), bias };
  },
};
