/**
 * `npm run bench -- --vs-netron`: Netron 9.2.1 (../shared/bench's harness) and our production page
 * on the same files, interleaved run by run, timed by one definition and the same in-page probe:
 * from the file input's `change` to the first 50 ms sample at which the number of drawn graph nodes
 * has its final value (then unchanged for 1.5 s). Ours is timed twice: the first (grouped) view, and the whole graph after
 * "Expand all" (counted from the file input, the quiet waits excluded). Prints both and the ratios.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { median } from './median';

const QUIET_MS = 1500;
const POLL_MS = 50;

export interface VsRow {
  model: string;
  nodes: number;
  netronMs: number | null;
  firstMs: number;
  wholeMs: number | null;
}


/** Netron's own harness, one run (a fresh browser), its `t_drawn_ms`. */
function netronOnce(root: string, model: string): number | null {
  const harness = join(root, '..', 'shared', 'bench', 'netron_time.mjs');
  if (!existsSync(harness)) return null;
  try {
    const out = execFileSync(process.execPath, [harness, model, '--runs', '1'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 600_000 });
    const j = JSON.parse(out.trim().split('\n').pop()!) as { results?: { file?: { t_drawn_ms?: { median?: number } } } };
    return j.results?.file?.t_drawn_ms?.median ?? null;
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
  const h = window.__vs = { t0: 0, count: 0, countT: 0 };
  const input = document.querySelector('[data-testid="file-input"]');
  input.addEventListener('change', () => { h.t0 = performance.now(); h.count = -1; }, { capture: true });
  document.querySelector('[data-testid="expand-all"]').addEventListener('click', () => { h.t0 = performance.now(); h.count = -1; }, { capture: true });
  setInterval(() => {
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

async function oursOnce(browser: Browser, base: string, model: string, expand: boolean): Promise<{ first: number; whole: number | null }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('.react-flow__node');
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached' });
    await page.evaluate(PROBE);
    await page.locator('[data-testid="file-input"]').setInputFiles(model);
    await page.waitForFunction(`document.querySelector('[data-testid="model-summary"]')?.textContent.includes(${JSON.stringify(model.split('/').pop())})`, null, { timeout: 300_000 });
    const first = await settled(page);
    if (!expand || !(await page.getByTestId('expand-all').isEnabled())) return { first, whole: null };
    await page.getByTestId('expand-all').click();
    const whole = await settled(page);
    return { first, whole: first + whole };
  } finally {
    await page.close();
  }
}

export async function vsNetron(root: string, browser: Browser, base: string, files: { name: string; path: string; nodes: number }[], runs: number, log: (s: string) => void): Promise<VsRow[]> {
  const rows: VsRow[] = [];
  for (const f of files) {
    const netron: number[] = [];
    const first: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`vs netron: ${f.name} run ${i + 1}/${runs}`);
      const n = netronOnce(root, f.path);
      if (n !== null) netron.push(n);
      const o = await oursOnce(browser, base, f.path, true);
      first.push(o.first);
      if (o.whole !== null) whole.push(o.whole);
    }
    rows.push({ model: f.name, nodes: f.nodes, netronMs: netron.length ? median(netron) : null, firstMs: median(first), wholeMs: whole.length ? median(whole) : null });
  }
  return rows;
}

export function printVs(rows: VsRow[]): void {
  const f = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(0));
  const r = (a: number | null, b: number | null) => (a === null || b === null || !Number.isFinite(a / b) ? '—' : `${(a / b).toFixed(1)}×`);
  console.log('\nvs Netron 9.2.1 (file input → drawn and stable, medians, interleaved; ms)');
  console.log('model                         nodes   Netron  ours first  ours whole  ratio first  ratio whole');
  for (const x of rows) console.log(`${x.model.padEnd(28)} ${String(x.nodes).padStart(6)} ${f(x.netronMs).padStart(8)} ${f(x.firstMs).padStart(10)} ${f(x.wholeMs).padStart(11)} ${r(x.netronMs, x.firstMs).padStart(12)} ${r(x.netronMs, x.wholeMs).padStart(12)}`);
}
