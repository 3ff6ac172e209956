/**
 * Pairs counted by the pattern they are, in the registry's order, and said in words: every report
 * (the CLI, the Markdown and JSON reports, the page's export) names pairs by their own pattern.
 */
import type { PairPattern } from '../rules/pair';
import { PATTERN_LIST, PATTERNS } from './registry';

export interface PatternCount {
  pattern: PairPattern;
  /** The pattern spelled out (`Conv→BatchNormalization`), from the registry. */
  name: string;
  pairs: number;
  fusable: number;
  notFusable: number;
}

/** The patterns present among `pairs`, in panel order; a pattern with no pair is left out. */
export function countByPattern(pairs: readonly { pattern: PairPattern; fusable: boolean }[]): PatternCount[] {
  const counts = new Map<PairPattern, PatternCount>();
  for (const p of pairs) {
    let c = counts.get(p.pattern);
    if (!c) counts.set(p.pattern, (c = { pattern: p.pattern, name: PATTERNS[p.pattern].name, pairs: 0, fusable: 0, notFusable: 0 }));
    c.pairs++;
    if (p.fusable) c.fusable++;
    else c.notFusable++;
  }
  return PATTERN_LIST.flatMap((x) => counts.get(x.id) ?? []);
}

/** `34 Conv→BatchNormalization, 2 Linear→BatchNormalization`; empty when there are none. */
export function patternCountsText(counts: readonly PatternCount[]): string {
  return counts.map((c) => `${c.pairs} ${c.name}`).join(', ');
}

/** What a column holding the op BN folds into is headed: `Linear`, `Conv`, or `Linear / Conv` when both are present. */
export function opColumnLabel(patterns: readonly PairPattern[]): string {
  const labels = PATTERN_LIST.filter((x) => patterns.includes(x.id)).map((x) => x.opLabel);
  return [...new Set(labels)].join(' / ') || 'Linear / Conv';
}
