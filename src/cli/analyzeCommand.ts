/**
 * `fusion-inspector analyze <model | folder>...`: one model's pairs in detail, or many models (folders
 * walked, worker threads) as one table, JSON Lines (`--json`) or Markdown (`--format md`).
 * `--fail-on unfused` and `--fail-on refused:<CODE>` make it a CI gate (exit 1).
 * Exit codes: 0, 1 for a `--fail-on` hit, 2 when a model could not be read (after all the others, each
 * said on stderr in one line; 2 wins over a `--fail-on` hit, which is said on stderr too).
 */
import { analyzeModel, type Analysis } from '../core/analysis';
import { formatShape } from '../core/graph/shapeInference';
import { modelsSummaryMarkdown } from '../core/export/modelsReport';
import { pairsReportMarkdown } from '../core/export/pairsReport';
import { countByPattern, patternCountsText } from '../core/patterns/patternCounts';
import { PATTERNS } from '../core/patterns/registry';
import { analysisJson, summarizeModel } from '../core/report';
import { REASON_CODES, type ReasonCode } from '../core/rules/reasons';
import { analyzeMany, collectModels } from './analyzeMany';
import { strings, UsageError, type Parsed } from './args';
import { load } from './loadModel';
import { countPairs, type ModelResult } from './modelResult';
import { table } from './table';

/** What `--format` takes (text is the default); the help and the usage error both list these. */
export const ANALYZE_FORMATS = ['text', 'md'] as const;
type Format = (typeof ANALYZE_FORMATS)[number] | 'json';

function isFormat(f: unknown): f is (typeof ANALYZE_FORMATS)[number] {
  return (ANALYZE_FORMATS as readonly unknown[]).includes(f);
}

/** What makes the command fail (exit 1): a fusable pair left in the model, or a pair refused for a code. */
type FailOn = { kind: 'unfused' } | { kind: 'refused'; code: ReasonCode };

function parseFailOn(values: string[]): FailOn[] {
  return values.map((v) => {
    if (v === 'unfused') return { kind: 'unfused' };
    const m = /^refused:(.+)$/.exec(v);
    if (m && (REASON_CODES as readonly string[]).includes(m[1])) return { kind: 'refused', code: m[1] as ReasonCode };
    throw new UsageError(`--fail-on takes "unfused" or "refused:<CODE>" with one of ${REASON_CODES.join(', ')}; got "${v}"`, 'analyze');
  });
}

/** Which `--fail-on` conditions a model meets, as messages. */
function failures(failOn: FailOn[], fusable: number, codes: readonly ReasonCode[]): string[] {
  const out: string[] = [];
  for (const f of failOn) {
    switch (f.kind) {
      case 'unfused':
        if (fusable > 0) out.push(`${fusable} fusable pair(s) not folded`);
        break;
      case 'refused':
        if (codes.includes(f.code)) out.push(`a pair is refused with ${f.code}`);
        break;
    }
  }
  return out;
}

function options(p: Parsed): { format: Format; failOn: FailOn[]; threads: number | undefined } {
  const f = p.values.format;
  if (f !== undefined && !isFormat(f)) throw new UsageError(`--format takes ${ANALYZE_FORMATS.map((x) => `"${x}"`).join(' or ')}, got "${String(f)}"`, 'analyze');
  if (f !== undefined && p.values.json === true) throw new UsageError('--json and --format cannot be used together', 'analyze');
  const t = p.values.threads;
  const threads = typeof t === 'string' ? Number(t) : undefined;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads takes a whole number ≥ 1, got "${String(t)}"`, 'analyze');
  return { format: p.values.json === true ? 'json' : (f ?? 'text'), failOn: parseFailOn(strings(p, 'fail-on')), threads };
}

function singleText(path: string, a: Analysis, out: (s: string) => void): void {
  const fusable = a.pairs.filter((x) => x.fusable).length;
  const kinds = patternCountsText(countByPattern(a.pairs));
  out(`${path}: ${a.pairs.length} pair(s)${kinds ? ` (${kinds})` : ''}, ${fusable} fusable, ${a.pairs.length - fusable} not fusable`);
  if (a.pairs.length === 0) return;
  const rows = a.pairs.map((x) => [
    x.id,
    PATTERNS[x.pattern].label,
    `${x.linear.kind} ${x.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)'}`,
    formatShape(x.linear.outputShape),
    x.fusable ? 'FUSABLE' : 'NOT FUSABLE',
    x.reasons.map((r) => r.code).join(', ') || '—',
  ]);
  out(table(['pair id', 'pattern', 'Linear / Conv', 'its output', 'verdict', 'reasons'], rows));
  for (const x of a.pairs.filter((y) => !y.fusable)) {
    out('');
    out(`${x.id}:`);
    for (const r of x.reasons) out(`  ${r.code}: ${r.message}`);
  }
}

/** An unreadable model's error in one line that names the file (the reader's errors name it already). */
function unreadableLine(r: { file: string; error: string }): string {
  const first = r.error.split('\n')[0];
  return first.includes(r.file) ? first : `${r.file}: ${first}`;
}

/** Progress for long runs, on a terminal only (never mixed into what is piped or parsed). */
function progress(): ((done: number, total: number, r: ModelResult) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, r) => {
    process.stderr.write(`\r\x1b[K${done}/${total} ${r.file}`);
    if (done === total) process.stderr.write('\r\x1b[K');
  };
}

export async function cmdAnalyze(p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { format, failOn, threads } = options(p);
  const files = collectModels(p.positional);
  // One model named directly: its pairs in detail (the original contract of `analyze`).
  if (p.positional.length === 1 && files.length === 1 && files[0] === p.positional[0]) {
    const path = files[0];
    const { model } = load(path, err);
    const a = analyzeModel(model);
    if (format === 'json') out(JSON.stringify(analysisJson(a), null, 2));
    else if (format === 'md') out(pairsReportMarkdown({ fileName: path, summary: summarizeModel(model), pairs: a.pairs, folded: [], incorrect: false, verify: null }));
    else singleText(path, a, out);
    const counts = countPairs(a.pairs);
    const failed = failures(failOn, counts.fusable, counts.codes);
    for (const f of failed) err(`fusion-inspector: --fail-on: ${path}: ${f}`);
    return failed.length > 0 ? 1 : 0;
  }
  if (files.length === 0) throw new UsageError(`no .onnx files in ${p.positional.join(', ')}`, 'analyze');
  const results = await analyzeMany(files, { threads, onResult: progress() });
  // An unreadable model is reported where this format has a place for it (a table row, a JSON line
  // with `error`, the Markdown summary's errors column) and, as for one file, in one line on stderr:
  // a log shows why the run exits 2 without reading the report.
  let broken = 0;
  let failedModels = 0;
  const rows: string[][] = [];
  if (format === 'md') out(modelsSummaryMarkdown(results.map((r) => (r.ok ? { file: r.file, ok: true, ...r.counts } : r))));
  for (const r of results) {
    if (!r.ok) {
      broken++;
      err(`fusion-inspector: ${unreadableLine(r)}`);
      if (format === 'json') out(JSON.stringify({ file: r.file, error: r.error }));
      else if (format === 'text') rows.push([r.file, '—', '—', '—', `ERROR: ${r.error}`]);
      continue;
    }
    for (const w of r.warnings) err(w);
    const failed = failures(failOn, r.counts.fusable, r.counts.codes);
    if (failed.length > 0) failedModels++;
    for (const f of failed) err(`fusion-inspector: --fail-on: ${r.file}: ${f}`);
    switch (format) {
      case 'json':
        out(JSON.stringify({ file: r.file, ...r.analysis }));
        break;
      case 'md':
        out(r.markdown);
        break;
      case 'text':
        rows.push([r.file, String(r.counts.pairs), String(r.counts.fusable), String(r.counts.notFusable), r.counts.byPattern.map((c) => `${PATTERNS[c.pattern].label} ${c.fusable}/${c.pairs}`).join(', ') || '—']);
        break;
    }
  }
  if (format === 'text') {
    out(table(['model', 'pairs', 'fusable', 'not fusable', 'by pattern (fusable/all)'], rows));
    out(`${results.length} model(s), ${broken} unreadable${failOn.length > 0 ? `, ${failedModels} failing --fail-on` : ''}`);
  }
  return broken > 0 ? 2 : failedModels > 0 ? 1 : 0;
}
