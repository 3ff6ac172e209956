/**
 * The line `fuse` writes on stderr when pairs stayed unfolded: a run that folds nothing still writes
 * its output (scripts rely on the file), so it must say that nothing changed and why.
 */
import { count } from '../core/plural';
import type { FuseResult } from '../core/rewrite/fuse';

/** `LINEAR_OUTPUT_RANK ×2, TRANSPOSE_AXIS`: each code with the number of pairs it refused, most first. */
export function codeCounts(skipped: FuseResult['skipped']): string {
  const counts = new Map<string, number>();
  for (const s of skipped) for (const code of new Set(s.reasons.map((r) => r.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => (n > 1 ? `${code} ×${n}` : code))
    .join(', ');
}

/** The note for stderr, or null when every pair asked for was folded. */
export function fuseNote(res: FuseResult, dest: string, only: boolean): string | null {
  const notFused = res.skipped.length;
  const whose = only ? ' named by --only' : '';
  if (res.folded.length === 0) {
    const why = notFused === 0 ? 'the model has no pairs' : `${count(notFused, 'pair')}${whose}, none fusable (${codeCounts(res.skipped)})`;
    return `nothing folded: ${why}; wrote ${dest} with the graph unchanged`;
  }
  if (notFused === 0) return null;
  const asked = res.folded.length + notFused + res.superseded.length;
  return `${res.folded.length} of ${count(asked, 'pair')}${whose} folded; ${notFused} not fusable (${codeCounts(res.skipped)})${res.superseded.length ? `, ${res.superseded.length} merged into a neighbour's fold` : ''}`;
}
