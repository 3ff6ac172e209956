/**
 * A run of the fold fuzzer: `cases` generated cases through the oracles, tallied per generator,
 * pattern and feature; each distinct failure shrunk to a minimal description; onnxruntime's
 * miscompiles grouped by fusion, shape and dtype. Shared by the test and `npm run fuzz -- --folds`.
 */
import { caseText, type FoldCase } from './foldCase';
import { generateCase } from './foldGenerators';
import { runFoldCase, type Coincidence, type FoldFailure } from './foldOracles';
import { shrinkCase } from './shrinkCase';

export interface ShrunkFailure extends FoldFailure {
  index: number;
  original: FoldCase;
  shrunk: FoldCase;
}

export interface OrtMiscompileRow {
  fusion: string;
  shape: string;
  dtype: string;
  levels: string[];
  cases: number;
  /** The largest error seen, or onnxruntime's message. */
  error: string;
  cause: string;
  /** One case that shows it. */
  example: FoldCase;
  lastCase: number;
}

export interface FoldRunSummary {
  seed: number;
  cases: number;
  ms: number;
  /** Draws that were not valid descriptions and were drawn again. */
  retries: number;
  generators: Record<string, number>;
  /** Pairs found per pattern, fusable and refused. */
  patterns: Record<string, { fusable: number; refused: number }>;
  /** Cases exercising each generator feature. */
  features: Record<string, number>;
  folded: number;
  naiveChecked: number;
  coincidences: (Coincidence & { index: number })[];
  ortRows: OrtMiscompileRow[];
  ortPredictedEqual: number;
  failures: ShrunkFailure[];
  /** Failures of each oracle, before de-duplication. */
  failureCounts: Record<string, number>;
}

export interface FoldRunOptions {
  cases: number;
  seed: number;
  /** Distinct failures to shrink (the rest are counted only). */
  shrinkLimit?: number;
  onProgress?: (done: number, ms: number) => void;
}

const bump = (t: Record<string, number>, k: string, n = 1) => (t[k] = (t[k] ?? 0) + n);

export async function runFoldFuzz(opts: FoldRunOptions): Promise<FoldRunSummary> {
  const t0 = performance.now();
  const s: FoldRunSummary = { seed: opts.seed, cases: opts.cases, ms: 0, retries: 0, generators: {}, patterns: {}, features: {}, folded: 0, naiveChecked: 0, coincidences: [], ortRows: [], ortPredictedEqual: 0, failures: [], failureCounts: {} };
  const rows = new Map<string, OrtMiscompileRow>();
  const seen = new Set<string>();
  for (let i = 0; i < opts.cases; i++) {
    const { case: c, retries } = generateCase(opts.seed, i);
    s.retries += retries;
    bump(s.generators, c.generator);
    const o = await runFoldCase(c);
    for (const f of new Set(o.features)) bump(s.features, f);
    for (const p of o.pairs) {
      const t = (s.patterns[p.pattern] ??= { fusable: 0, refused: 0 });
      if (p.fusable) t.fusable++;
      else t.refused++;
    }
    s.folded += o.folded;
    s.naiveChecked += o.naiveChecked;
    s.ortPredictedEqual += o.ortPredictedEqual;
    s.coincidences.push(...o.coincidences.map((x) => ({ ...x, index: i })));
    for (const m of o.ortMiscompiles) {
      const shape = shapeClass(m.shape);
      const key = `${m.fusion}|${shape}|${c.dtype}`;
      const row = rows.get(key) ?? { fusion: m.fusion, shape, dtype: c.dtype, levels: [], cases: 0, error: m.error, cause: m.cause, example: c, lastCase: -1 };
      if (!row.levels.includes(m.level)) row.levels.push(m.level);
      // Counted once per case, whatever the levels.
      if (row.lastCase !== i) row.cases++;
      row.lastCase = i;
      if (Number.isFinite(m.maxAbsError) && m.error.startsWith('max abs error') && (!row.error.startsWith('max abs error') || Number(row.error.split(' ').at(-1)) < m.maxAbsError)) row.error = m.error;
      rows.set(key, row);
    }
    for (const f of o.failures) {
      bump(s.failureCounts, f.oracle);
      const key = `${f.oracle}|${c.generator}|${f.detail.replace(/[\d.e+-]+/g, '#')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (s.failures.length >= (opts.shrinkLimit ?? 8)) continue;
      const shrunk = await shrinkCase(c, async (d) => (await runFoldCase(d, { recheckSeeds: 1 })).failures.some((g) => g.oracle === f.oracle));
      s.failures.push({ ...f, index: i, original: c, shrunk });
    }
    opts.onProgress?.(i + 1, performance.now() - t0);
  }
  s.ortRows = [...rows.values()].sort((a, b) => a.fusion.localeCompare(b.fusion) || b.cases - a.cases);
  s.ms = performance.now() - t0;
  return s;
}

/**
 * A shape's form, its sizes as letters in order of first appearance (1 and symbolic names kept):
 * `[5, 5] → [5, 5]` and `[3, 3] → [3, 3]` are both `[a, a] → [a, a]`, one row of the table.
 */
export function shapeClass(shape: string): string {
  const letters = new Map<string, string>();
  return shape.replace(/\b\d+\b/g, (d) => {
    if (d === '1') return d;
    if (!letters.has(d)) letters.set(d, String.fromCharCode(97 + letters.size));
    return letters.get(d)!;
  });
}

/** A failure as the lines a report (and a regression test) needs. */
export function failureText(f: ShrunkFailure): string {
  return `${f.oracle} (case ${f.index}): ${f.detail}\n  shrunk: ${caseText(f.shrunk)}`;
}

/** The markdown table of onnxruntime's miscompiles (docs/onnxruntime-miscompiles.md). */
export function ortMiscompileTable(rows: readonly OrtMiscompileRow[]): string {
  const lines = ['| fusion | shape (Linear output → BN input) | dtype | levels | cases | largest error | how it is known | example |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.fusion} | ${r.shape} | ${r.dtype} | ${r.levels.join(', ')} | ${r.cases} | ${r.error.replace(/\|/g, '\\|')} | ${r.cause} | \`${caseText(r.example)}\` |`);
  return lines.join('\n');
}
