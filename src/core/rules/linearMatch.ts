/**
 * Recognising the op on the other side of a BatchNormalization: a Linear (`Gemm`, `MatMul`, or
 * `MatMul` + bias `Add`) or a Conv/ConvTranspose, with the reasons it is not one when it only
 * looks like one (a residual Add, a batched MatMul, a weight of the wrong rank).
 */
import { attrFloat, attrInt } from '../onnx/attributes';
import type { Graph, GraphNode } from '../graph/graph';
import { isOnnxOp } from '../graph/onnxDomain';
import { formatShape, type ShapeInfo } from '../graph/shapeInference';
import { tensorDims } from '../onnx/tensor';
import type { Reason } from './reasons';
import { isConst, nodeRef, q, shapeOf } from './common';
import { biasAxisReason } from './biasAxis';
import type { ConvPart, LinearOpPart, MatMulPart } from './pair';

export function isBatchNorm(n: GraphNode): boolean {
  return n.opType === 'BatchNormalization' && isOnnxOp(n);
}

/** Conv / ConvTranspose: output channels on axis 1, weight [M, C/g, k…] or [C, M/g, k…]. */
export function matchConv(shapes: ShapeInfo, producer: GraphNode): ConvPart | null {
  if ((producer.opType !== 'Conv' && producer.opType !== 'ConvTranspose') || !isOnnxOp(producer)) return null;
  const p = producer.proto;
  const w = p.input[1] ?? '';
  const ws = shapeOf(shapes, w);
  const group = attrInt(p, 'group', 1);
  const ot = p.output[0] ? shapes.types.get(p.output[0]) : undefined;
  const m = ws && ws.length >= 3 ? (producer.opType === 'Conv' ? ws[0] : typeof ws[1] === 'number' ? ws[1] * group : null) : null;
  // Input channels: C/group per filter times the groups (Conv), the weight's first axis (ConvTranspose).
  const cin = ws && ws.length >= 3 ? (producer.opType === 'ConvTranspose' ? ws[0] : typeof ws[1] === 'number' ? ws[1] * group : null) : null;
  return {
    kind: producer.opType === 'Conv' ? 'Conv' : 'ConvTranspose',
    nodeIndices: [producer.index],
    nodes: [p.name ?? ''],
    weight: w,
    bias: p.input[2] ? p.input[2] : null,
    outputShape: ot?.shape ?? null,
    outputDtype: ot?.dtype,
    outFeatures: typeof m === 'number' ? m : null,
    inFeatures: typeof cin === 'number' ? cin : null,
    weightShape: ws,
    group,
  };
}

/**
 * A Conv weight is [M, C/group, k…] and a ConvTranspose weight [C, M/group, k…]: at least 3-D, with
 * a first axis the group count divides. Anything else has no output channels to fold into (ONNX
 * Runtime would refuse the model too).
 */
export function convWeightReasons(node: GraphNode, part: ConvPart): readonly Reason[] {
  const ws = part.weightShape;
  if (ws === null) return NO_REASONS;
  const what = `${nodeRef(node)} has the weight ${q(part.weight)} of shape ${formatShape(ws)}`;
  const layout = node.opType === 'Conv' ? '[M, C/group, k…]' : '[C, M/group, k…]';
  if (ws.length < 3) {
    return [{ code: 'NOT_A_LINEAR', message: `${what}; a ${node.opType} weight is ${layout}, at least 3-D, so there are no output channels to fold into.` }];
  }
  const first = ws[0];
  if (part.group < 1 || (typeof first === 'number' && first % part.group !== 0)) {
    return [{ code: 'NOT_A_LINEAR', message: `${what} and group=${part.group}; a ${node.opType} weight is ${layout}, so group must be at least 1 and divide ${first ?? 'its first axis'}.` }];
  }
  return NO_REASONS;
}

const NO_REASONS: readonly Reason[] = [];

export interface Match {
  part: LinearOpPart;
  reasons: Reason[];
}

export function matchLinear(g: Graph, shapes: ShapeInfo, producer: GraphNode): Match | null {
  if (!isOnnxOp(producer)) return null;
  const p = producer.proto;
  if (producer.opType === 'Gemm') {
    const transB = attrInt(p, 'transB', 0);
    const w = p.input[1] ?? '';
    const ws = shapeOf(shapes, w);
    const out = p.output[0];
    const ot = out ? shapes.types.get(out) : undefined;
    const outFeatures = ws && ws.length === 2 ? ws[transB ? 0 : 1] : null;
    const inFeatures = ws && ws.length === 2 ? ws[transB ? 1 : 0] : null;
    const n = typeof outFeatures === 'number' ? outFeatures : null;
    const reasons: Reason[] = [];
    if (ws !== null && ws.length !== 2) {
      reasons.push({ code: 'NOT_A_LINEAR', message: `${nodeRef(producer)} has the weight ${q(w)} of shape ${formatShape(ws)}; Gemm's B must be 2-D.` });
    }
    const c = p.input[2] ? g.values.get(p.input[2]) : undefined;
    // Gemm's C broadcasts to [M, N]: per-row values are fine, but the last axis must be N or 1.
    const cs = c?.constant ? tensorDims(c.constant) : null;
    if (cs && (cs.length > 2 || (cs.length > 0 && n !== null && cs[cs.length - 1] !== 1 && cs[cs.length - 1] !== n))) {
      reasons.push({ code: 'NOT_A_LINEAR', message: `${nodeRef(producer)} adds C ${q(p.input[2])} of shape ${formatShape(cs)}, which does not broadcast to its output's ${n ?? 'N'} features.` });
    }
    return {
      part: {
        kind: 'Gemm',
        nodeIndices: [producer.index],
        nodes: [p.name ?? ''],
        weight: w,
        bias: p.input[2] ? p.input[2] : null,
        outputShape: ot?.shape ?? null,
        outputDtype: ot?.dtype,
        outFeatures: typeof outFeatures === 'number' ? outFeatures : null,
        inFeatures: typeof inFeatures === 'number' ? inFeatures : null,
        weightShape: ws,
        transB,
        alpha: attrFloat(p, 'alpha', 1),
        beta: attrFloat(p, 'beta', 1),
      },
      reasons,
    };
  }
  if (producer.opType === 'MatMul') {
    return { part: matmulPart(shapes, producer, null), reasons: matmulWeightReasons(g, shapes, producer) };
  }
  if (producer.opType === 'Add') {
    return matchMatMulAdd(g, shapes, producer);
  }
  return null;
}

function matmulPart(shapes: ShapeInfo, mm: GraphNode, add: { node: GraphNode; bias: string } | null): MatMulPart {
  const w = mm.proto.input[1] ?? '';
  const ws = shapeOf(shapes, w);
  const outFeatures = ws && ws.length === 2 ? ws[1] : null;
  const inFeatures = ws && ws.length === 2 ? ws[0] : null;
  const out = (add ? add.node : mm).proto.output[0];
  const ot = out ? shapes.types.get(out) : undefined;
  return {
    kind: add ? 'MatMul+Add' : 'MatMul',
    nodeIndices: add ? [mm.index, add.node.index] : [mm.index],
    nodes: add ? [mm.proto.name ?? '', add.node.proto.name ?? ''] : [mm.proto.name ?? ''],
    weight: w,
    bias: add ? add.bias : null,
    outputShape: ot?.shape ?? null,
    outputDtype: ot?.dtype,
    outFeatures: typeof outFeatures === 'number' ? outFeatures : null,
    inFeatures: typeof inFeatures === 'number' ? inFeatures : null,
    weightShape: ws,
  };
}

/** A MatMul is a Linear only with a 2-D weight; a batched or computed right operand is not. */
function matmulWeightReasons(g: Graph, shapes: ShapeInfo, mm: GraphNode): Reason[] {
  const w = mm.proto.input[1] ?? '';
  const ws = shapeOf(shapes, w);
  if (ws !== null && ws.length !== 2) {
    return [
      {
        code: 'NOT_A_LINEAR',
        message: `${nodeRef(mm)} multiplies by ${q(w)} of shape ${formatShape(ws)}; a Linear's weight is 2-D ([in_features, out_features]), so this MatMul is not a Linear.`,
      },
    ];
  }
  if (ws === null && !isConst(g.values.get(w))) {
    return [
      {
        code: 'NOT_A_LINEAR',
        message: `${nodeRef(mm)} multiplies by ${q(w)}, a computed value of unknown shape, so it cannot be treated as a Linear with a fixed weight.`,
      },
    ];
  }
  return [];
}

export function matchMatMulAdd(g: Graph, shapes: ShapeInfo, add: GraphNode): Match | null {
  const ins = add.proto.input;
  if (ins.length !== 2) return null;
  const cands = [0, 1].filter((i) => {
    const v = g.values.get(ins[i]);
    return v !== undefined && v.producer >= 0 && g.nodes[v.producer].opType === 'MatMul';
  });
  if (cands.length === 0) return null;
  // Prefer the operand order where the other side is a constant (a real bias).
  const mmSlot = cands.find((i) => isConst(g.values.get(ins[1 - i]))) ?? cands[0];
  const mm = g.nodes[g.values.get(ins[mmSlot])!.producer];
  const biasName = ins[1 - mmSlot];
  const biasValue = g.values.get(biasName);
  const reasons: Reason[] = matmulWeightReasons(g, shapes, mm);
  const part = matmulPart(shapes, mm, { node: add, bias: biasName });
  if (!isConst(biasValue)) {
    const producer = biasValue && biasValue.producer >= 0 ? ` (computed by ${nodeRef(g.nodes[biasValue.producer])})` : biasValue?.isGraphInput ? ' (a graph input)' : '';
    reasons.push({
      code: 'NOT_A_LINEAR',
      message: `${nodeRef(add)} adds ${q(biasName)}${producer}, a value computed at run time, to the output of ${nodeRef(mm)}. That is a residual connection, not a Linear's bias, so MatMul and Add do not form one Linear.`,
    });
  } else {
    // A Linear's bias is one value per output feature (or one for all); a constant on another axis is refused.
    const out = part.outputShape;
    const r = biasAxisReason({
      opRef: nodeRef(add),
      verb: 'adds',
      constant: biasName,
      dims: tensorDims(biasValue!.constant!),
      target: { ref: nodeRef(mm), shape: out, rank: out ? out.length : null },
      axis: 'features',
      size: part.outFeatures,
    });
    if (r) reasons.push(r);
  }
  return { part, reasons };
}
