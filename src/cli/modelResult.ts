/**
 * One model's analysis as the CLI reports it for many models at once: the analysis JSON (the same
 * object `analyze --json` prints), a per-pattern summary, and the Markdown report. Plain data, so a
 * worker thread can compute it and post it back. The Markdown is the model's section of a report
 * over many models.
 */
import { analyzeModel } from '../core/analysis';
import { pairsReportMarkdown } from '../core/export/pairsReport';
import { countByPattern, type PatternCount } from '../core/patterns/patternCounts';
import { analysisJson, summarizeModel } from '../core/report';
import type { ReasonCode } from '../core/rules/reasons';
import type { Pair } from '../core/rules/pair';
import { InputError, load } from './loadModel';

export interface ModelCounts {
  pairs: number;
  fusable: number;
  notFusable: number;
  /** The patterns present, in panel order. */
  byPattern: PatternCount[];
  /** Every reason code among the refused pairs. */
  codes: ReasonCode[];
}

export type ModelResult =
  | { file: string; ok: true; analysis: ReturnType<typeof analysisJson>; counts: ModelCounts; markdown: string; warnings: string[] }
  | { file: string; ok: false; error: string };

/** Pairs by verdict and pattern, and the reason codes among them. */
export function countPairs(pairs: readonly Pair[]): ModelCounts {
  const codes = new Set<ReasonCode>();
  for (const p of pairs) for (const r of p.reasons) codes.add(r.code);
  const fusable = pairs.filter((p) => p.fusable).length;
  return { pairs: pairs.length, fusable, notFusable: pairs.length - fusable, byPattern: countByPattern(pairs), codes: [...codes] };
}

export function analyzeFile(file: string): ModelResult {
  const warnings: string[] = [];
  try {
    const { model } = load(file, (w) => warnings.push(w));
    const a = analyzeModel(model);
    const markdown = pairsReportMarkdown({ fileName: file, summary: summarizeModel(model), pairs: a.pairs, folded: [], incorrect: false, verify: null }, { nested: true });
    return { file, ok: true, analysis: analysisJson(a), counts: countPairs(a.pairs), markdown, warnings };
  } catch (e) {
    if (e instanceof InputError) return { file, ok: false, error: e.message };
    return { file, ok: false, error: `internal error: ${(e as Error).message}` };
  }
}
