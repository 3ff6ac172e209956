/**
 * The constants an Add or Mul applies to the op's output (Conv → Add → BN's Add, Linear/Conv →
 * Mul [→ Add]'s Mul and Add), each aligned under the output's shape from the right as broadcasting
 * aligns it, with the axes its values vary along: what the axis strip draws and the card says.
 */
import type { Dim } from '../graph/dims';
import { actsPerChannel, featureAxisOf, varyingAxes, type ConstantOnOutput } from '../rules/biasAxis';
import type { ConstantView, PairView } from '../session/types';

export type ConstantRole = 'Add' | 'Mul';

export type ConstantAlignment = {
  role: ConstantRole;
  constant: ConstantView;
  /** Whether its values are one per channel (feature) on the op's own axis, or one value. */
  onOwnAxis: boolean;
} & (
  | {
      fits: true;
      /** One entry per output axis: the constant's dim lined up under it, or null left of the constant's first axis. */
      cells: (number | null)[];
      /** The output axes its values vary along (a dim other than 1). */
      varies: number[];
    }
  /** Longer than the output (broadcasting would grow it) or the output's rank is unknown: nothing to line up. */
  | { fits: false }
);

export function isConvKind(pair: PairView): boolean {
  return pair.linear.kind === 'Conv' || pair.linear.kind === 'ConvTranspose';
}

/** The op's name as the card says it: the Conv (ConvTranspose), or the Linear a MatMul/Gemm forms. */
export function opName(pair: PairView): string {
  return isConvKind(pair) ? pair.linear.kind : 'Linear';
}

function onOutput(pair: PairView, dims: readonly number[], shape: Dim[] | null): ConstantOnOutput {
  return { opRef: '', verb: 'adds', constant: '', dims, target: { ref: '', shape, rank: shape?.length ?? null }, axis: isConvKind(pair) ? 'channels' : 'features', size: pair.outFeatures };
}

/** The op's own axis on its output (Conv: 1; Linear: the last), or null when the rank is unknown. */
export function ownAxis(pair: PairView): number | null {
  const shape = pair.linear.outputShape;
  if (shape === null) return null;
  return featureAxisOf(onOutput(pair, [], shape));
}

function constantsOf(pair: PairView): { role: ConstantRole; constant: ConstantView }[] {
  switch (pair.pattern) {
    case 'conv-add-bn':
      return pair.add ? [{ role: 'Add', constant: pair.add }] : [];
    case 'linear-affine':
      if (pair.norm.op !== 'Mul') return [];
      return [{ role: 'Mul', constant: pair.norm.scale }, ...(pair.norm.shift ? [{ role: 'Add' as const, constant: pair.norm.shift }] : [])];
    case 'linear-bn':
    case 'conv-bn':
    case 'linear-transpose-bn':
    case 'linear-reshape-bn':
    case 'bn-linear':
    case 'bn-conv':
      return [];
  }
}

export function constantAlignments(pair: PairView): ConstantAlignment[] {
  const shape = pair.linear.outputShape;
  return constantsOf(pair).map(({ role, constant }) => {
    const dims = constant.shape;
    const onOwnAxis = actsPerChannel(onOutput(pair, dims, shape));
    if (shape === null || dims.length > shape.length) return { role, constant, onOwnAxis, fits: false };
    const rank = shape.length;
    const cells = shape.map((_, i) => (i < rank - dims.length ? null : dims[i - (rank - dims.length)]));
    return { role, constant, onOwnAxis, fits: true, cells, varies: varyingAxes(dims, rank).map((v) => v.axis) };
  });
}
