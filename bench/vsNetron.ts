/**
 * `npm run bench -- --vs-netron`: Netron 9.2.1 (../shared/bench's harness) and our production page
 * on the same files, interleaved run by run, timed by one definition and the same in-page probe:
 * from the file input's `change` to the first 50 ms sample at which the number of drawn graph nodes
 * has its final value (then unchanged for 1.5 s). Ours is timed twice: the first (grouped) view, and the whole graph after
 * "Expand all" (counted from the file input, the quiet waits excluded; the first view itself when that already has every group open). Prints both and the ratios.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { median } from './median';

const QUIET_MS = 1500;
const POLL_MS = 50;

/** JS heap (MB, after GC) of a blank page and of the least page of this stack (bench/floor). */
export interface HeapFloor {
  blankMb: number;
  reactFlowMb: number;
}

export interface VsRow {
  model: string;
  nodes: number;
  netronMs: number | null;
  firstMs: number;
  wholeMs: number | null;
  /** Every run's figure, in run order: the spread behind the medians. */
  netronRuns: number[];
  firstRuns: number[];
  /** Longest main-thread task while opening, expanding, panning, zooming and collapsing (ours) / while opening (Netron). */
  oursLongestTaskMs: number;
  /** The move it started in, and every run's longest task. */
  oursLongestTaskIn: string;
  oursLongestRuns: number[];
  netronLongTaskMs: number | null;
  /** DOM nodes and JS heap (MB, after GC) with the whole graph: ours page + worker, Netron's page. */
  oursDom: number;
  netronDom: number | null;
  oursHeapMb: number;
  netronHeapMb: number | null;
  /** 95th-percentile frame while panning the expanded graph. */
  panP95Ms: number;
}


interface NetronRun {
  drawnMs: number;
  longTaskMs: number | null;
  dom: number | null;
  heapMb: number | null;
}

/** Netron's own harness, one run (a fresh browser): its `t_drawn_ms`, long-task time, DOM nodes and heap after GC. */
function netronOnce(root: string, model: string): NetronRun | null {
  const harness = join(root, '..', 'shared', 'bench', 'netron_time.mjs');
  if (!existsSync(harness)) return null;
  try {
    const out = execFileSync(process.execPath, [harness, model, '--runs', '1'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 600_000 });
    type Stat = { median?: number } | null | undefined;
    const j = JSON.parse(out.trim().split('\n').pop()!) as { results?: { file?: Record<string, Stat> } };
    const r = j.results?.file;
    const m = (k: string) => r?.[k]?.median ?? null;
    const drawn = m('t_drawn_ms');
    return drawn === null ? null : { drawnMs: drawn, longTaskMs: m('main_longtask_ms'), dom: m('dom_nodes'), heapMb: m('heap_used_after_gc_mb') };
  } catch {
    return null;
  }
}

/**
 * The same probe as Netron's harness, in the page before the file is given: every 50 ms it counts
 * the drawn graph nodes and notes when the count last changed; `t0` is the file input's `change`
 * (or the click on "Expand all").
 */
const PROBE = `(() => {
  const h = window.__vs = { t0: 0, count: 0, countT: 0, longest: 0, longestIn: '', phases: [['open', 0]], name: '', ready: true };
  // Each long task is put in the move it started in (the observer reports it later).
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      if (h.t0 <= 0 || e.startTime < h.t0 || e.duration <= h.longest) continue;
      h.longest = e.duration;
      h.longestIn = h.phases.filter(([, t]) => t <= e.startTime).pop()[0];
    }
  }).observe({ type: 'longtask' });
  const input = document.querySelector('[data-testid="file-input"]');
  // The previous model's graph is still drawn until the new one replaces it: counting starts once the page names the new file.
  input.addEventListener('change', () => { h.t0 = performance.now(); h.count = -1; h.name = input.files[0].name; h.ready = false; }, { capture: true });
  document.querySelector('[data-testid="expand-all"]').addEventListener('click', () => { h.t0 = performance.now(); h.count = -1; h.ready = true; }, { capture: true });
  setInterval(() => {
    if (!h.ready) {
      h.ready = (document.querySelector('[data-testid="model-summary"]')?.textContent ?? '').includes(h.name);
      if (!h.ready) return;
    }
    const n = document.querySelectorAll('.react-flow__node').length + document.querySelectorAll('[data-testid="far-view"]').length;
    const busy = document.querySelector('[data-testid="progress"]') !== null;
    if (n !== h.count || busy) { h.count = n; h.countT = performance.now(); }
  }, ${POLL_MS});
})()`;

/** Waits until the count has not changed for QUIET_MS; the time from t0 to its last change. */
async function settled(page: Page): Promise<number> {
  const give = Date.now() + 300_000;
  for (;;) {
    const h = (await page.evaluate('({ ...window.__vs, now: performance.now() })')) as { t0: number; count: number; countT: number; now: number };
    if (h.count > 0 && h.now - h.countT >= QUIET_MS) return h.countT - h.t0;
    if (Date.now() > give) return NaN;
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface OursRun {
  first: number;
  whole: number | null;
  longest: number;
  /** The move the longest task started in: open, expand, pan, zoom, fit or collapse ('' when none). */
  longestIn: string;
  dom: number;
  heapMb: number;
  panP95: number;
}

/** JS heap in use (MB) of the page and of each of its workers, after a GC, through CDP. */
export async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  let total = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  // Workers: attached through the page's session (not flattened), asked over Target messages.
  const sessions: string[] = [];
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
    if (e.targetInfo.type === 'worker') sessions.push(e.sessionId);
  });
  const replies = new Map<number, (v: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id: number; result: unknown };
    replies.get(m.id)?.(m.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await new Promise((r) => setTimeout(r, 300));
  let id = 1;
  const ask = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve) => {
      const n = id++;
      replies.set(n, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: n, method }) });
      setTimeout(() => resolve(null), 5000);
    });
  for (const sid of sessions) {
    await ask(sid, 'HeapProfiler.collectGarbage');
    const h = (await ask(sid, 'Runtime.getHeapUsage')) as { usedSize?: number } | null;
    total += h?.usedSize ?? 0;
  }
  await cdp.detach();
  return total / 1048576;
}

/** Drags the expanded graph upwards in steps; the 95th-percentile interval between frames. */
async function panP95(page: Page): Promise<number> {
  await page.evaluate(`(() => { const f = []; window.__frames = f; let last = performance.now(); function tick(t) { f.push(t - last); last = t; if (f.length < 3000) requestAnimationFrame(tick); } requestAnimationFrame(tick); })()`);
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  for (let k = 0; k < 4; k++) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 100);
    await page.mouse.down();
    for (let i = 0; i < 40; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height - 100 - i * 18);
    await page.mouse.up();
  }
  const frames = (await page.evaluate('window.__frames.slice(3)')) as number[];
  frames.sort((a, b) => a - b);
  return frames[Math.floor(frames.length * 0.95)] ?? NaN;
}

/** Names the move that starts now, for the longest task's attribution. */
async function phase(page: Page, name: string): Promise<void> {
  await page.evaluate(`window.__vs.phases.push([${JSON.stringify(name)}, performance.now()])`);
}

/** Zooms out with the wheel to the far view and back, fits, then collapses every group. */
async function zoomAndCollapse(page: Page): Promise<void> {
  await phase(page, 'zoom');
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (const dy of [400, -400]) {
    for (let i = 0; i < 25; i++) {
      await page.mouse.wheel(0, dy);
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(500);
  }
  await phase(page, 'fit');
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(500);
  await phase(page, 'collapse');
  await page.getByTestId('collapse-all').click();
  await page.waitForTimeout(300);
  await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 300_000 });
  await page.waitForTimeout(500);
}

async function oursOnce(browser: Browser, base: string, model: string, expand: boolean): Promise<OursRun> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('.react-flow__node');
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached' });
    await page.evaluate(PROBE);
    await page.locator('[data-testid="file-input"]').setInputFiles(model);
    await page.waitForFunction(`document.querySelector('[data-testid="model-summary"]')?.textContent.includes(${JSON.stringify(model.split('/').pop())})`, null, { timeout: 300_000 });
    const first = await settled(page);
    let whole: number | null = null;
    const expandAll = page.getByTestId('expand-all');
    if (expand && (await expandAll.isEnabled())) {
      await phase(page, 'expand');
      await expandAll.click();
      whole = first + (await settled(page));
    } else if (expand && (await expandAll.getAttribute('data-all-open')) !== null) {
      // The first view already has every group open (Expand all is disabled for it): it is the whole graph.
      whole = first;
    }
    const opening = (await page.evaluate('[window.__vs.longest, window.__vs.longestIn]')) as [number, string];
    const heap = await heapMb(page);
    // DOM nodes as Netron's harness counts them: Blink's counter (elements and text nodes), after the GC above.
    const counters = await page.context().newCDPSession(page);
    const dom = ((await counters.send('Memory.getDOMCounters')) as { nodes: number }).nodes;
    await counters.detach();
    // The GC forced above runs as a task of the page: the count starts again after it.
    await page.evaluate(`(() => { const h = window.__vs; h.longest = 0; h.longestIn = ''; h.t0 = performance.now(); h.phases.push(['pan', h.t0]); })()`);
    const pan = await panP95(page);
    await zoomAndCollapse(page);
    // The longest task while opening and expanding, then while panning, zooming and collapsing.
    const moving = (await page.evaluate('[window.__vs.longest, window.__vs.longestIn]')) as [number, string];
    const [longest, longestIn] = moving[0] > opening[0] ? moving : opening;
    return { first, whole, longest, longestIn, dom, heapMb: heap, panP95: pan };
  } finally {
    await page.close();
  }
}

export async function vsNetron(root: string, browser: Browser, base: string, files: { name: string; path: string; nodes: number }[], runs: number, log: (s: string) => void): Promise<VsRow[]> {
  const rows: VsRow[] = [];
  for (const f of files) {
    const netron: NetronRun[] = [];
    const ours: OursRun[] = [];
    for (let i = 0; i < runs; i++) {
      log(`vs netron: ${f.name} run ${i + 1}/${runs}`);
      const n = netronOnce(root, f.path);
      if (n !== null) netron.push(n);
      ours.push(await oursOnce(browser, base, f.path, true));
    }
    const med = <T>(xs: T[], get: (x: T) => number | null): number | null => {
      const v = xs.map(get).filter((x): x is number => x !== null && Number.isFinite(x));
      return v.length ? median(v) : null;
    };
    rows.push({
      model: f.name,
      nodes: f.nodes,
      netronMs: med(netron, (x) => x.drawnMs),
      firstMs: med(ours, (x) => x.first) ?? NaN,
      wholeMs: med(ours, (x) => x.whole),
      netronRuns: netron.map((x) => x.drawnMs),
      firstRuns: ours.map((x) => x.first),
      oursLongestTaskMs: Math.max(...ours.map((x) => x.longest)),
      oursLongestTaskIn: ours.reduce((a, b) => (b.longest > a.longest ? b : a)).longestIn,
      oursLongestRuns: ours.map((x) => x.longest),
      netronLongTaskMs: med(netron, (x) => x.longTaskMs),
      oursDom: med(ours, (x) => x.dom) ?? NaN,
      netronDom: med(netron, (x) => x.dom),
      oursHeapMb: med(ours, (x) => x.heapMb) ?? NaN,
      netronHeapMb: med(netron, (x) => x.heapMb),
      panP95Ms: med(ours, (x) => x.panP95) ?? NaN,
    });
  }
  return rows;
}

export function printVs(rows: VsRow[], floor: HeapFloor): void {
  const f = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(0));
  const r = (a: number | null, b: number | null) => (a === null || b === null || !Number.isFinite(a / b) ? '—' : `${(a / b).toFixed(1)}×`);
  console.log('\nvs Netron 9.2.1 (file input → drawn and stable, medians, interleaved; ms)');
  console.log('model                         nodes   Netron  ours first  ours whole  ratio first  ratio whole');
  for (const x of rows) console.log(`${x.model.padEnd(28)} ${String(x.nodes).padStart(6)} ${f(x.netronMs).padStart(8)} ${f(x.firstMs).padStart(10)} ${f(x.wholeMs).padStart(11)} ${r(x.netronMs, x.firstMs).padStart(12)} ${r(x.netronMs, x.wholeMs).padStart(12)}`);
  console.log('\nevery run, first view (ms): Netron | ours');
  for (const x of rows) console.log(`${x.model.padEnd(28)} ${x.netronRuns.map(f).join(' ')} | ${x.firstRuns.map(f).join(' ')}`);
  console.log('\nevery run, longest main-thread task of ours (ms), and the move the longest started in');
  for (const x of rows) console.log(`${x.model.padEnd(28)} ${x.oursLongestRuns.map(f).join(' ')}${x.oursLongestTaskIn ? `  (${x.oursLongestTaskIn})` : ''}`);
  console.log('\nmodel                        longest task (ours, all moves)     DOM nodes ours / Netron  JS heap MB ours (page+worker) / Netron (page)  pan p95 ms');
  for (const x of rows)
    console.log(
      `${x.model.padEnd(28)} ${f(x.oursLongestTaskMs).padStart(8)} ms${' '.repeat(26)} ${f(x.oursDom).padStart(6)} / ${f(x.netronDom).padEnd(8)} ${r(x.netronDom, x.oursDom).padStart(6)}   ${x.oursHeapMb.toFixed(1).padStart(6)} / ${x.netronHeapMb === null ? '—' : x.netronHeapMb.toFixed(1)}  ${r(x.netronHeapMb, x.oursHeapMb).padStart(6)}   ${f(x.panP95Ms).padStart(8)}`,
    );
  console.log(`\nJS heap floors (MB, after GC): a blank page ${floor.blankMb.toFixed(2)}; React + React Flow drawing 17 plain nodes, nothing else (bench/floor) ${floor.reactFlowMb.toFixed(2)}`);
  for (const x of rows) if (x.netronHeapMb !== null) console.log(`${x.model.padEnd(28)} a third of Netron's heap: ${(x.netronHeapMb / 3).toFixed(2)} MB${x.netronHeapMb / 3 < floor.reactFlowMb ? ' — below the stack\'s floor' : ''}`);
}
