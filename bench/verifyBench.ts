/**
 * `npm run bench -- --verify [--runs N]`: how long the proof takes on the corpus's MobileNetV3 and
 * ViT — the CLI's `verify` (original against its fused model, as a fresh process per run) on each
 * engine, as the checkout runs it (tsx compiling the sources) and as the installed package does
 * (its esbuild bundle, dist/cli), split into onnxruntime's start, the two session creates and the runs (from its --json
 * report), the rest being ours (process, tsx, parsing, inputs, comparison); beside it onnxruntime-node
 * itself creating and running both models (original and fused) once, the floor — the same work as
 * one verify. Medians over the runs. The page's columns: verifyPage.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel, writeModel } from '../src/core/onnx/modelIO';
import { fuse } from '../src/core/rewrite/fuse';
import { feedsFor, startRuntime, type EngineName } from '../src/core/verify/ortSession';
import { resolveInputs } from '../src/core/verify/verifyInputs';
import type { VerifyReport } from '../src/core/verify/verify';
import { loadNodeEngine } from '../src/cli/engines';
import { median } from './median';
import { msText as f, nativeLine, nativeTotalMs, secondsText as s, TARGETS, type NativeFigure } from './verifyTable';

const MODELS = ['mobilenet_v3_small', 'vit_tiny_encoder12'] as const;
/** Timed runs of each model in each CLI verify (its default, given explicitly so the split below is exact). */
const RUNS_EACH = 2;
/** The CLI's runs before issue 36 (the library's default): the `before` row, onnxruntime-web with five runs of each model. */
const RUNS_BEFORE = 5;

/** `checkout`: bin/fusion-inspector.mjs on the sources (tsx); `bundle`: the package's dist/cli, as installed. */
export type CliCommand = 'checkout' | 'bundle';

export interface CliVerifyRow {
  engine: EngineName;
  command: CliCommand;
  version: string;
  wallMs: number;
  runtimeStartMs: number;
  /** Original + fused. */
  sessionsMs: [number, number];
  /** Median run of each: original, fused. */
  runMs: [number, number];
  /** Timed runs of each model (the CLI's default). */
  runsEach: number;
  /** Wall less onnxruntime's start, the creates and every run: ours (process start, tsx, parse, inputs, comparison, output). */
  restMs: number;
}

export interface VerifyBenchRow {
  model: string;
  nodes: number;
  cli: CliVerifyRow[];
}

/** A corpus model and its fused model, written for the CLI and the page to open. */
export interface BenchModel {
  name: string;
  nodes: number;
  path: string;
  fusedPath: string;
  bytes: Uint8Array;
  fused: Uint8Array;
}

/** The corpus's MobileNetV3 and ViT (those present), each folded by `fuse` into `dir`. */
export function benchModels(root: string, dir: string, log: (s: string) => void): BenchModel[] {
  const out: BenchModel[] = [];
  for (const name of MODELS) {
    const path = join(root, '..', 'shared', 'corpus', `${name}.onnx`);
    if (!existsSync(path)) {
      log(`verify: ${path} is missing; skipped`);
      continue;
    }
    const bytes = new Uint8Array(readFileSync(path));
    const model = readModel(bytes);
    const fused = writeModel(fuse(model).model);
    const fusedPath = join(dir, `${name}.fused.onnx`);
    writeFileSync(fusedPath, fused);
    out.push({ name, nodes: model.graph!.node.length, path, fusedPath, bytes, fused });
  }
  return out;
}

/** One way of running the CLI's verify: which command, which engine, how many runs of each model. */
interface CliSetup {
  command: CliCommand;
  engine: EngineName;
  runsEach: number;
}

const SETUPS: readonly CliSetup[] = [
  { command: 'checkout', engine: 'web', runsEach: RUNS_BEFORE },
  { command: 'checkout', engine: 'web', runsEach: RUNS_EACH },
  { command: 'checkout', engine: 'node', runsEach: RUNS_EACH },
  { command: 'bundle', engine: 'node', runsEach: RUNS_EACH },
];

type CliSample = { wallMs: number; report: VerifyReport };

function cliRun(root: string, { command, engine, runsEach }: CliSetup, a: string, b: string): CliSample {
  const bin = join(root, command === 'checkout' ? 'bin/fusion-inspector.mjs' : 'dist/cli/fusion-inspector.mjs');
  const t0 = performance.now();
  const stdout = execFileSync(process.execPath, [bin, 'verify', a, b, '--engine', engine, '--runs', String(runsEach), '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  const report = JSON.parse(stdout) as VerifyReport;
  if (!report.pass) throw new Error(`bench: ${a} did not verify on ${engine}`);
  return { wallMs, report };
}

function cliRow({ command, engine, runsEach }: CliSetup, samples: CliSample[]): CliVerifyRow {
  const m = (f: (s: CliSample) => number) => median(samples.map(f));
  const row = {
    engine,
    command,
    version: samples[0].report.engine.version,
    wallMs: m((s) => s.wallMs),
    runtimeStartMs: m((s) => s.report.runtimeStartMs),
    sessionsMs: [m((s) => s.report.original.createMs), m((s) => s.report.fused.createMs)] as [number, number],
    runMs: [m((s) => s.report.original.runMs), m((s) => s.report.fused.runMs)] as [number, number],
    runsEach,
  };
  return { ...row, restMs: row.wallMs - row.runtimeStartMs - row.sessionsMs[0] - row.sessionsMs[1] - runsEach * (row.runMs[0] + row.runMs[1]) };
}

/**
 * onnxruntime-node in this process, after its start, doing what a verify does: the original and the
 * fused model each created and run once (null when it is not installed). One sample: the callers
 * take it beside each run of what they compare it with, so a burst of load falls on both.
 */
export async function nativeSample(m: BenchModel): Promise<NativeFigure | null> {
  const engine = await loadNodeEngine();
  if (!engine) return null;
  await startRuntime(engine);
  const sample: NativeFigure = { createMs: [0, 0], firstRunMs: [0, 0] };
  for (const [k, bytes] of [m.bytes, m.fused].entries()) {
    const feeds = feedsFor(engine, resolveInputs(readModel(bytes), {}).tensors);
    let t0 = performance.now();
    const session = await engine.createSession(bytes, [], 'disabled');
    sample.createMs[k] = performance.now() - t0;
    t0 = performance.now();
    await session.run(feeds);
    sample.firstRunMs[k] = performance.now() - t0;
    await session.release();
  }
  return sample;
}

/** The CLI's rows of each model (the package is built first: the bundle's rows run dist/cli); `alongside` runs before each run of each model. */
export async function verifyBench(root: string, models: readonly BenchModel[], runs: number, log: (s: string) => void, alongside: (m: BenchModel) => Promise<void>): Promise<VerifyBenchRow[]> {
  log('verify: building the package (dist/cli)');
  execFileSync(process.execPath, ['tools/buildPackage.mjs'], { cwd: root, stdio: 'ignore' });
  const rows: VerifyBenchRow[] = [];
  for (const m of models) {
    log(`verify: CLI, ${m.name}`);
    // Interleaved, run by run: a burst of load from elsewhere on the machine falls on every setup alike.
    const samples: CliSample[][] = SETUPS.map(() => []);
    for (let i = 0; i < runs; i++) {
      await alongside(m);
      for (const [k, setup] of SETUPS.entries()) samples[k].push(cliRun(root, setup, m.path, m.fusedPath));
    }
    rows.push({ model: m.name, nodes: m.nodes, cli: SETUPS.map((setup, k) => cliRow(setup, samples[k])) });
  }
  return rows;
}

export function printVerifyBench(rows: VerifyBenchRow[], natives: ReadonlyMap<string, NativeFigure | null>, out: (s: string) => void = console.log): void {
  out('\nverify, CLI: original against its fused model (ms unless said; medians)');
  out('model                 nodes  CLI engine (command, runs)     wall    start  sessions (a + b)  runs (a + b, median)  ours   CLI wall / native');
  for (const r of rows) {
    const n = natives.get(r.model) ?? null;
    const native = n ? nativeTotalMs(n) : null;
    for (const [i, c] of r.cli.entries()) {
      const head = i === 0 ? `${r.model.padEnd(20)} ${String(r.nodes).padStart(6)} ` : ' '.repeat(28);
      out(
        `${head} ${`${c.engine} ${c.version} (${c.command}, ×${c.runsEach})`.padEnd(26)} ${s(c.wallMs).padStart(10)} ${f(c.runtimeStartMs).padStart(7)}  ${`${f(c.sessionsMs[0])} + ${f(c.sessionsMs[1])}`.padStart(16)}  ${`${f(c.runMs[0])} + ${f(c.runMs[1])}`.padStart(20)} ${f(c.restMs).padStart(6)}   ${native ? `${(c.wallMs / native).toFixed(1)}×`.padStart(17) : ''}`,
      );
    }
    const before = r.cli.find((c) => c.runsEach === RUNS_BEFORE)!;
    const web = r.cli.find((c) => c.engine === 'web' && c.command === 'checkout' && c.runsEach === RUNS_EACH)!;
    const node = r.cli.find((c) => c.engine === 'node' && c.command === 'checkout')!;
    out(`${' '.repeat(28)} before (web, ×${RUNS_BEFORE}) ${s(before.wallMs)} → now ${s(node.wallMs)} (checkout, node; ${(before.wallMs / node.wallMs).toFixed(1)}×)`);
    out(`${' '.repeat(28)} checkout: node is ${(web.wallMs / node.wallMs).toFixed(1)}× faster than web, wall; runs ${((web.runMs[0] + web.runMs[1]) / (node.runMs[0] + node.runMs[1])).toFixed(1)}×, sessions ${((web.sessionsMs[0] + web.sessionsMs[1]) / (node.sessionsMs[0] + node.sessionsMs[1])).toFixed(1)}×`);
  }
  for (const r of rows) out(nativeLine(r.model, natives.get(r.model) ?? null));
  const vit = rows.find((r) => r.model === 'vit_tiny_encoder12');
  if (vit) {
    const text = (c: CliVerifyRow) => `${c.engine} ${c.command} ×${c.runsEach} ${s(c.wallMs)}`;
    const met = vit.cli.filter((c) => c.wallMs <= TARGETS.cliVitMs);
    const missed = vit.cli.filter((c) => c.wallMs > TARGETS.cliVitMs);
    out(`target: CLI verify of the ViT ≤ ${s(TARGETS.cliVitMs)} wall — met by ${met.map(text).join(', ') || 'none'}; not met by ${missed.map(text).join(', ') || 'none'}`);
  }
}
