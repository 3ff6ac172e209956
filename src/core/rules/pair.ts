/**
 * A pair the rules judge: the Linear (or Conv) part, the BatchNormalization part, the verdict. A
 * discriminated union on `pattern`: what only one pattern has (the Transpose, the Reshape) exists
 * only on its variant, and Gemm's `transB/alpha/beta` and Conv's `group` only on those ops' parts.
 */
import type { Dim } from '../graph/shapeInference';
import type { Reason } from './reasons';

export type LinearKind = 'Gemm' | 'MatMul' | 'MatMul+Add' | 'Conv' | 'ConvTranspose';

/**
 * Which fold a pair is: Linear→BN (the original rule), Linear→Transpose→BN, Linear→Reshape→BN,
 * Conv/ConvTranspose→BN, BN→Linear (BN folded into the Linear after it), Conv/ConvTranspose → Add
 * (a constant, the bias as paddle2onnx writes it) → BN, BN→Conv, or a Linear/Conv → Mul(constant)
 * [→ Add(constant)] (BatchNorm as simplifiers decompose it, LayerScale), which has no BatchNormalization.
 */
export type PairPattern = 'linear-bn' | 'linear-transpose-bn' | 'linear-reshape-bn' | 'conv-bn' | 'bn-linear' | 'conv-add-bn' | 'bn-conv' | 'linear-affine';

interface PartBase {
  /** Node indices: [Gemm], [MatMul], [MatMul, Add] or [Conv]. */
  nodeIndices: number[];
  /** Node names as in the file (may be empty strings). */
  nodes: string[];
  weight: string;
  bias: string | null;
  /** Shape of the op's output. */
  outputShape: Dim[] | null;
  /** The output's element type, when known (read with the shape, in one lookup). */
  outputDtype: number | undefined;
  /** Number of output features (Conv: output channels) from the weight, when known. */
  outFeatures: number | null;
  /** Number of input features (the contracted axis) from the weight, when known. */
  inFeatures: number | null;
  weightShape: Dim[] | null;
}

/** Gemm: Y = alpha·A·B′ + beta·C, B′ = B (transB=0, weight [K, N]) or Bᵀ (transB=1, weight [N, K]). */
export interface GemmPart extends PartBase {
  kind: 'Gemm';
  transB: number;
  alpha: number;
  beta: number;
}

/** MatMul with a 2-D weight [K, N], alone or followed by a bias Add. */
export interface MatMulPart extends PartBase {
  kind: 'MatMul' | 'MatMul+Add';
}

/** Conv (weight [M, C/group, k…]) or ConvTranspose (weight [C, M/group, k…]). */
export interface ConvPart extends PartBase {
  kind: 'Conv' | 'ConvTranspose';
  group: number;
}

/** A Linear: features on the last axis. */
export type LinearOpPart = GemmPart | MatMulPart;
export type LinearPart = LinearOpPart | ConvPart;

export interface BatchNormPart {
  op: 'BatchNormalization';
  nodeIndex: number;
  node: string;
  channels: number | null;
  epsilon: number;
  scale: string;
  bias: string;
  mean: string;
  variance: string;
}

/**
 * What takes BatchNormalization's place in Linear/Conv → Mul(constant) [→ Add(constant)]: the Mul
 * (its node is the one `nodeIndex` names, the node the fold removes first) and the Add after it.
 * `channels` is the count of per-channel values the scale has (1 for one value).
 */
export interface ScaleShiftPart {
  op: 'Mul';
  nodeIndex: number;
  node: string;
  channels: number | null;
  /** The Mul's constant operand and its stored shape. */
  scale: string;
  scaleDims: number[];
  /** The Add of a constant after the Mul, when there is one. */
  shift: AddPart | null;
}

/** The normalization a pair folds: a BatchNormalization, or a Mul [+ Add] of constants. */
export type NormPart = BatchNormPart | ScaleShiftPart;

export interface TransposePart {
  nodeIndex: number;
  node: string;
  perm: number[] | null;
}

export interface ReshapePart {
  nodeIndex: number;
  node: string;
  /** The shape BatchNormalization reads. */
  shape: Dim[] | null;
}

/** The Add of a constant between a Conv and its BatchNormalization (a bias written as its own node). */
export interface AddPart {
  nodeIndex: number;
  node: string;
  /** The constant operand. */
  constant: string;
  /** Its stored shape. */
  dims: number[];
}

interface PairBase<N extends NormPart = BatchNormPart> {
  /** The BN's output for BN-after patterns; the Linear's output for BN→Linear. */
  id: string;
  /** The BatchNormalization (for Linear/Conv → Mul [→ Add], the Mul and Add: `op` tells). */
  batchNorm: N;
  /** The BatchNormalization's first output; the fused model keeps producing a tensor of this name. */
  bnOutput: string;
  /** The value between the two ops, which the fold removes (the BN's input; for BN→Linear its output). */
  preBnValue: string;
  fusable: boolean;
  reasons: Reason[];
}

export interface LinearBnPairOnly extends PairBase {
  pattern: 'linear-bn';
  linear: LinearOpPart;
}
export interface LinearTransposeBnPair extends PairBase {
  pattern: 'linear-transpose-bn';
  linear: LinearOpPart;
  transpose: TransposePart;
}
export interface LinearReshapeBnPair extends PairBase {
  pattern: 'linear-reshape-bn';
  linear: LinearOpPart;
  reshape: ReshapePart;
}
export interface ConvBnPair extends PairBase {
  pattern: 'conv-bn';
  linear: ConvPart;
}
export interface BnLinearPair extends PairBase {
  pattern: 'bn-linear';
  linear: LinearOpPart;
}

export interface ConvAddBnPair extends PairBase {
  pattern: 'conv-add-bn';
  linear: ConvPart;
  add: AddPart;
}
/** BN → Conv: `linear.kind` is always 'Conv' (a ConvTranspose reads its input differently). */
export interface BnConvPair extends PairBase {
  pattern: 'bn-conv';
  linear: ConvPart;
}

/** Linear/Conv → Mul(constant) [→ Add(constant)]: `bnOutput` is what the last of them writes. */
export interface LinearAffinePair extends PairBase<ScaleShiftPart> {
  pattern: 'linear-affine';
  linear: LinearPart;
}

export type Pair = LinearBnPairOnly | LinearTransposeBnPair | LinearReshapeBnPair | ConvBnPair | BnLinearPair | ConvAddBnPair | BnConvPair | LinearAffinePair;
/** The variant of one pattern. */
export type PairOf<P extends PairPattern> = Extract<Pair, { pattern: P }>;

/** The Transpose, Reshape or bias Add between the Linear (Conv) and the BN, for the patterns that have one. */
export function betweenNode(p: Pair): TransposePart | ReshapePart | AddPart | undefined {
  switch (p.pattern) {
    case 'linear-transpose-bn':
      return p.transpose;
    case 'linear-reshape-bn':
      return p.reshape;
    case 'conv-add-bn':
      return p.add;
    case 'linear-affine':
      return p.batchNorm.shift ?? undefined;
    case 'linear-bn':
    case 'conv-bn':
    case 'bn-linear':
    case 'bn-conv':
      return undefined;
  }
}

/** The constants of the normalization a fold removes (BN's four; the Mul's and Add's; an Add between Conv and BN). */
export function foldedParameters(p: Pair): string[] {
  const n = p.batchNorm;
  const own = n.op === 'BatchNormalization' ? [n.scale, n.bias, n.mean, n.variance] : [n.scale, n.shift?.constant ?? ''];
  return p.pattern === 'conv-add-bn' ? [p.add.constant, ...own] : own;
}

/** What a pattern's variant adds to the fields every pair has (`{}`, `{ transpose }`, `{ reshape }`). */
export type PairExtra<P extends PairPattern> = Omit<PairOf<P>, keyof PairBase<NormPart> | 'pattern' | 'linear'>;
