/**
 * `npm run bench -- --verify [--runs N]`: how long the proof takes on the corpus's MobileNetV3 and
 * ViT — the CLI's `verify` (original against its fused model, as a fresh process per run) on each
 * engine, as the checkout runs it (tsx compiling the sources) and as the installed package does
 * (its esbuild bundle, dist/cli), split into onnxruntime's start, the two session creates and the runs (from its --json
 * report), the rest being ours (process, tsx, parsing, inputs, comparison); beside it onnxruntime-node
 * itself creating and running each model once, the floor. Medians over the runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel, writeModel } from '../src/core/onnx/modelIO';
import { fuse } from '../src/core/rewrite/fuse';
import { feedsFor, startRuntime, type EngineName } from '../src/core/verify/ortSession';
import { resolveInputs } from '../src/core/verify/verifyInputs';
import type { VerifyReport } from '../src/core/verify/verify';
import { loadNodeEngine } from '../src/cli/engines';
import { median } from './median';

const MODELS = ['mobilenet_v3_small', 'vit_tiny_encoder12'] as const;
/** Timed runs of each model in each CLI verify (its default, given explicitly so the split below is exact). */
const RUNS_EACH = 2;
/** The CLI's runs before issue 36 (the library's default): the `before` row, onnxruntime-web with five runs of each model. */
const RUNS_BEFORE = 5;
/** The target, from issue 36: the ViT's CLI verify within this, wall. */
const VIT_TARGET_MS = 1500;

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
  /** onnxruntime-node in this process, after its start: one create and the first run of the original model. */
  native: { createMs: number; firstRunMs: number } | null;
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

async function nativeOnce(bytes: Uint8Array, runs: number): Promise<{ createMs: number; firstRunMs: number } | null> {
  const engine = await loadNodeEngine();
  if (!engine) return null;
  await startRuntime(engine);
  const feeds = feedsFor(engine, resolveInputs(readModel(bytes), {}).tensors);
  const creates: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const s = await engine.createSession(bytes, [], 'disabled');
    creates.push(performance.now() - t0);
    t0 = performance.now();
    await s.run(feeds);
    firsts.push(performance.now() - t0);
    await s.release();
  }
  return { createMs: median(creates), firstRunMs: median(firsts) };
}

export async function verifyBench(root: string, runs: number, log: (s: string) => void): Promise<VerifyBenchRow[]> {
  log('verify: building the package (dist/cli)');
  execFileSync(process.execPath, ['tools/buildPackage.mjs'], { cwd: root, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'fi-bench-verify-'));
  const rows: VerifyBenchRow[] = [];
  try {
    for (const name of MODELS) {
      const a = join(root, '..', 'shared', 'corpus', `${name}.onnx`);
      if (!existsSync(a)) {
        log(`verify: ${a} is missing; skipped`);
        continue;
      }
      const bytes = new Uint8Array(readFileSync(a));
      const model = readModel(bytes);
      const b = join(dir, `${name}.fused.onnx`);
      writeFileSync(b, writeModel(fuse(model).model));
      log(`verify: ${name}`);
      // Interleaved, run by run: a burst of load from elsewhere on the machine falls on every setup alike.
      const samples: CliSample[][] = SETUPS.map(() => []);
      for (let i = 0; i < runs; i++) for (const [k, setup] of SETUPS.entries()) samples[k].push(cliRun(root, setup, a, b));
      const cli = SETUPS.map((setup, k) => cliRow(setup, samples[k]));
      rows.push({ model: name, nodes: model.graph!.node.length, cli, native: await nativeOnce(bytes, runs) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function printVerifyBench(rows: VerifyBenchRow[], out: (s: string) => void = console.log): void {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  out('\nverify: original against its fused model (ms unless said; medians)');
  out('model                 nodes  page Verify        CLI engine (command, runs)     wall    start  sessions (a + b)  runs (a + b, median)  ours   native create + first run  CLI wall / native');
  for (const r of rows) {
    const native = r.native ? r.native.createMs + r.native.firstRunMs : null;
    for (const [i, c] of r.cli.entries()) {
      const head = i === 0 ? `${r.model.padEnd(20)} ${String(r.nodes).padStart(6)}  ${'not measured yet'.padEnd(17)}` : ' '.repeat(46);
      const nat = i === 0 ? (r.native ? `${f(r.native.createMs)} + ${f(r.native.firstRunMs)}` : 'onnxruntime-node not installed') : '';
      out(
        `${head} ${`${c.engine} ${c.version} (${c.command}, ×${c.runsEach})`.padEnd(26)} ${s(c.wallMs).padStart(10)} ${f(c.runtimeStartMs).padStart(7)}  ${`${f(c.sessionsMs[0])} + ${f(c.sessionsMs[1])}`.padStart(16)}  ${`${f(c.runMs[0])} + ${f(c.runMs[1])}`.padStart(20)} ${f(c.restMs).padStart(6)}   ${nat.padStart(24)}  ${native ? `${(c.wallMs / native).toFixed(1)}×`.padStart(17) : ''}`,
      );
    }
    const before = r.cli.find((c) => c.runsEach === RUNS_BEFORE)!;
    const web = r.cli.find((c) => c.engine === 'web' && c.command === 'checkout' && c.runsEach === RUNS_EACH)!;
    const node = r.cli.find((c) => c.engine === 'node' && c.command === 'checkout')!;
    out(`${' '.repeat(46)} before (web, ×${RUNS_BEFORE}) ${s(before.wallMs)} → now ${s(node.wallMs)} (checkout, node; ${(before.wallMs / node.wallMs).toFixed(1)}×)`);
    out(`${' '.repeat(46)} checkout: node is ${(web.wallMs / node.wallMs).toFixed(1)}× faster than web, wall; runs ${((web.runMs[0] + web.runMs[1]) / (node.runMs[0] + node.runMs[1])).toFixed(1)}×, sessions ${((web.sessionsMs[0] + web.sessionsMs[1]) / (node.sessionsMs[0] + node.sessionsMs[1])).toFixed(1)}×`);
  }
  const vit = rows.find((r) => r.model === 'vit_tiny_encoder12');
  if (vit) {
    const text = (c: CliVerifyRow) => `${c.engine} ${c.command} ×${c.runsEach} ${s(c.wallMs)}`;
    const met = vit.cli.filter((c) => c.wallMs <= VIT_TARGET_MS);
    const missed = vit.cli.filter((c) => c.wallMs > VIT_TARGET_MS);
    out(`target: CLI verify of the ViT ≤ ${s(VIT_TARGET_MS)} wall — met by ${met.map(text).join(', ') || 'none'}; not met by ${missed.map(text).join(', ') || 'none'}`);
  }
  out('the page columns are measured by a later task (the page’s verify worker is being changed)');
}
