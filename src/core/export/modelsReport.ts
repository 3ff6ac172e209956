/**
 * The head of a Markdown report over many models (`analyze <folder> --format md`): one table with
 * every model's pairs by pattern, its verdicts and, for a model that could not be read, why. Each
 * model's own section (`pairsReportMarkdown`, nested) follows it.
 */
import { patternCountsText, type PatternCount } from '../patterns/patternCounts';
import { cell, code, text } from './markdown';

export type ModelRow =
  | { file: string; ok: true; pairs: number; fusable: number; notFusable: number; byPattern: readonly PatternCount[] }
  | { file: string; ok: false; error: string };

export function modelsSummaryMarkdown(rows: readonly ModelRow[]): string {
  const lines = [`# Fusion Inspector report: ${rows.length} model(s)`, '', '| model | pairs by pattern | fusable | not fusable | errors |', '|---|---|---|---|---|'];
  let pairs = 0;
  let fusable = 0;
  let unreadable = 0;
  for (const r of rows) {
    if (r.ok) {
      pairs += r.pairs;
      fusable += r.fusable;
      lines.push(`| ${code(cell(r.file))} | ${patternCountsText(r.byPattern) || 'none'} | ${r.fusable} | ${r.notFusable} | — |`);
    } else {
      unreadable++;
      lines.push(`| ${code(cell(r.file))} | — | — | — | ${cell(text(r.error))} |`);
    }
  }
  lines.push('', `**${pairs}** pair(s) in ${rows.length - unreadable} model(s)${unreadable ? `, ${unreadable} unreadable` : ''}: **${fusable} fusable**, **${pairs - fusable} not fusable**.`, '');
  return lines.join('\n');
}
