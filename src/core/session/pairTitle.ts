/**
 * A pair's title: its ops' names in graph order (`fc1/Gemm → bn1/BatchNormalization`), the scope
 * they share taken out; the tensor id stays the pair's key (data attributes, JSON, the URL).
 */
import { commonScope, shortenMiddle } from '../view/names';
import type { PairView } from './types';

export interface PairTitle {
  /** What differs, in graph order, joined by arrows. */
  short: string;
  /** Every name in full, for the tooltip. */
  full: string;
  /** The scope the names share ('' when none). */
  scope: string;
}

/** Longest title shown before it is shortened in the middle. */
const MAX = 72;

export function pairTitle(pair: PairView): PairTitle {
  const lin = pair.linear.nodes.filter(Boolean);
  const linName = lin.length > 0 ? lin[lin.length - 1] : pair.linear.kind;
  const bn = pair.batchNorm.node || 'BatchNormalization';
  const between = pair.transpose ? [pair.transpose.node || 'Transpose'] : pair.reshape ? [pair.reshape.node || 'Reshape'] : [];
  const names = pair.pattern === 'bn-linear' ? [bn, linName] : [linName, ...between, bn];
  const scope = commonScope(names);
  const short = names.map((n) => n.slice(scope.length) || n).join(' → ');
  return { short: shortenMiddle(short, MAX), full: names.join(' → '), scope };
}
