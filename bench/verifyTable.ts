/**
 * The verify bench's figures as issue 36 asks for them, side by side: the page's *Verify* (first,
 * second, first after an idle wait), the CLI per engine, onnxruntime-node itself, and the ratios
 * against the issue's targets. Pure: the harnesses measure (verifyBench.ts, verifyPage.ts), this
 * summarises and writes the lines.
 */
import { median } from './median';

/** Issue 36's targets. */
export const TARGETS = {
  /** Page, runtime already started: click → result within this many times the native figure. */
  warmOverNative: 3,
  /** First verify after opening the page within this many times the warm one. */
  firstOverWarm: 1.5,
  /** CLI `verify` of the ViT, wall (ms). */
  cliVitMs: 1500,
  /** No main-thread task longer than this (ms) during a verify. */
  longTaskMs: 100,
} as const;

/** onnxruntime-node after its start: each model (original, fused) created and run once. */
export interface NativeFigure {
  createMs: [number, number];
  firstRunMs: [number, number];
}

/** The median of each figure over the samples (null: none, onnxruntime-node not installed). */
export function medianNative(samples: readonly NativeFigure[]): NativeFigure | null {
  if (samples.length === 0) return null;
  const m = (f: (n: NativeFigure) => number) => median(samples.map(f));
  return { createMs: [m((n) => n.createMs[0]), m((n) => n.createMs[1])], firstRunMs: [m((n) => n.firstRunMs[0]), m((n) => n.firstRunMs[1])] };
}

/** The same work as one verify: both sessions created, each run once. */
export function nativeTotalMs(n: NativeFigure): number {
  return n.createMs[0] + n.createMs[1] + n.firstRunMs[0] + n.firstRunMs[1];
}

/** Which verify of a page: right after the fold on a fresh page, again after undo + fold, or the first after an idle wait. */
export type VerifyKind = 'first' | 'second' | 'idle';
export const VERIFY_KINDS: readonly VerifyKind[] = ['first', 'second', 'idle'];

/** One click on *Verify*, as the page showed it. */
export interface VerifyClick {
  /** Click → result shown (the frame after it is in the page). */
  ms: number;
  /** Longest main-thread task that started between the click and the result (0: none reported, i.e. none over 50 ms). */
  longestTaskMs: number;
  /** How long the page had been open at the click. */
  openForMs: number;
  /** What the result panel says of the engine (its words naming onnxruntime, and any line on threads), verbatim. */
  engine: string;
  /** `crossOriginIsolated` in the page: whether onnxruntime-web may use threads there. */
  isolated: boolean;
}

/** One run's three clicks: first and second on one fresh page, idle first on another. */
export type PageSample = Record<VerifyKind, VerifyClick>;

export interface PageVerifyRow {
  model: string;
  /** Medians over the runs. */
  ms: Record<VerifyKind, number>;
  /** Every run's figure, in run order. */
  runs: Record<VerifyKind, number[]>;
  /** Longest task over every verify of every run, and the verify it fell in (null: none reported). */
  longestTaskMs: number;
  longestTaskIn: VerifyKind | null;
  /** Distinct engine lines the page showed (one, unless something changed between runs). */
  engines: string[];
  isolated: boolean;
}

export function summarizePage(model: string, samples: readonly PageSample[]): PageVerifyRow {
  if (samples.length === 0) throw new Error(`bench: no page sample of ${model}`);
  const each = <T>(f: (c: VerifyClick) => T): Record<VerifyKind, T[]> => ({
    first: samples.map((s) => f(s.first)),
    second: samples.map((s) => f(s.second)),
    idle: samples.map((s) => f(s.idle)),
  });
  const runs = each((c) => c.ms);
  let longestTaskMs = 0;
  let longestTaskIn: VerifyKind | null = null;
  for (const s of samples)
    for (const k of VERIFY_KINDS)
      if (s[k].longestTaskMs > longestTaskMs) {
        longestTaskMs = s[k].longestTaskMs;
        longestTaskIn = k;
      }
  const clicks = samples.flatMap((s) => VERIFY_KINDS.map((k) => s[k]));
  return {
    model,
    ms: { first: median(runs.first), second: median(runs.second), idle: median(runs.idle) },
    runs,
    longestTaskMs,
    longestTaskIn,
    engines: [...new Set(clicks.map((c) => c.engine))],
    isolated: clicks.every((c) => c.isolated),
  };
}

/** `a / b` as `2.4×`, and whether it is within `target` (— when either is missing). */
export function ratioText(a: number | null, b: number | null, target?: number): string {
  if (a === null || b === null || !(b > 0) || !Number.isFinite(a)) return '—';
  const r = a / b;
  const text = `${r.toFixed(1)}×`;
  return target === undefined ? text : `${text} ${r <= target ? '✓' : '✗'}`;
}

export function msText(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

export function secondsText(x: number): string {
  return `${(x / 1000).toFixed(2)} s`;
}

const KIND_TEXT: Record<VerifyKind, string> = { first: 'first', second: 'second', idle: 'idle first' };

/** The page's table: one line per model, then the longest tasks, the engine and every run. */
export function pageLines(rows: readonly PageVerifyRow[], natives: ReadonlyMap<string, NativeFigure | null>, idleMs: number): string[] {
  const out: string[] = [];
  out.push(`\npage Verify: click → result shown, production build, headless Chromium (ms; medians; ✓/✗ against issue 36's targets)`);
  out.push(`  first: a fresh page, the model opened, Fuse all, Verify at once; second: Undo, Fuse all, Verify again on that page; idle first: a fresh page, Verify ${secondsText(idleMs)} after Fuse all`);
  out.push('model                   first   second  idle first    native  second/native  idle/native  first/second  longest task');
  for (const r of rows) {
    const n = natives.get(r.model) ?? null;
    const native = n ? nativeTotalMs(n) : null;
    const task = r.longestTaskMs > 0 ? `${msText(r.longestTaskMs)} (${KIND_TEXT[r.longestTaskIn ?? 'first']}) ${r.longestTaskMs <= TARGETS.longTaskMs ? '✓' : '✗'}` : 'none over 50 ✓';
    out.push(
      `${r.model.padEnd(20)} ${msText(r.ms.first).padStart(8)} ${msText(r.ms.second).padStart(8)} ${msText(r.ms.idle).padStart(11)} ${(native === null ? '—' : msText(native)).padStart(9)}  ${ratioText(r.ms.second, native, TARGETS.warmOverNative).padStart(13)}  ${ratioText(r.ms.idle, native, TARGETS.warmOverNative).padStart(11)}  ${ratioText(r.ms.first, r.ms.second, TARGETS.firstOverWarm).padStart(12)}  ${task}`,
    );
  }
  out.push(`targets: warm (second, idle first) ≤ ${TARGETS.warmOverNative}× native; first ≤ ${TARGETS.firstOverWarm}× second; no main-thread task over ${TARGETS.longTaskMs} ms during a verify`);
  for (const r of rows) out.push(`${r.model.padEnd(20)} engine as the page states it: ${r.engines.map((e) => `“${e}”`).join(' / ')}; cross-origin isolated: ${r.isolated ? 'yes' : 'no'}`);
  out.push('every run (ms), first | second | idle first:');
  for (const r of rows) out.push(`${r.model.padEnd(20)} ${r.runs.first.map(msText).join(' ')} | ${r.runs.second.map(msText).join(' ')} | ${r.runs.idle.map(msText).join(' ')}`);
  return out;
}

/** The native figure's line: each model created and run once, and their sum. */
export function nativeLine(model: string, n: NativeFigure | null): string {
  if (!n) return `${model.padEnd(20)} native: onnxruntime-node not installed`;
  return `${model.padEnd(20)} native onnxruntime-node, both models: create ${msText(n.createMs[0])} + ${msText(n.createMs[1])}, first run ${msText(n.firstRunMs[0])} + ${msText(n.firstRunMs[1])} = ${msText(nativeTotalMs(n))} ms`;
}
