/** Every pair of a graph: for each BatchNormalization, the patterns with BN after the op, then those with BN before. */
import type { Graph } from '../graph/graph';
import { inputOf } from '../graph/nodeInputs';
import type { ShapeInfo } from '../graph/shapeInference';
import { isBatchNorm } from '../rules/linearMatch';
import type { Pair, PairPattern } from '../rules/pair';
import { PATTERN_LIST } from './registry';
import type { FoldPattern } from './types';

/** BN-after patterns by the op type that produces BN's input: one lookup per BN decides. */
const BY_PRODUCER = new Map<string, FoldPattern<PairPattern>>();
for (const p of PATTERN_LIST) {
  const at = p.placement;
  switch (at.side) {
    case 'after':
      for (const op of at.producers) BY_PRODUCER.set(op, p);
      break;
    case 'before':
      break;
  }
}
const BEFORE = PATTERN_LIST.filter((p) => p.placement.side === 'before');

/** Linear in graph size. */
export function findPairs(g: Graph, shapes: ShapeInfo): Pair[] {
  const pairs: Pair[] = [];
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    const x = inputOf(g, bn, 0);
    const p = x && x.producer >= 0 ? BY_PRODUCER.get(g.nodes[x.producer].opType) : undefined;
    if (p) p.find(g, shapes, bn, pairs);
  }
  for (const bn of g.nodes) {
    if (!isBatchNorm(bn)) continue;
    for (const p of BEFORE) p.find(g, shapes, bn, pairs);
  }
  return pairs;
}
