/**
 * What the three patterns with a Linear before BatchNormalization share (Linear→BN, through a
 * Transpose, through a Reshape): the fold's numbers, the graph edits, the formula, and which
 * values the fold deletes. Features sit on the weight's output axis: rows of a Gemm transB=1
 * weight [N, K], columns of a [K, N] weight.
 */
import type { Graph, GraphNode } from '../graph/graph';
import type { PrivateValues } from '../rules/conditions';
import { makeAttribute } from '../onnx/builder';
import { addNode, type Edits, type FoldedPair } from '../rewrite/edits';
import type { LinearOpPart, NormPart, PairOf } from '../rules/pair';
import { addInitializer, constTensor, dense, effectiveBias, expand, normAffine, rebias, scaleAxis } from './foldMath';
import type { FoldFormula, ScaleMap } from './formula';
import type { Dense, Folded } from './types';

export type LinearThenBn = PairOf<'linear-bn' | 'linear-transpose-bn' | 'linear-reshape-bn'>;

/** Whether the weight's rows are the output features (Gemm with transB=1: [N, K]). */
export function rowsAreOut(lin: LinearOpPart): boolean {
  return lin.kind === 'Gemm' && lin.transB === 1;
}

/**
 * What the fold edits: the Linear, the node that goes (BN, or the Mul), the name the Linear then
 * writes, and the value between them. Every Linear-then-normalization pair is one.
 */
export interface LinearFoldTarget {
  id: string;
  linear: LinearOpPart;
  batchNorm: { nodeIndex: number };
  bnOutput: string;
  preBnValue: string;
}

/** W′ = s·W per output feature, b′ = s·(b − μ) + β; `channelOf` maps a feature to its BN channel. */
export function computeLinearThenBn(g: Graph, pair: LinearThenBn, channelOf?: (n: number) => number): Folded {
  return computeLinearThen(g, pair.linear, pair.batchNorm, channelOf);
}

/** W′ = s·W per output feature, b′ = s·b + t, for the normalization's z = s·x + t. */
export function computeLinearThen(g: Graph, lin: LinearOpPart, norm: NormPart, channelOf?: (n: number) => number): Folded {
  const w = dense(constTensor(g, lin.weight));
  const rows = rowsAreOut(lin);
  const n = rows ? w.dims[0] : w.dims[1];
  const { s, t } = normAffine(g, norm);
  const sf = expand(s, n, channelOf);
  const tf = expand(t, n, channelOf);
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const b = effectiveBias(biasT, n, lin.kind === 'Gemm' ? lin.beta : 1, biasT?.dataType ?? w.dtype);
  return { weight: scaleAxis(w, rows ? 0 : 1, sf), bias: rebias(b, n, (x, c) => sf[c] * x + tf[c]) };
}

/** What a Gemm stores for an effective bias b′: C′ = b′/beta (beta kept), or b′ with beta set to 1 when beta is 0. */
export function gemmBias(lin: LinearOpPart, b: Dense): { bias: Dense; resetBeta: boolean } {
  if (lin.kind !== 'Gemm' || lin.beta === 1) return { bias: b, resetBeta: false };
  if (lin.beta === 0) return { bias: b, resetBeta: true };
  const beta = lin.beta;
  return { bias: { ...b, values: b.values.map((x) => x / beta) }, resetBeta: false };
}

export function gemmAttributes(node: GraphNode, resetBeta: boolean) {
  const a = node.proto.attribute;
  return resetBeta ? [...a.filter((x) => x.name !== 'beta'), makeAttribute('beta', { float: 1 })] : a;
}

/**
 * The BatchNormalization disappears; the Linear's last node writes the BN's output name (through a
 * Transpose or Reshape, that op does), so readers and graph outputs keep the same tensor name.
 */
export function rewireLinearThenBn(g: Graph, pair: LinearFoldTarget, folded: Folded, e: Edits, between: { nodeIndex: number } | null): FoldedPair {
  const lin = pair.linear;
  const { bias, resetBeta } = gemmBias(lin, folded.bias);
  const weightName = addInitializer(e, `${lin.weight}_bnfold`, folded.weight);
  const biasName = addInitializer(e, lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`, bias);
  const bnNode = g.nodes[pair.batchNorm.nodeIndex];
  const bnOut = pair.bnOutput;
  const lastIdx = lin.nodeIndices[lin.nodeIndices.length - 1];
  const firstNode = g.nodes[lin.nodeIndices[0]];
  const first = firstNode.proto;
  const linOut = between ? g.nodes[lastIdx].proto.output[0] : bnOut;
  if (between) e.replaced.set(between.nodeIndex, { ...g.nodes[between.nodeIndex].proto, output: [bnOut] });
  e.removed.add(pair.batchNorm.nodeIndex);
  e.droppedValues.add(pair.preBnValue);
  switch (lin.kind) {
    case 'Gemm':
      e.replaced.set(lastIdx, { ...first, input: [first.input[0], weightName, biasName], output: [linOut, ...first.output.slice(1)], attribute: gemmAttributes(firstNode, resetBeta) });
      break;
    case 'MatMul+Add': {
      const add = g.nodes[lastIdx].proto;
      e.replaced.set(lin.nodeIndices[0], { ...first, input: [first.input[0], weightName] });
      const slot = add.input.indexOf(lin.bias!);
      e.replaced.set(lastIdx, { ...add, input: add.input.map((x, i) => (i === slot ? biasName : x)), output: [linOut] });
      break;
    }
    case 'MatMul':
      if (!between) {
        // A MatMul without bias gets one: an Add placed where the BatchNormalization was.
        e.replaced.set(lastIdx, { ...first, input: [first.input[0], weightName] });
        e.insertedAt.set(pair.batchNorm.nodeIndex, [addNode(e.names.fresh(`${bnNode.proto.name || bnOut}_bnfold_bias_add`), first.output[0], biasName, bnOut)]);
        e.droppedValues.delete(pair.preBnValue);
      } else {
        // Through a Transpose or Reshape the bias Add goes right after the MatMul, before that op.
        const raw = e.names.fresh(`${first.output[0]}_unbiased`);
        e.replaced.set(lastIdx, { ...first, input: [first.input[0], weightName], output: [raw] });
        e.insertedAt.set(lastIdx, [addNode(e.names.fresh(`${first.name || raw}_bnfold_bias_add`), raw, biasName, first.output[0])]);
      }
      break;
  }
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [bnNode.label] };
}

/** The formula of a Linear → BN fold, from the weight layout the fold uses. */
export function linearThenBnFormula(pair: { linear: LinearOpPart; batchNorm: { channels: number | null } }, scale: ScaleMap): FoldFormula {
  const lin = pair.linear;
  return {
    scale: pair.batchNorm.channels === 1 ? { op: 'uniform', count: lin.outFeatures } : scale,
    weight: rowsAreOut(lin) ? { op: 'diag-left' } : { op: 'diag-right' },
    bias: { op: 'affine' },
    weightShape: lin.weightShape,
    gemmBeta: lin.kind === 'Gemm' && lin.beta !== 1 && lin.bias !== null ? lin.beta : null,
  };
}

/** A MatMul + Add Linear is rewritten as one: its MatMul output must have no other reader. */
export function matmulOutput(g: Graph, lin: LinearOpPart, into: PrivateValues): void {
  if (lin.kind === 'MatMul+Add') into.add(g.values.get(g.nodes[lin.nodeIndices[0]].proto.output[0] ?? ''), lin.nodeIndices[1], 'the MatMul output');
}
