/** A pair the rules judge: the Linear (or Conv) part, the BatchNormalization part, the verdict. */
import type { Dim } from '../graph/shapeInference';
import type { Reason } from './reasons';

export type LinearKind = 'Gemm' | 'MatMul' | 'MatMul+Add' | 'Conv' | 'ConvTranspose';

/**
 * Which fold a pair is: Linear→BN (the original rule), Linear→Transpose→BN, Conv/ConvTranspose→BN,
 * or BN→Linear (BN folded into the Linear after it).
 */
export type PairPattern = 'linear-bn' | 'linear-transpose-bn' | 'linear-reshape-bn' | 'conv-bn' | 'bn-linear';

export interface LinearPart {
  kind: LinearKind;
  /** Node indices: [Gemm], [MatMul] or [MatMul, Add]. */
  nodeIndices: number[];
  /** Node names as in the file (may be empty strings). */
  nodes: string[];
  weight: string;
  bias: string | null;
  /** Shape of the Linear's output, the value BatchNormalization reads. */
  outputShape: Dim[] | null;
  /** The output's element type, when known (read with the shape, in one lookup). */
  outputDtype: number | undefined;
  /** Number of output features from the weight, when known. */
  outFeatures: number | null;
  /** Number of input features (the contracted axis) from the weight, when known. */
  inFeatures: number | null;
  weightShape: Dim[] | null;
  /** Gemm's transB (1: weight is [N, K]); MatMul weights are [K, N]. */
  transB: number;
  alpha: number;
  beta: number;
  /** Conv/ConvTranspose `group` (1 otherwise). */
  group: number;
}

export interface BatchNormPart {
  nodeIndex: number;
  node: string;
  channels: number | null;
  epsilon: number;
  scale: string;
  bias: string;
  mean: string;
  variance: string;
}

export interface LinearBnPair {
  /** The BN's output for BN-after patterns; the Linear's output for BN→Linear. */
  id: string;
  pattern: PairPattern;
  /** The Transpose between Linear and BN (pattern linear-transpose-bn). */
  transpose?: { nodeIndex: number; node: string; perm: number[] | null };
  /** The Reshape between Linear and BN (pattern linear-reshape-bn), with the shape BN reads. */
  reshape?: { nodeIndex: number; node: string; shape: Dim[] | null };
  linear: LinearPart;
  batchNorm: BatchNormPart;
  /** The BatchNormalization's first output; the fused model keeps producing a tensor of this name. */
  bnOutput: string;
  /** The value between the two ops, which the fold removes (the BN's input; for BN→Linear its output). */
  preBnValue: string;
  fusable: boolean;
  reasons: Reason[];
}
