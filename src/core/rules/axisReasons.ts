/**
 * The axis conditions of the patterns beyond plain Linear→BN: whether BN's channel axis (1) is the
 * Linear's feature axis after a Transpose, and whether it is the Linear's input-feature axis for
 * BN→Linear. Sources: ../shared/FUSION_RULES.md ("Across a Transpose or Reshape"), docs/RULES.md.
 */
import { attrInt } from '../onnx/attributes';
import type { Graph } from '../graph/graph';
import { formatShape, product, type Dim } from '../graph/shapeInference';
import { q } from './common';
import type { LinearPart } from './pair';
import type { Reason } from './reasons';

export function transposeAxisReasons(
  linRef: string,
  bnRef: string,
  linOut: Dim[] | null,
  transpose: { node: string; perm: number[] | null },
  channels: number | null,
  n: number | null,
  x: string,
): Reason[] {
  if (linOut === null) {
    return [{ code: 'UNKNOWN_RANK', message: `The rank of ${linRef}'s output cannot be determined, so it is unknown where Transpose ${q(transpose.node)} moves its feature axis. Not claimed fusable.` }];
  }
  const r = linOut.length;
  const perm = transpose.perm ?? linOut.map((_, i) => r - 1 - i); // ONNX default: reverse the axes
  if (perm.length !== r || r < 2) {
    return [{ code: 'TRANSPOSE_AXIS', message: `Transpose ${q(transpose.node)} has perm ${JSON.stringify(perm)}, which does not fit the rank-${r} value ${formatShape(linOut)}.` }];
  }
  if (channels === 1 || perm[1] === r - 1) return [];
  const same = n !== null && channels !== null && n === channels;
  return [
    {
      code: 'TRANSPOSE_AXIS',
      message:
        `${linRef} writes its ${n ?? '?'} features on axis ${r - 1} of ${formatShape(linOut)}; Transpose ${q(transpose.node)} (perm ${JSON.stringify(perm)}) ` +
        `puts its axis ${perm[1]} on axis 1 of ${q(x)}, the axis ${bnRef} normalizes. Each channel would mix features, so the scale cannot be folded per feature` +
        (same ? ` — even though both sizes are ${n}: matching sizes are not enough.` : '.') +
        ` Only a permutation with perm[1] = ${r - 1} (the feature axis) lets the fold through.`,
    },
  ];
}

export function bnLinearAxisReasons(g: Graph, linear: LinearPart, linRef: string, bnRef: string, bnIn: Dim[] | null, channels: number | null, n: number | null, x: string): Reason[] {
  const first = g.nodes[linear.nodeIndices[0]];
  if (linear.kind === 'Gemm' && attrInt(first.proto, 'transA', 0) === 1) {
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
}

/**
 * Linear → Reshape → BN (FUSION_RULES.md, "Across a Transpose or Reshape"): the Linear's output,
 * read row-major as [M, F], becomes [d0, C, R…]; element i lands in channel ⌊i/R⌋ mod C (R the
 * product of the trailing dims). Every channel reads whole features — one scale per feature —
 * iff C = 1, or M = 1, or C·R divides F (M = 1 implies it).
 */
export function reshapeAxisReasons(
  linRef: string,
  bnRef: string,
  linOut: Dim[] | null,
  reshape: { node: string; shape: Dim[] | null },
  channels: number | null,
  x: string,
): Reason[] {
  const out = reshape.shape;
  const op = `Reshape ${q(reshape.node)}`;
  if (linOut === null || out === null) {
    return [{ code: 'UNKNOWN_RANK', message: `The shape of ${linOut === null ? `${linRef}'s output` : q(x)} cannot be determined, so it is unknown which of the Linear's features each channel of ${bnRef} sees after ${op}. Not claimed fusable.` }];
  }
  if (out.length < 2) {
    return [{ code: 'RESHAPE_AXIS', message: `${op} gives ${formatShape(out)}, which has no channel axis for ${bnRef} to normalize.` }];
  }
  const c = out[1];
  if (channels !== null && typeof c === 'number' && channels !== c) {
    return [{ code: 'CHANNEL_MISMATCH', message: `${bnRef} has ${channels} channels but ${op} gives ${formatShape(out)}, with ${c} on axis 1.` }];
  }
  if (c === 1 || channels === 1) return [];
  // (One row, M = 1, needs no case of its own: then C·R always divides F.)
  const f = linOut[linOut.length - 1];
  const r = product(out.slice(2));
  if (typeof f !== 'number' || typeof c !== 'number' || r === null) {
    return [{ code: 'UNKNOWN_RANK', message: `${linRef} gives ${formatShape(linOut)} and ${op} gives ${formatShape(out)}; with these sizes unknown it cannot be said which features each channel of ${bnRef} sees. Not claimed fusable.` }];
  }
  if (f % (c * r) === 0) return [];
  return [
    {
      code: 'RESHAPE_AXIS',
      message:
        `${linRef} writes its ${f} features on the last axis of ${formatShape(linOut)}; ${op} turns that into ${formatShape(out)}, where ${bnRef} normalizes axis 1 ` +
        `(${c} channels of ${r} element${r === 1 ? '' : 's'} each, read in row order). C·R = ${c * r} does not divide the ${f} features, so the same feature falls in different channels in different rows ` +
        `and no single scale per feature exists` +
        (c === f ? ` — even though both sizes are ${f}: matching sizes are not enough.` : '.') +
        ` The fold needs one channel, or C·R dividing the feature count.`,
    },
  ];
}

