/**
 * Every pair of a graph: for each BatchNormalization, the patterns with BN after the op, then those
 * with BN before; then the patterns without BN, each from the nodes of its anchor op.
 */
import type { Graph } from '../graph/graph';
import { inputOf } from '../graph/nodeInputs';
import type { ShapeInfo } from '../graph/shapeInference';
import { isBatchNorm } from '../rules/linearMatch';
import type { Pair, PairPattern } from '../rules/pair';
import { PATTERN_LIST } from './registry';
import type { FoldPattern } from './types';

/**
 * BN-after patterns by the op type that produces BN's input: one lookup per BN gives the few that
 * may match (an Add is a MatMul's bias or a Conv's), and the first that finds a pair claims the BN.
 */
const BY_PRODUCER = new Map<string, FoldPattern<PairPattern>[]>();
/** Patterns without a BatchNormalization, by the op they start from. */
const BY_ANCHOR = new Map<string, FoldPattern<PairPattern>[]>();
for (const p of PATTERN_LIST) {
  const at = p.placement;
  switch (at.side) {
    case 'after':
      for (const op of at.producers) BY_PRODUCER.set(op, [...(BY_PRODUCER.get(op) ?? []), p]);
      break;
    case 'before':
      break;
    case 'anchor':
      BY_ANCHOR.set(at.op, [...(BY_ANCHOR.get(at.op) ?? []), p]);
      break;
  }
}
const BEFORE = PATTERN_LIST.filter((p) => p.placement.side === 'before');
const whenFoldedBefore = (p: FoldPattern<PairPattern>) => p.placement.side === 'before' && p.placement.whenFoldedBefore;

/** Linear in graph size. */
export function findPairs(g: Graph, shapes: ShapeInfo): Pair[] {
  const pairs: Pair[] = [];
  /** BatchNormalizations a fusable BN-after pair folds into the op before them. */
  const foldedBefore = new Set<number>();
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    const x = inputOf(g, bn, 0);
    const candidates = x && x.producer >= 0 ? BY_PRODUCER.get(g.nodes[x.producer].opType) : undefined;
    if (!candidates) continue;
    const from = pairs.length;
    for (const p of candidates) if (p.find(g, shapes, bn, pairs)) break;
    for (let i = from; i < pairs.length; i++) if (pairs[i].fusable) foldedBefore.add(bn.index);
  }
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    const folded = foldedBefore.has(bn.index);
    for (const p of BEFORE) if (!folded || whenFoldedBefore(p)) p.find(g, shapes, bn, pairs);
  }
  if (BY_ANCHOR.size > 0) {
    for (const n of g.nodes) {
      const anchored = BY_ANCHOR.get(n.opType);
      if (anchored) for (const p of anchored) p.find(g, shapes, n, pairs);
    }
  }
  return pairs;
}
