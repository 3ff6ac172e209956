/**
 * `npm run bench [-- --json] [--runs N] [--quick] [--vs-netron [--big] [--only name,…]] [--verify [--page-only]]`: synthetic models of ~1,000, 10,000 and 50,000
 * nodes and one with ~200 MB of float32 weights, measured in Node (the core) and in headless
 * Chromium (the page, production build). Every figure is the median of several runs.
 * `--verify [--page-only]`: the proof's time on the corpus models — the page's Verify (verifyPage.ts), the CLI per
 * engine (verifyBench.ts) — beside onnxruntime-node itself, with issue 36's ratios (verifyTable.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { syntheticModel } from '../src/examples/synthetic';
import { readModel, writeModel } from '../src/core/onnx/modelIO';
import { buildGraph } from '../src/core/graph/graph';
import { heapFloor } from './floor';
import { servePreview } from './preview';
import { inferShapes } from '../src/core/graph/shapeInference';
import { findPairs } from '../src/core/patterns/findPairs';
import { buildGraphView } from '../src/core/view/graphView';
import { buildHierarchy, initialExpansion } from '../src/core/view/hierarchy';
import { GroupLayout } from '../src/core/view/groupLayout';
import { fuse } from '../src/core/rewrite/fuse';
import { verify } from '../src/core/verify/verify';
import { analyzeModel } from '../src/core/analysis';
import { printVs, vsNetron } from './vsNetron';
import { median } from './median';
import { benchModels, nativeSample, printVerifyBench, verifyBench, type BenchModel } from './verifyBench';
import { IDLE_MS, verifyPageBench } from './verifyPage';
import { medianNative, nativeLine, pageLines, type NativeFigure } from './verifyTable';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 1 : 3);
const log = (s: string) => (asJson ? process.stderr.write(`${s}\n`) : console.log(s));


function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

interface CoreRow {
  model: string;
  nodes: number;
  fileMB: number;
  parseMs: number;
  shapesMs: number;
  analysisMs: number;
  layoutMs: number;
  fuseMs: number;
  serializeMs: number;
}

function coreBench(name: string, bytes: Uint8Array): CoreRow {
  const samples: Record<string, number[]> = { parse: [], shapes: [], analysis: [], layout: [], fuse: [], serialize: [] };
  let nodes = 0;
  for (let i = 0; i < runs; i++) {
    const [model, parse] = time(() => readModel(bytes));
    nodes = model.graph!.node.length;
    const [graph, g1] = time(() => buildGraph(model));
    const [shapes, g2] = time(() => inferShapes(graph));
    const [pairs, analysis] = time(() => findPairs(graph, shapes));
    const [, layout] = time(() => {
      const view = buildGraphView({ model, graph, shapes, pairs, diagnostics: [] });
      const h = buildHierarchy(view);
      return new GroupLayout(view, h).layout(initialExpansion(h));
    });
    const [fused, fuseMs] = time(() => fuse({ model, graph, shapes, pairs, diagnostics: [] }));
    const [, serialize] = time(() => writeModel(fused.model));
    samples.parse.push(parse);
    samples.shapes.push(g1 + g2);
    samples.analysis.push(analysis);
    samples.layout.push(layout);
    samples.fuse.push(fuseMs);
    samples.serialize.push(serialize);
  }
  return {
    model: name,
    nodes,
    fileMB: bytes.length / 1e6,
    parseMs: median(samples.parse),
    shapesMs: median(samples.shapes),
    analysisMs: median(samples.analysis),
    layoutMs: median(samples.layout),
    fuseMs: median(samples.fuse),
    serializeMs: median(samples.serialize),
  };
}

interface PageRow {
  model: string;
  firstPaintMs: number;
  responsiveMs: number;
  longestTaskMs: number;
  pageHeapMB: number;
  /** Slowest frame (95th percentile) while panning the drawn graph by mouse. */
  panP95FrameMs: number;
}

const FRAMES = `(() => { const f = (window.__frames = []); let last = performance.now(); const tick = (t) => { f.push(t - last); last = t; if (f.length < 400) requestAnimationFrame(tick); }; requestAnimationFrame(tick); })()`;

// Strings, not functions: tsx's name helpers do not exist in the page. The page marks
// `fi:layout-painted` on the frame after a new layout is committed.
const INSTRUMENT = `(() => {
  const b = (window.__bench = { t0: 0, longest: 0, paint: 0, heap: 0 });
  performance.clearMarks();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (b.t0 > 0 && e.startTime >= b.t0) b.longest = Math.max(b.longest, e.duration);
  }).observe({ type: 'longtask', buffered: false });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'fi:layout-painted' && b.t0 > 0 && !b.paint) b.paint = e.startTime - b.t0;
  }).observe({ type: 'mark' });
  document.querySelector('[data-testid="file-input"]').addEventListener('change', () => { b.t0 = performance.now(); }, { capture: true });
  const sample = () => { b.heap = Math.max(b.heap, performance.memory ? performance.memory.usedJSHeapSize : 0); requestAnimationFrame(sample); };
  sample();
})()`;

const RESPONSIVE = `new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve(performance.now() - window.__bench.t0)), 0))`;

async function pageBench(browser: Browser, base: string, name: string, path: string): Promise<PageRow> {
  const samples: Record<string, number[]> = { paint: [], responsive: [], longest: [], heap: [], pan: [] };
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await page.goto(`${base}/`);
    await page.waitForSelector('.react-flow__node');
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached' });
    await page.evaluate(INSTRUMENT);
    await page.locator('[data-testid="file-input"]').setInputFiles(path);
    await page.waitForFunction('window.__bench.paint > 0', null, { timeout: 120_000 });
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 120_000 });
    // Responsive: a click on a control is handled and painted.
    const responsive = (await page.evaluate(RESPONSIVE)) as number;
    const r = (await page.evaluate('window.__bench')) as { paint: number; longest: number; heap: number };
    samples.paint.push(r.paint);
    samples.responsive.push(responsive);
    samples.longest.push(r.longest);
    samples.heap.push(r.heap / 1e6);
    // Pan: drag the canvas around for a second while recording frame intervals.
    await page.evaluate(FRAMES);
    await page.mouse.move(500, 450);
    await page.mouse.down();
    for (let k = 0; k < 60; k++) await page.mouse.move(500 + 200 * Math.sin(k / 6), 450 + 200 * Math.cos(k / 6));
    await page.mouse.up();
    const frames = ((await page.evaluate('window.__frames')) as number[]).slice(1);
    const sorted = [...frames].sort((a, b) => a - b);
    samples.pan.push(sorted[Math.floor(sorted.length * 0.95)] ?? 0);
    await page.close();
  }
  return {
    model: name,
    firstPaintMs: median(samples.paint),
    responsiveMs: median(samples.responsive),
    longestTaskMs: median(samples.longest),
    pageHeapMB: median(samples.heap),
    panP95FrameMs: median(samples.pan),
  };
}

/** Peak JS memory (heap + ArrayBuffers) in Node while the worker's code path opens a model. */
async function memoryBench(bytes: Uint8Array): Promise<{ fileMB: number; heapDeltaMB: number; ratio: number }> {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  const before = process.memoryUsage();
  const base = before.heapUsed + before.arrayBuffers;
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base);
  };
  const { InspectorSession } = await import('../src/core/session/inspectorSession');
  const s = new InspectorSession();
  sample();
  s.open('bench_200mb.onnx', bytes, sample);
  sample();
  // The file itself was already in memory before: what matters is what opening it added.
  return { fileMB: bytes.length / 1e6, heapDeltaMB: peak / 1e6, ratio: (peak + bytes.length) / bytes.length };
}

/** `--vs-netron`: our page beside Netron on the corpus models and synthetic ones (2k, 10k; `--big` adds 50k). */
async function vsNetronMain() {
  const outDir = join(root, 'dist', 'bench-models');
  mkdirSync(outDir, { recursive: true });
  const files: { name: string; path: string; nodes: number }[] = [];
  for (const f of ['face_embedding', 'mobilenet_v3_small', 'vit_tiny_encoder12']) {
    const p = join(root, '..', 'shared', 'corpus', `${f}.onnx`);
    if (existsSync(p)) files.push({ name: f, path: p, nodes: readModel(new Uint8Array(readFileSync(p))).graph!.node.length });
  }
  for (const n of args.includes('--big') ? [2000, 10000, 50000] : [2000, 10000]) {
    const m = syntheticModel({ nodes: n });
    const p = join(outDir, `synthetic_${n / 1000}k.onnx`);
    writeFileSync(p, writeModel(m));
    files.push({ name: `synthetic ${n / 1000}k`, path: p, nodes: m.graph!.node.length });
  }
  // `--only a,b`: just the models whose names contain one of these (a quick side-by-side of a few).
  const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',').filter(Boolean) : [];
  if (only.length) files.splice(0, files.length, ...files.filter((f) => only.some((o) => f.name.includes(o))));
  log('building the page');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'ignore' });
  const { base, stop } = await servePreview(root, 5196);
  try {
    const browser = await launchChromium();
    try {
      const rows = await vsNetron(root, browser, base, files, Number(args[args.indexOf('--runs') + 1]) || 3, log);
      const floor = await heapFloor(root, browser, log);
      if (asJson) console.log(JSON.stringify({ rows, floor }, null, 2));
      else printVs(rows, floor);
    } finally {
      await browser.close();
    }
  } finally {
    stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** `--verify`: the CLI rows, the page columns and the native figure; `--page-only`: the page and the native figure alone. */
async function verifyMain() {
  const pageOnly = args.includes('--page-only');
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}; ${runs} run(s) per figure`);
  const dir = mkdtempSync(join(os.tmpdir(), 'fi-bench-verify-'));
  try {
    const models = benchModels(root, dir, log);
    // The native figure is sampled beside each CLI and page run, and its median taken over all of them.
    const samples = new Map<string, NativeFigure[]>(models.map((m) => [m.name, []]));
    const alongside = async (m: BenchModel) => {
      const n = await nativeSample(m);
      if (n) samples.get(m.name)!.push(n);
    };
    const cli = pageOnly ? [] : await verifyBench(root, models, runs, log, alongside);
    const page = await verifyPageBench(root, models, runs, log, alongside);
    const natives = new Map(models.map((m) => [m.name, medianNative(samples.get(m.name)!)]));
    if (asJson) {
      console.log(JSON.stringify({ loadAverage: os.loadavg(), runs, idleMs: IDLE_MS, native: Object.fromEntries(natives), cli, page }, null, 2));
      return;
    }
    if (!pageOnly) printVerifyBench(cli, natives);
    else for (const m of models) console.log(nativeLine(m.name, natives.get(m.name) ?? null));
    for (const line of pageLines(page, natives, IDLE_MS)) console.log(line);
    log(`load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (args.includes('--vs-netron')) return vsNetronMain();
  if (args.includes('--verify')) return verifyMain();
  const outDir = join(root, 'dist', 'bench-models');
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${runs} run(s) per figure`);
  // Analysis alone on a 100,000-node graph, first, with nothing else in the heap: as in the page's
  // worker, which holds only the model it analyses.
  const analysis100k = (() => {
    const bg = buildGraph(syntheticModel({ nodes: 100000 }));
    const bs = inferShapes(bg);
    return median(Array.from({ length: Math.max(5, runs) }, () => time(() => findPairs(bg, bs))[1]));
  })();
  const sizes = quick ? [1000, 10000] : [1000, 10000, 50000];
  const models: { name: string; bytes: Uint8Array }[] = [];
  for (const n of sizes) models.push({ name: `bench_${n / 1000}k`, bytes: writeModel(syntheticModel({ nodes: n })) });
  log('generated models');

  const core: CoreRow[] = models.map((m) => coreBench(m.name, m.bytes));
  const pipeline50k = core.find((c) => c.model === 'bench_50k');
  log('core measured');

  const heavy = writeModel(syntheticModel({ nodes: 1000, weightBytes: quick ? 50e6 : 200e6, channels: 8 }));
  const memory = await memoryBench(heavy);
  const heavyCore = coreBench(`bench_${Math.round(heavy.length / 1e6)}mb`, heavy);

  // Verify time for the 1,000-node model.
  const m1k = models[0];
  const a1k = analyzeModel(readModel(m1k.bytes));
  const fused1k = writeModel(fuse(a1k).model);
  const verifyMs = median(
    await Promise.all(
      Array.from({ length: 1 }, async () => {
        const t0 = performance.now();
        const r = await verify(m1k.bytes, fused1k, { runs: Math.max(2, runs) });
        if (!r.pass) throw new Error('bench: the 1k model did not verify');
        return performance.now() - t0;
      }),
    ),
  );

  // The page, built for production.
  mkdirSync(outDir, { recursive: true });
  log('building the page');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'ignore' });
  mkdirSync(outDir, { recursive: true });
  const files: { name: string; path: string }[] = [];
  const mobilenet = join(root, '..', 'shared', 'corpus', 'mobilenet_v3_small.onnx');
  const extra = existsSync(mobilenet) ? [{ name: 'bench_mobilenet_v3_small', bytes: new Uint8Array(readFileSync(mobilenet)) }] : [];
  for (const m of [...extra, ...models.filter((x) => x.name !== 'bench_50k'), { name: `bench_${Math.round(heavy.length / 1e6)}mb`, bytes: heavy }]) {
    const p = join(outDir, `${m.name}.onnx`);
    writeFileSync(p, m.bytes);
    files.push({ name: m.name, path: p });
  }
  const { base, stop } = await servePreview(root, 5197);
  const pages: PageRow[] = [];
  try {
    const browser = await launchChromium(['--enable-precise-memory-info']);
    try {
      for (const f of files) {
        log(`page: ${f.name}`);
        pages.push(await pageBench(browser, base, f.name, f.path));
      }
    } finally {
      await browser.close();
    }
  } finally {
    stop();
    rmSync(outDir, { recursive: true, force: true });
  }

  // The packaged command's start-up (dist/cli, as installed): median of 5 fresh processes.
  execFileSync('node', ['tools/buildPackage.mjs'], { cwd: root, stdio: 'ignore' });
  const cliMs = (args: string[]) =>
    median(
      Array.from({ length: 5 }, () => {
        const t0 = performance.now();
        execFileSync(process.execPath, [join(root, 'dist/cli/fusion-inspector.mjs'), ...args], { stdio: 'ignore' });
        return performance.now() - t0;
      }),
    );
  const mlp = join(root, '..', 'shared', 'corpus', 'tabular_mlp_opset13.onnx');
  const startup = { versionMs: cliMs(['--version']), infoMlpMs: existsSync(mlp) ? cliMs(['info', mlp]) : null };

  const result = { startup, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: os.totalmem() / 2 ** 30, node: process.version }, runs, core: [...core, heavyCore], analysis100kMs: analysis100k, pipeline50kMs: pipeline50k ? pipeline50k.parseMs + pipeline50k.shapesMs + pipeline50k.analysisMs : null, memory, verify1kMs: verifyMs, page: pages };
  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  console.log('\ncore (Node, ms)');
  console.log('model         nodes   file MB  parse  shapes  analysis  layout  fuse-all  serialize');
  for (const r of result.core) console.log(`${r.model.padEnd(12)} ${String(r.nodes).padStart(6)} ${f(r.fileMB).padStart(9)} ${f(r.parseMs).padStart(6)} ${f(r.shapesMs).padStart(7)} ${f(r.analysisMs).padStart(9)} ${f(r.layoutMs).padStart(7)} ${f(r.fuseMs).padStart(9)} ${f(r.serializeMs).padStart(10)}`);
  console.log(`\nanalysis alone, 100,000-node graph: ${f(analysis100k)} ms (target < 100 ms)`);
  if (result.pipeline50kMs !== null) console.log(`parse + shape inference + analysis, 50,000 nodes: ${f(result.pipeline50kMs)} ms (target < 1000 ms)`);
  console.log(`opening the ${f(memory.fileMB)} MB model: JS memory added ${f(memory.heapDeltaMB)} MB → peak ${memory.ratio.toFixed(2)}× the file (target ≤ 1.5×)`);
  console.log(`verify, 1,000-node model (two sessions, ${Math.max(2, runs)} runs each): ${f(verifyMs)} ms`);
  console.log(`packaged CLI start-up: --version ${f(startup.versionMs)} ms (target ≤ 150 ms)${startup.infoMlpMs !== null ? `, info on the corpus MLP ${f(startup.infoMlpMs)} ms (target ≤ 300 ms)` : ''}`);
  console.log('\npage (headless Chromium, production build, ms)');
  console.log('model                      first graph  responsive  longest task  page heap MB  pan p95 frame');
  for (const r of pages) console.log(`${r.model.padEnd(26)} ${f(r.firstPaintMs).padStart(11)} ${f(r.responsiveMs).padStart(11)} ${f(r.longestTaskMs).padStart(13)} ${f(r.pageHeapMB).padStart(13)} ${f(r.panP95FrameMs).padStart(14)}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
