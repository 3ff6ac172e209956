/**
 * All the conditions for one pair: the shared ones (conditions.ts) and the axis conditions its
 * pattern adds (the pattern's `JudgeSpec`). Every pair gets every reason that applies.
 */
import { attrFloat } from '../onnx/attributes';
import { inputsOf, type Graph, type GraphNode } from '../graph/graph';
import type { Dim, ShapeInfo } from '../graph/shapeInference';
import { nodeRef, q, shapeOf } from './common';
import type { Reason } from './reasons';
import type { LinearPart, PairExtra, PairOf, PairPattern } from './pair';
import { bnTrainingMode, channelMismatch, nonConstantParams, preBnValueShared, PrivateValues, quantizedWeight, scanParameters, unsupportedDtype, unsupportedOpset, type OpRefs } from './conditions';

/** How messages name the two ops; built on first use, since most pairs need no message. */
export class Refs implements OpRefs {
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

/** What a pattern's axis conditions see. */
export interface AxisContext<P extends PairPattern> {
  g: Graph;
  refs: Refs;
  linear: PairOf<P>['linear'];
  extra: PairExtra<P>;
  /** The Linear's (Conv's) output shape. */
  linearOut: Dim[] | null;
  /** The shape BatchNormalization reads. */
  bnIn: Dim[] | null;
  channels: number | null;
  /** The size BN's channels must match (`JudgeSpec.sizeToMatch`). */
  n: number | null;
  /** The value the fold removes. */
  x: string;
}

/** What a pattern adds to the shared conditions. */
export interface JudgeSpec<P extends PairPattern> {
  /** The size BN's channels must equal, or null when the channel check does not apply (a Reshape spreads features). */
  sizeToMatch(linear: PairOf<P>['linear'], lastDim: number | null): number | null;
  /** How CHANNEL_MISMATCH names that size and its unit: `output features` / `feature`. */
  sizeName: readonly [string, string];
  /** The axis conditions of this pattern. */
  axisReasons(c: AxisContext<P>): readonly Reason[];
  /** Adds to `into` the values the fold deletes, each with the one node allowed to read it (and a label for messages). */
  privateValues(g: Graph, bn: GraphNode, linear: PairOf<P>['linear'], extra: PairExtra<P>, into: PrivateValues): void;
  /** The pair's id: the BN's output, or (BN→Linear) the Linear's. */
  pairId(bnOutput: string, linearOutput: string): string;
}

/** The `extra` of patterns that add no fields, shared so no object is built per pair. */
export const NO_EXTRA = {};

/** Reused for every pair (judging is synchronous). */
const PRIVATE = new PrivateValues();

const ROLES_WITH_BIAS = ['weight', 'bias', 'scale', 'B', 'mean', 'var'] as const;
const ROLES_NO_BIAS = ['weight', 'scale', 'B', 'mean', 'var'] as const;

/**
 * Judges one pair. `x` is the value between the two ops that the fold removes: the BN's input, or
 * for BN→Linear the BN's output. `initial` holds reasons found while matching the Linear.
 */
export function judge<P extends PairPattern>(
  g: Graph,
  shapes: ShapeInfo,
  bn: GraphNode,
  linear: PairOf<P>['linear'],
  initial: readonly Reason[],
  x: string,
  pattern: P,
  spec: JudgeSpec<P>,
  extra: PairExtra<P>,
  bnInKnown?: Dim[] | null,
): PairOf<P> {
  const p = bn.proto;
  const reasons: Reason[] = [...initial];
  const ins = p.input;
  const scale = ins[1] ?? '';
  const bias = ins[2] ?? '';
  const mean = ins[3] ?? '';
  const variance = ins[4] ?? '';
  const xShape = linear.outputShape;
  const linearOutput = g.nodes[linear.nodeIndices[linear.nodeIndices.length - 1]].proto.output[0] ?? '';
  // When BN reads the Linear's output its type is already in `linear`.
  const direct = linearOutput === x;
  const bnInShape = direct ? xShape : bnInKnown !== undefined ? bnInKnown : shapeOf(shapes, p.input[0] ?? '');
  const refs = new Refs(g, bn, linear);
  // BN's channel count: its scale's length (found by the scan), else axis 1 of its input.
  const axis1 = bnInShape && bnInShape.length >= 2 && typeof bnInShape[1] === 'number' ? bnInShape[1] : null;
  const lin0 = inputsOf(g, g.nodes[linear.nodeIndices[0]]);
  const bi = inputsOf(g, bn);
  const biasV = linear.bias === null ? undefined : linear.kind === 'MatMul+Add' ? inputsOf(g, g.nodes[linear.nodeIndices[1]]).find((v) => v?.name === linear.bias) : lin0[2];
  const names = linear.bias ? [linear.weight, linear.bias, scale, bias, mean, variance] : [linear.weight, scale, bias, mean, variance];
  const values = linear.bias ? [lin0[1], biasV, bi[1], bi[2], bi[3], bi[4]] : [lin0[1], bi[1], bi[2], bi[3], bi[4]];
  const roles = linear.bias ? ROLES_WITH_BIAS : ROLES_NO_BIAS;
  const firstBn = linear.bias ? 2 : 1;
  // A residual Add's computed operand is reported as NOT_A_LINEAR already.
  const biasIsResidual = linear.kind === 'MatMul+Add' && initial.some((r) => r.code === 'NOT_A_LINEAR');
  const scan = scanParameters(g, shapes, roles, names, values, firstBn, axis1, refs, biasIsResidual ? 'bias' : null);
  const channels = scan.channels;
  const lastDim = xShape && typeof xShape[xShape.length - 1] === 'number' ? (xShape[xShape.length - 1] as number) : null;
  const n = spec.sizeToMatch(linear, lastDim);

  // 1–3: the axes and the sizes.
  const axis = spec.axisReasons({ g, refs, linear, extra, linearOut: xShape, bnIn: bnInShape, channels, n, x });
  if (axis.length > 0) reasons.push(...axis);
  const mismatch = channelMismatch(channels, n, refs.bn, refs.lin, spec.sizeName[0], spec.sizeName[1]);
  if (mismatch) reasons.push(mismatch);

  // 4: the values the fold deletes must have no other reader.
  const what = linear.kind === 'Conv' || linear.kind === 'ConvTranspose' ? linear.kind : 'Linear';
  spec.privateValues(g, bn, linear, extra, PRIVATE.reset());
  const shared = preBnValueShared(g, PRIVATE, what);
  if (shared) reasons.push(shared);

  // 5: constant parameters; quantized ones are named as such.
  const nonConst = nonConstantParams(scan, bn, refs.bn);
  if (nonConst.length > 0) reasons.push(...nonConst);
  const quantized = quantizedWeight(scan);
  if (quantized) reasons.push(quantized);

  // 6: inference mode only.
  const training = bnTrainingMode(g, bn, refs);
  if (training) reasons.push(training);

  // 7: floating-point tensors and 1-D BN parameters.
  const xdt = direct ? linear.outputDtype : shapes.types.get(x)?.dtype;
  if (scan.paramCounts) reasons.push(...scan.paramCounts);
  const dtype = unsupportedDtype(scan, x, xdt);
  if (dtype) reasons.push(dtype);

  // 9: opsets whose semantics this tool knows.
  const opsets = unsupportedOpset(g, bn, linear.nodeIndices, refs);
  if (opsets.length > 0) reasons.push(...opsets);

  const bnOutput = p.output[0] ?? '';
  const pair = {
    id: spec.pairId(bnOutput, linearOutput),
    pattern,
    linear,
    batchNorm: { op: 'BatchNormalization' as const, nodeIndex: bn.index, node: p.name ?? '', channels, epsilon: attrFloat(p, 'epsilon', 1e-5), scale, bias, mean, variance },
    bnOutput,
    preBnValue: x,
    fusable: reasons.length === 0,
    reasons,
  };
  // The variant's own fields (a Transpose, a Reshape) are added only where there are any.
  return (extra === NO_EXTRA ? pair : Object.assign(pair, extra)) as unknown as PairOf<P>;
}
