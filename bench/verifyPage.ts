/**
 * The page columns of `npm run bench -- --verify`: the production build (built into a temp dir and
 * served by `vite preview`, so with the COOP/COEP headers it sends) in headless Chromium, driven
 * as a user drives it — open the model with the file input, *Fuse all* in the toolbar, *Verify* —
 * and timed from the click to the frame after the result is in the page. Only what a user sees is
 * read (the e2e tests' data-testids, the result panel's words), never the page's internals: the
 * verify worker behind it is free to change.
 *
 * Per run and model: a fresh page verifies at once after the fold (first), then Undo, Fuse all and
 * Verify again (second: the realistic next verify, the fused side rebuilt); another fresh page
 * verifies IDLE_MS after the fold (idle first). Main-thread long tasks are recorded during each.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { servePreview } from './preview';
import type { BenchModel } from './verifyBench';
import { summarizePage, type PageSample, type PageVerifyRow, type VerifyClick } from './verifyTable';

/** Our own port (5199/5200 are the shared dev server and preview). */
const PORT = 5221;
/** The idle wait before the idle first verify: "the page has been open a few seconds". */
export const IDLE_MS = 5000;
const TIMEOUT_MS = 300_000;

/**
 * In the page before the first click: every long task, and per click on *Verify* the time of the
 * click and of the frame after the result shows. The result is the one shown once the page is no
 * longer busy (the Verify button enabled again after being disabled), not stale, and not the text
 * of the result that was there at the click (a second verify of the same step may reuse the panel).
 */
const PROBE = `(() => {
  const p = (window.__fiVerify = { clicks: [], tasks: [] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) p.tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  const q = (s) => document.querySelector(s);
  document.addEventListener('click', (ev) => {
    if (!(ev.target instanceof Element) || !ev.target.closest('[data-testid="verify"]')) return;
    const old = q('[data-testid="verify-result"]');
    const c = { t0: performance.now(), oldText: old ? old.textContent : null, sawBusy: false, busyEnd: 0, t1: 0, error: null, pass: null };
    p.clicks.push(c);
    const check = () => {
      if (c.t1 || c.done) return;
      const b = q('[data-testid="verify"]');
      if (!b || b.disabled) { c.sawBusy = true; return; }
      if (!c.sawBusy) return;
      if (!c.busyEnd) c.busyEnd = performance.now();
      const err = q('[data-testid="error"]');
      const r = q('[data-testid="verify-result"]');
      const fresh = r && r.getAttribute('data-stale') === 'false' && r.textContent !== c.oldText;
      if (!err && !fresh) return;
      c.done = true;
      mo.disconnect();
      if (err) c.error = err.textContent;
      else c.pass = r.getAttribute('data-pass');
      requestAnimationFrame(() => { c.t1 = performance.now(); });
    };
    const mo = new MutationObserver(check);
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    check();
  }, { capture: true });
})()`;

interface ClickState {
  t0: number;
  t1: number;
  busyEnd: number;
  error: string | null;
  pass: string | null;
}

/**
 * Polls an expression until it is true. Not `waitForFunction`: it evaluates its text with `eval`
 * in the page, which the page's CSP refuses (and the page is measured with its CSP, as users get it).
 */
async function until(page: Page, expr: string, what: string): Promise<void> {
  const give = Date.now() + TIMEOUT_MS;
  while (!(await page.evaluate(`!!(${expr})`))) {
    if (Date.now() > give) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The page's busy indicator gone (the e2e helpers' condition for "done"). */
async function idle(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: TIMEOUT_MS });
}

async function openModel(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForSelector('.react-flow__node', { timeout: TIMEOUT_MS });
  await idle(page);
  await page.evaluate(PROBE);
  await page.locator('[data-testid="file-input"]').setInputFiles(path);
  const name = path.split('/').pop()!;
  await until(page, `(document.querySelector('[data-testid="model-summary"]')?.textContent ?? '').includes(${JSON.stringify(name)})`, `${name} to open`);
  await idle(page);
}

/** The toolbar's *Fuse all*, until nothing fusable is left and *Verify* can be pressed. */
async function fuseAll(page: Page): Promise<void> {
  const button = page.getByTestId('toolbar-fuse-all');
  await button.click({ timeout: TIMEOUT_MS });
  await until(page, `document.querySelector('[data-testid="toolbar-fuse-all"]')?.disabled && !document.querySelector('[data-testid="verify"]')?.disabled`, 'the fold');
  await idle(page);
}

async function undo(page: Page): Promise<void> {
  await page.locator('header').getByRole('button', { name: 'Undo' }).click({ timeout: TIMEOUT_MS });
  await until(page, `!document.querySelector('[data-testid="toolbar-fuse-all"]')?.disabled`, 'the undo');
  await idle(page);
}

/** One click on *Verify*, timed by the probe; refuses a result that did not pass. */
async function verifyClick(page: Page, model: string): Promise<VerifyClick> {
  const index = (await page.evaluate('window.__fiVerify.clicks.length')) as number;
  await page.getByTestId('verify').click();
  const at = `window.__fiVerify.clicks[${index}]`;
  try {
    await until(page, `${at} && (${at}.t1 > 0 || (${at}.busyEnd > 0 && !${at}.done && performance.now() - ${at}.busyEnd > 3000))`, `the verify of ${model}`);
  } catch (e) {
    // What the user would see: the progress line, the error banner, and a screenshot to look at.
    const shot = join(tmpdir(), `fi-bench-verify-${model}.png`);
    await page.screenshot({ path: shot });
    const seen = (await page.evaluate(`[document.querySelector('[data-testid="progress"]')?.innerText, document.querySelector('[data-testid="error"]')?.innerText].filter(Boolean).join(' | ')`)) as string;
    throw new Error(`${(e as Error).message}; the page shows: ${seen || 'no progress, no error'} (screenshot ${shot})`, { cause: e });
  }
  const c = (await page.evaluate(at)) as ClickState;
  if (c.error !== null) throw new Error(`bench: the page's verify of ${model} failed: ${c.error}`);
  if (c.t1 === 0) throw new Error(`bench: the page's verify of ${model} ended with no new result`);
  if (c.pass !== 'true') throw new Error(`bench: the page's verify of ${model} did not pass`);
  // Long tasks are reported after they end: give the observer a moment.
  await page.waitForTimeout(200);
  const tasks = (await page.evaluate('window.__fiVerify.tasks')) as [number, number][];
  const during = tasks.filter(([start]) => start >= c.t0 && start <= c.t1).map(([, d]) => d);
  const seen = (await page.evaluate(`(() => {
    const lines = (document.querySelector('[data-testid="verify-result"]')?.innerText ?? '').split('\\n');
    const ort = lines.map((l) => /onnxruntime[\\w-]*(\\s*\\([^)]*\\))?/i.exec(l)?.[0]).find(Boolean);
    const threads = lines.filter((l) => /thread/i.test(l) && !/onnxruntime/i.test(l));
    return { line: [ort, ...threads].filter(Boolean).join(' — '), isolated: crossOriginIsolated === true };
  })()`)) as { line: string; isolated: boolean };
  return { ms: c.t1 - c.t0, longestTaskMs: Math.max(0, ...during), openForMs: c.t0, engine: seen.line.trim() || 'not stated', isolated: seen.isolated };
}

/** A new context (no cache, no service worker from the run before); what the page throws is kept for the end of the run. */
async function freshPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

async function pageRun(browser: Browser, base: string, m: BenchModel): Promise<PageSample> {
  const errors: string[] = [];
  const sample = await pageClicks(browser, base, m, errors);
  if (errors.length) throw new Error(`bench: the page threw while verifying ${m.name}: ${errors.join('; ')}`);
  return sample;
}

async function pageClicks(browser: Browser, base: string, m: BenchModel, errors: string[]): Promise<PageSample> {
  const a = await freshPage(browser, errors);
  let first: VerifyClick;
  let second: VerifyClick;
  try {
    await openModel(a, base, m.path);
    await fuseAll(a);
    first = await verifyClick(a, m.name);
    await undo(a);
    await fuseAll(a);
    second = await verifyClick(a, m.name);
  } finally {
    await a.close();
  }
  const b = await freshPage(browser, errors);
  try {
    await openModel(b, base, m.path);
    await fuseAll(b);
    await b.waitForTimeout(IDLE_MS);
    return { first, second, idle: await verifyClick(b, m.name) };
  } finally {
    await b.close();
  }
}

/** Builds the page into a temp dir, serves it on PORT and measures each model over `runs` runs; `alongside` runs before each. */
export async function verifyPageBench(root: string, models: readonly BenchModel[], runs: number, log: (s: string) => void, alongside: (m: BenchModel) => Promise<void>): Promise<PageVerifyRow[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'fi-bench-page-'));
  try {
    log('verify: building the page (production, into a temp dir)');
    execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: 'ignore' });
    const { base, stop } = await servePreview(root, PORT, { outDir });
    try {
      const browser = await launchChromium();
      try {
        const rows: PageVerifyRow[] = [];
        for (const m of models) {
          const samples: PageSample[] = [];
          for (let i = 0; i < runs; i++) {
            log(`verify: page, ${m.name} run ${i + 1}/${runs}`);
            await alongside(m);
            samples.push(await pageRun(browser, base, m));
          }
          rows.push(summarizePage(m.name, samples));
        }
        return rows;
      } finally {
        await browser.close();
      }
    } finally {
      stop();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
