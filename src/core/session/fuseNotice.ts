/**
 * What the page says after a fuse: what became of each BatchNormalization (removed, or replaced by
 * the bias Add a MatMul without bias needs) and the node count, so "0 nodes removed" never reads
 * as "nothing happened".
 */
import { count } from '../plural';
import type { FuseSummary } from './types';

/** `BatchNormalization` for one, `3 BatchNormalizations` for more. */
function bns(n: number): string {
  return n === 1 ? 'BatchNormalization' : `${n} BatchNormalizations`;
}

export function fuseNotice(f: FuseSummary, nodesAfter: number): string {
  if (f.incorrect) return `Applied against the rules: ${f.folded.join(', ')}. This model is marked INCORRECT.`;
  const nodes = `(${nodesAfter + f.nodesRemoved} → ${count(nodesAfter, 'node')})`;
  const folds = f.folded.length;
  const removed = folds - f.biasAdds;
  // Each fold removes its BatchNormalization and adds at most one node; the rest are constants that fed only the old parameters.
  const constants = Math.max(0, f.nodesRemoved - removed);
  const parts: string[] = [];
  if (removed > 0) parts.push(`${bns(removed)} removed`);
  if (f.biasAdds > 0) parts.push(`${bns(f.biasAdds)} replaced by a bias Add (the MatMul had no bias)`);
  if (constants > 0) parts.push(`${count(constants, 'constant node')} no longer read removed`);
  return `Folded ${count(folds, 'pair')}: ${parts.join(', ')}; ${folds === 1 ? 'weight' : 'weights'} rescaled ${nodes}.`;
}
