/**
 * The Linear → BatchNormalization rule: find every pair and give each a verdict with all the
 * reasons that apply (conditions and sources: ../shared/FUSION_RULES.md and docs/RULES.md).
 *
 * A pair is a BatchNormalization whose data input comes from a Gemm, a MatMul, or a MatMul
 * followed by an Add. An Add whose other operand is computed (a residual) is reported as a
 * pair that is not fusable (NOT_A_LINEAR), so the user sees why nothing folds there.
 */
import { attrFloat, attrInt } from '../onnx/attributes';
import { opsetVersion, readerRef, type Graph, type GraphNode, type Value } from '../graph/graph';
import { formatShape, type ShapeInfo } from '../graph/shapeInference';
import { dtypeName, externalLocation, FLOAT_TYPES, isExternal, tensorDataProblem, tensorDims, toNumber } from '../onnx/tensor';
import type { TensorProto } from '../onnx/types';
import type { Reason } from './reasons';
import type { LinearBnPair, LinearPart, PairPattern } from './pair';
import { isConst, nodeRef, q, shapeOf } from './common';
import { bnLinearAxisReasons, reshapeAxisReasons, transposeAxisReasons } from './axisReasons';

export type { BatchNormPart, LinearBnPair, LinearKind, LinearPart, PairPattern } from './pair';

const ROLES_WITH_BIAS = ['weight', 'bias', 'scale', 'B', 'mean', 'var'] as const;
const ROLES_NO_BIAS = ['weight', 'scale', 'B', 'mean', 'var'] as const;
const NO_NAMES: readonly string[] = [];

/** The Transpose or Reshape between the Linear and the BN, for the patterns that have one. */
export function betweenNode(p: LinearBnPair): { nodeIndex: number; node: string } | undefined {
  return p.transpose ?? p.reshape;
}

/** The last opset whose BatchNormalization/Gemm/MatMul semantics this tool knows. */
export const MAX_KNOWN_OPSET = 24;

function dtypeOf(shapes: ShapeInfo, name: string): number | undefined {
  return shapes.types.get(name)?.dtype;
}

/**
 * The BatchNormalizations in a graph and the Linear (or Conv) before each, directly or through one
 * Transpose. Linear in graph size.
 */
export function findLinearBnPairs(g: Graph, shapes: ShapeInfo): LinearBnPair[] {
  const pairs: LinearBnPair[] = [];
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    const x = bn.proto.input[0];
    const xv = bn.inputs[0];
    if (!xv || xv.producer < 0) continue;
    const producer = g.nodes[xv.producer];
    const conv = matchConv(shapes, producer);
    if (conv) {
      pairs.push(judge(g, shapes, bn, conv, convWeightReasons(producer, conv), x, 'conv-bn'));
      continue;
    }
    if (producer.opType === 'Transpose' && (producer.domain === '' || producer.domain === 'ai.onnx')) {
      const tin = producer.proto.input[0];
      const tv = tin ? g.values.get(tin) : undefined;
      const linear = tv && tv.producer >= 0 ? matchLinear(g, shapes, g.nodes[tv.producer]) : null;
      if (!linear) continue;
      const perm = producer.proto.attribute.find((a) => a.name === 'perm')?.ints.map(Number) ?? null;
      pairs.push(judge(g, shapes, bn, linear.part, linear.reasons, x, 'linear-transpose-bn', { nodeIndex: producer.index, node: producer.label, perm }));
      continue;
    }
    if (producer.opType === 'Reshape' && (producer.domain === '' || producer.domain === 'ai.onnx')) {
      const rv = producer.inputs[0];
      const linear = rv && rv.producer >= 0 ? matchLinear(g, shapes, g.nodes[rv.producer]) : null;
      if (!linear) continue;
      const reshape = { nodeIndex: producer.index, node: producer.label, shape: shapeOf(shapes, x) };
      pairs.push(judge(g, shapes, bn, linear.part, linear.reasons, x, 'linear-reshape-bn', undefined, reshape));
      continue;
    }
    const linear = matchLinear(g, shapes, producer);
    if (!linear) continue;
    pairs.push(judge(g, shapes, bn, linear.part, linear.reasons, x, 'linear-bn'));
  }
  return pairs;
}

export function isBatchNorm(n: GraphNode): boolean {
  return n.opType === 'BatchNormalization' && (n.domain === '' || n.domain === 'ai.onnx');
}

/** Conv / ConvTranspose: output channels on axis 1, weight [M, C/g, k…] or [C, M/g, k…]. */
function matchConv(shapes: ShapeInfo, producer: GraphNode): LinearPart | null {
  if ((producer.opType !== 'Conv' && producer.opType !== 'ConvTranspose') || (producer.domain !== '' && producer.domain !== 'ai.onnx')) return null;
  const p = producer.proto;
  const w = p.input[1] ?? '';
  const ws = shapeOf(shapes, w);
  const group = attrInt(p, 'group', 1);
  const ot = p.output[0] ? shapes.types.get(p.output[0]) : undefined;
  const m = ws && ws.length >= 3 ? (producer.opType === 'Conv' ? ws[0] : typeof ws[1] === 'number' ? ws[1] * group : null) : null;
  return {
    kind: producer.opType,
    nodeIndices: [producer.index],
    nodes: [p.name ?? ''],
    weight: w,
    bias: p.input[2] ? p.input[2] : null,
    outputShape: ot?.shape ?? null,
    outputDtype: ot?.dtype,
    outFeatures: typeof m === 'number' ? m : null,
    inFeatures: null,
    weightShape: ws,
    transB: 0,
    alpha: 1,
    beta: 1,
    group,
  };
}

/**
 * A Conv weight is [M, C/group, k…] and a ConvTranspose weight [C, M/group, k…]: at least 3-D, with
 * a first axis the group count divides. Anything else has no output channels to fold into (ONNX
 * Runtime would refuse the model too).
 */
function convWeightReasons(node: GraphNode, part: LinearPart): readonly Reason[] {
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

interface Match {
  part: LinearPart;
  reasons: Reason[];
}

export function matchLinear(g: Graph, shapes: ShapeInfo, producer: GraphNode): Match | null {
  if (producer.domain !== '' && producer.domain !== 'ai.onnx') return null;
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
        group: 1,
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

function matmulPart(shapes: ShapeInfo, mm: GraphNode, add: { node: GraphNode; bias: string } | null): LinearPart {
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
    transB: 0,
    alpha: 1,
    beta: 1,
    group: 1,
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

/** A Linear's bias is one value per output feature (or one for all); anything else is not folded. */
function biasShapeReason(node: GraphNode, biasName: string, bs: readonly number[], n: number | null): Reason | null {
  // With the feature count unknown the size cannot be checked here (the fold then checks nothing else is off).
  const fits = (d: number) => d === 1 || n === null || d === n;
  const perFeature = bs.length === 0 || (bs.length === 1 && fits(bs[0])) || (bs.length === 2 && bs[0] === 1 && fits(bs[1]));
  if (perFeature) return null;
  return {
    code: 'NOT_A_LINEAR',
    message: `${nodeRef(node)} adds the constant ${q(biasName)} of shape ${formatShape(bs)}, which is not one value per output feature ([${n ?? 'N'}] or [1, ${n ?? 'N'}]), so it is not a Linear's bias.`,
  };
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
    const r = biasShapeReason(add, biasName, tensorDims(biasValue!.constant!), part.outFeatures);
    if (r) reasons.push(r);
  }
  return { part, reasons };
}

/**
 * Whether anything but input slots of node `only` reads the value — a subgraph of `only` included (a
 * loop, not a closure: it runs for every pair).
 */
function readByOthers(v: Value, only: number): boolean {
  for (const c of v.consumers) if (c.kind === 'body' || c.node !== only) return true;
  return false;
}

/**
 * Who else reads a value, for a message. A read inside a subgraph counts like any other: the fold
 * would delete a value that body still reads.
 */
function othersText(g: Graph, v: Value, only: number): string {
  const seen = new Set<string>();
  for (const c of v.consumers) if (c.kind === 'body' || c.node !== only) seen.add(readerRef(g, c));
  return [...seen].join(', ');
}

/** Adds to `shared` who else reads the value, or that it is a graph output. */
function sharedBy(g: Graph, v: Value | undefined, only: number, shared: string[]): void {
  if (!v) return;
  if (readByOthers(v, only)) shared.push(`${q(v.name)} is also read by ${othersText(g, v, only)}`);
  if (v.isGraphOutput) shared.push(`${q(v.name)} is a graph output`);
}

/** Ops an exporter puts between a DequantizeLinear and the weight it feeds (layout only). */
const LAYOUT_OPS: ReadonlySet<string> = new Set(['Identity', 'Reshape', 'Transpose', 'Unsqueeze', 'Squeeze', 'Flatten', 'Cast']);

/** The DequantizeLinear a value comes from through layout-only ops, if any. */
function dequantizedFrom(g: Graph, v: Value): GraphNode | null {
  for (let at: Value | undefined = v, steps = 0; at && at.producer >= 0 && steps < 16; steps++) {
    const n: GraphNode = g.nodes[at.producer];
    if (n.opType === 'DequantizeLinear') return n;
    if (!LAYOUT_OPS.has(n.opType)) return null;
    at = n.inputs[0];
  }
  return null;
}

/** How messages name the two ops; built on first use, since most pairs need no message. */
class Refs {
  private bnRef: string | undefined;
  private linRef: string | undefined;
  constructor(
    private readonly g: Graph,
    private readonly bnNode: GraphNode,
    private readonly linear: LinearPart,
  ) {}
  get bn(): string {
    return (this.bnRef ??= nodeRef(this.bnNode));
  }
  get lin(): string {
    const l = this.linear;
    return (this.linRef ??= `${l.kind === 'MatMul+Add' ? 'Linear (MatMul+Add)' : l.kind} ${q(l.nodes.join(' + ') || this.g.nodes[l.nodeIndices[0]].label)}`);
  }
}

/**
 * All the conditions for one pair. `x` is the value between the two ops that the fold removes: the
 * BN's input, or for BN→Linear the BN's output.
 */
export function judge(
  g: Graph,
  shapes: ShapeInfo,
  bn: GraphNode,
  linear: LinearPart,
  initial: readonly Reason[],
  x: string,
  pattern: PairPattern,
  transpose?: LinearBnPair['transpose'],
  reshape?: LinearBnPair['reshape'],
): LinearBnPair {
  const p = bn.proto;
  const reasons: Reason[] = [...initial];
  const ins = p.input;
  const scale = ins[1] ?? '';
  const bias = ins[2] ?? '';
  const mean = ins[3] ?? '';
  const variance = ins[4] ?? '';
  const xShape = linear.outputShape;
  const linearOutput = g.nodes[linear.nodeIndices[linear.nodeIndices.length - 1]].proto.output[0] ?? '';
  // For Linear→BN and Conv→BN the BN reads the Linear's output, whose type is already in `linear`;
  // through a Reshape, the shape BN reads was looked up with it.
  const direct = (pattern === 'linear-bn' || pattern === 'conv-bn') && linearOutput === x;
  const bnInShape = direct ? xShape : reshape ? reshape.shape : shapeOf(shapes, p.input[0] ?? '');
  // BN's channel count: its scale's length (set in the pass below), else axis 1 of its input.
  let channels = bnInShape && bnInShape.length >= 2 && typeof bnInShape[1] === 'number' ? bnInShape[1] : null;
  // Built only when a message needs them: most pairs in big vision models are fusable.
  const refs = new Refs(g, bn, linear);
  // 5 and 7: every parameter constant, readable, floating-point, and (for BN) 1-D with one value per
  // channel. One pass, one lookup per parameter: this runs for every pair of a 100,000-node model.
  const roles = linear.bias ? ROLES_WITH_BIAS : ROLES_NO_BIAS;
  const names = linear.bias ? [linear.weight, linear.bias, scale, bias, mean, variance] : [linear.weight, scale, bias, mean, variance];
  const firstBn = linear.bias ? 2 : 1;
  // The parameters' values, read from the nodes' input slots (no name lookups).
  const lin0 = g.nodes[linear.nodeIndices[0]].inputs;
  const bi = bn.inputs;
  const biasV = linear.bias === null ? undefined : linear.kind === 'MatMul+Add' ? g.nodes[linear.nodeIndices[1]].inputs.find((v) => v?.name === linear.bias) : lin0[2];
  const values = linear.bias ? [lin0[1], biasV, bi[1], bi[2], bi[3], bi[4]] : [lin0[1], bi[1], bi[2], bi[3], bi[4]];
  const biasIsResidual = linear.kind === 'MatMul+Add' && initial.some((r) => r.code === 'NOT_A_LINEAR');
  let missing: string[] | null = null;
  let notConst: string[] | null = null;
  let quantized: string[] | null = null;
  let notLoaded: [string, TensorProto][] | null = null;
  let broken: string[] | null = null;
  let dtypes: string[] | null = null;
  let paramShapes: string[] | null = null;
  let paramCounts: Reason[] | null = null;
  for (let i = 0; i < names.length; i++) {
    const role = roles[i];
    const name = names[i];
    if (name === '') {
      (missing ??= []).push(role);
      continue;
    }
    const v = values[i];
    const c = v?.constant;
    let problem: string | null = null;
    if (c === undefined) {
      const dq = v ? dequantizedFrom(g, v) : null;
      if (dq) {
        (quantized ??= []).push(`${role} ${q(name)} is computed by ${nodeRef(dq)} from ${q(dq.proto.input[0] ?? '')}`);
      } else if (!(biasIsResidual && role === 'bias')) {
        const why = v?.notConstantBecause ?? (v?.isGraphInput ? `${q(name)} is a graph input` : v && v.producer >= 0 ? `${q(name)} is computed by ${nodeRef(g.nodes[v.producer])}` : `${q(name)} is not defined`);
        (notConst ??= []).push(`${role}: ${why}`);
      }
    } else {
      problem = tensorDataProblem(c);
      if (problem !== null) {
        if (isExternal(c)) (notLoaded ??= []).push([`${role} ${q(name)}`, c]);
        else (broken ??= []).push(`${role} ${q(name)} cannot be read (${problem})`);
      }
    }
    // A readable constant's type is its tensor's (shape inference records exactly that), which
    // saves a lookup in a map of every value; anything else is read from shape inference.
    const info = c !== undefined && problem === null ? undefined : shapes.types.get(name);
    if (c === undefined || problem !== null) {
      if (info === undefined) continue;
    }
    const dt = info ? info.dtype : c!.dataType;
    if (dt !== undefined && !FLOAT_TYPES.has(dt)) (dtypes ??= []).push(`${role} ${q(name)} is ${dtypeName(dt)}`);
    if (i < firstBn) continue;
    // Rank and length read without building a dims array (the shape is formatted only for a message).
    const s = info ? info.shape : null;
    if (info && s === null) continue;
    const rank = s ? s.length : c!.dims.length;
    const count = s ? s[0] : rank > 0 ? toNumber(c!.dims[0]) : null;
    if (rank !== 1) {
      (paramShapes ??= []).push(`BatchNormalization ${role} ${q(name)} has shape ${formatShape(s ?? tensorDims(c!))}, not 1-D`);
    } else if (typeof count === 'number') {
      // scale comes before B, mean and var, so the channel count is settled when they are checked.
      if (role === 'scale') channels = count;
      else if (channels !== null && count !== channels) {
        (paramCounts ??= []).push({ code: 'CHANNEL_MISMATCH', message: `${refs.bn}'s ${role} ${q(name)} has ${count} values but its scale has ${channels}; every parameter needs one value per channel.` });
      }
    }
  }
  const lastDim = xShape && typeof xShape[xShape.length - 1] === 'number' ? (xShape[xShape.length - 1] as number) : null;
  // The size BN's channels must match: the Linear's output features, Conv's output channels, or
  // for BN→Linear the Linear's input features.
  const n = pattern === 'bn-linear' ? linear.inFeatures : pattern === 'conv-bn' ? linear.outFeatures : (linear.outFeatures ?? lastDim);

  // 1–3: the axes and the sizes.
  if (pattern === 'conv-bn') {
    // Conv writes its output channels on axis 1, the axis BN normalizes: no axis condition.
  } else if (pattern === 'linear-transpose-bn') {
    reasons.push(...transposeAxisReasons(refs.lin, refs.bn, xShape, transpose!, channels, n, x));
  } else if (pattern === 'linear-reshape-bn') {
    reasons.push(...reshapeAxisReasons(refs.lin, refs.bn, xShape, reshape!, channels, x));
  } else if (pattern === 'bn-linear') {
    reasons.push(...bnLinearAxisReasons(g, linear, refs.lin, refs.bn, bnInShape, channels, n, p.input[0] ?? ''));
  } else if (xShape === null) {
    reasons.push({
      code: 'UNKNOWN_RANK',
      message: `The rank of ${q(x)}, the value between ${refs.lin} and ${refs.bn}, cannot be determined from the model, so it is unknown whether BatchNormalization's axis 1 is the Linear's feature axis. Not claimed fusable.`,
    });
  } else if (xShape.length !== 2 && channels !== 1) {
    const last = xShape.length - 1;
    const same = n !== null && channels !== null && n === channels;
    reasons.push({
      code: 'LINEAR_OUTPUT_RANK',
      message:
        `${refs.lin} writes its ${n ?? '?'} features on the last axis (axis ${last}) of ${formatShape(xShape)}, ` +
        `while ${refs.bn} normalizes axis 1 (${channels ?? '?'} channels). They act on different axes, so the per-channel scale γ/√(σ²+ε) ` +
        `cannot be folded into the weight's ${n ?? '?'} output features` +
        (same ? ` — even though both sizes are ${n}: matching sizes are not enough.` : '.') +
        ` Only a rank-2 output [N, C] puts the features on axis 1.`,
    });
  }
  // Through a Reshape a channel may cover several features: the sizes need not match (see above).
  if (channels !== null && n !== null && channels !== n && channels !== 1 && pattern !== 'linear-reshape-bn') {
    const what = pattern === 'bn-linear' ? 'input features' : pattern === 'conv-bn' ? 'output channels' : 'output features';
    reasons.push({
      code: 'CHANNEL_MISMATCH',
      message: `${refs.bn} has ${channels} channels but ${refs.lin} has ${n} ${what}; a per-channel scale needs one channel per ${pattern === 'conv-bn' ? 'output channel' : 'feature'}.`,
    });
  }

  // 4: the pre-BN value must feed only the BatchNormalization.
  const shared: string[] = [];
  // The BN-after patterns remove the BN's input; BN→Linear removes the BN's output.
  const xv = (pattern === 'bn-linear' ? g.values.get(x) : bn.inputs[0])!;
  // The op that reads the removed value: the BN, or for BN→Linear the Linear's first node.
  // The Transpose or Reshape between Linear and BN: both values around it must be private.
  const between = transpose ?? reshape;
  const reader = pattern === 'bn-linear' ? linear.nodeIndices[0] : between ? between.nodeIndex : bn.index;
  if (between) {
    sharedBy(g, g.nodes[between.nodeIndex].inputs[0], between.nodeIndex, shared);
    sharedBy(g, xv, bn.index, shared);
  } else sharedBy(g, xv, reader, shared);
  const othersRead = readByOthers(xv, reader);
  if (linear.kind === 'MatMul+Add') {
    const mmOut = g.nodes[linear.nodeIndices[0]].proto.output[0];
    const mv = g.values.get(mmOut);
    if (mv && readByOthers(mv, linear.nodeIndices[1])) shared.push(`the MatMul output ${q(mmOut)} is also read by ${othersText(g, mv, linear.nodeIndices[1])}`);
    if (mv?.isGraphOutput) shared.push(`the MatMul output ${q(mmOut)} is a graph output`);
  }
  if (shared.length > 0) {
    reasons.push({
      code: 'PRE_BN_VALUE_SHARED',
      message: `${shared.join('; ')}. Folding BatchNormalization into the ${pattern === 'conv-bn' ? linear.kind : 'Linear'} would change what ${shared.length === 1 && xv.isGraphOutput && !othersRead ? 'the model returns there' : 'those readers see'}.`,
    });
  }

  if (missing) {
    reasons.push({
      code: 'NON_CONSTANT_PARAMS',
      message: `The fold needs every parameter, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: ${refs.bn} has ${p.input.length} input(s) where BatchNormalization takes 5 (X, scale, B, mean, var).`,
    });
  }
  if (notConst) {
    reasons.push({
      code: 'NON_CONSTANT_PARAMS',
      message: `The fold needs constant parameters, known before the model runs. Not constant — ${notConst.join('; ')}.`,
    });
  }
  if (quantized) {
    reasons.push({
      code: 'QUANTIZED_WEIGHT',
      message: `${quantized.join('; ')}: a quantized parameter. Folding BatchNormalization would need it as a float tensor, which silently drops the quantization; fold before quantizing, or re-quantize the folded weight.`,
    });
  }
  if (notLoaded || broken) {
    const parts: string[] = [];
    if (notLoaded) {
      const files = [...new Set(notLoaded.map(([, t]) => externalLocation(t) ?? '?'))];
      parts.push(`${notLoaded.map(([what]) => what).join(', ')} ${notLoaded.length === 1 ? 'is' : 'are'} stored in external data (${files.map(q).join(', ')}) that is not loaded — add the data file to judge this pair`);
    }
    if (broken) parts.push(...broken);
    reasons.push({ code: 'NON_CONSTANT_PARAMS', message: `The fold needs the parameters' values, but ${parts.join('; ')}.` });
  }

  // 6: inference mode only.
  const training = attrInt(p, 'training_mode', 0);
  const isTest = attrInt(p, 'is_test');
  const extraOutputs = p.output.length > 1 ? p.output.slice(1).filter((o) => o !== '') : NO_NAMES;
  const opset = opsetVersion(g, '') ?? 0;
  if (training === 1 || extraOutputs.length > 0 || (opset < 7 && isTest !== 1)) {
    const parts: string[] = [];
    if (training === 1) parts.push('training_mode=1');
    if (extraOutputs.length > 0) parts.push(`it writes its running statistics (${extraOutputs.map(q).join(', ')})`);
    if (opset < 7 && isTest !== 1) parts.push('is_test is not set (opset < 7)');
    reasons.push({
      code: 'BN_TRAINING_MODE',
      message: `${refs.bn} runs in training mode: ${parts.join(', ')}. It then normalizes with the batch's own statistics, which change with every input; only inference-mode BatchNormalization is a fixed affine map that can be folded.`,
    });
  }

  // 7: floating-point tensors and 1-D BN parameters (collected in the pass above).
  const xdt = direct ? linear.outputDtype : dtypeOf(shapes, x);
  if (xdt !== undefined && !FLOAT_TYPES.has(xdt)) (dtypes ??= []).push(`${q(x)} is ${dtypeName(xdt)}`);
  if (paramCounts) reasons.push(...paramCounts);
  if (dtypes || paramShapes) {
    const all = [...(dtypes ?? []), ...(paramShapes ?? [])];
    reasons.push({ code: 'UNSUPPORTED_DTYPE', message: `The fold works on floating-point tensors with 1-D BatchNormalization parameters: ${all.join('; ')}.` });
  }

  // 9: opsets whose semantics this tool knows.
  const spatial = attrInt(p, 'spatial');
  if (opset < 7 || opset > MAX_KNOWN_OPSET || spatial === 0) {
    const why =
      spatial === 0
        ? `${refs.bn} has spatial=0 (per-activation statistics), which this fold does not model`
        : opset < 7
          ? `the model uses ai.onnx opset ${opset}; BatchNormalization before opset 7 has legacy attributes (is_test, spatial, consumed_inputs)`
          : `the model uses ai.onnx opset ${opset}, newer than the opsets this tool knows (up to ${MAX_KNOWN_OPSET})`;
    reasons.push({ code: 'UNSUPPORTED_OPSET', message: `${why}; not claimed fusable.` });
  }
  for (const i of linear.nodeIndices) {
    const d = g.nodes[i].domain;
    if (d !== '' && d !== 'ai.onnx') reasons.push({ code: 'UNSUPPORTED_OPSET', message: `${nodeRef(g.nodes[i])} is in domain ${q(d)}, not ai.onnx.` });
  }

  const bnOutput = p.output[0] ?? '';
  const pair: LinearBnPair = {
    id: pattern === 'bn-linear' ? linearOutput : bnOutput,
    pattern,
    linear,
    batchNorm: { nodeIndex: bn.index, node: p.name ?? '', channels, epsilon: attrFloat(p, 'epsilon', 1e-5), scale, bias, mean, variance },
    bnOutput,
    preBnValue: x,
    fusable: reasons.length === 0,
    reasons,
  };
  // Set only when there is one (no spread: one object shape for every pair).
  if (transpose) pair.transpose = transpose;
  if (reshape) pair.reshape = reshape;
  return pair;
}
