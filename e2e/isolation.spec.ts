/**
 * The page's verify runs onnxruntime-web with threads where the page is cross-origin isolated, says
 * when it runs on one thread and why, and says it took wasm because there is no WebGPU here
 * (Chromium runs with --disable-gpu: `navigator.gpu` is there, its adapter is null). On a plain
 * static host the service worker isolates the page: one reload of its own, then never again.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openApp, shot } from './helpers';
import { staticHost } from './staticHost';

/** What the page's verify of the open model says of its engine. */
async function verifyEngine(page: Page): Promise<string> {
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  return (await page.getByTestId('verify-engine').textContent()) ?? '';
}

/** Isolated: threads on half the cores (webBackend.ts, unit-tested), or one on two cores, and no word of isolation. */
const ISOLATED = /^onnxruntime-web \(wasm, (\d threads|1 thread \(\d cores?: verify uses half\)); not WebGPU: /;

/** onnxruntime-web's WebGPU build: its script and its 27 MB wasm. */
const WEBGPU_FILES = /ort\.webgpu\.bundle|ort-wasm-simd-threaded\.asyncify/;

test('isolated by its server: verify runs threads on half the cores, takes the wasm fallback and says why, in the page and the exported report', async ({ page, context }) => {
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  await openApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const engine = await verifyEngine(page);
  expect(engine).toMatch(ISOLATED);
  expect(engine).toMatch(/; not WebGPU: no WebGPU adapter\)$/);
  await shot(page, 'isolation-engine');
  // No adapter, so the WebGPU build was never fetched.
  expect(requested.filter((u) => WEBGPU_FILES.test(u))).toEqual([]);
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-md').click();
  const md = readFileSync((await (await dl).path())!, 'utf8');
  // The same words, with the version.
  expect(md).toMatch(/\nonnxruntime-web \d+\.\d+\.\d+ \(/);
  expect(md).toContain(`(${engine.slice('onnxruntime-web ('.length, -1)}), graph optimizations disabled`);
});

test('a static host with no COOP/COEP headers: isolated after the service worker takes over (one reload), and verify may run threads', async ({ page }) => {
  const { server, base } = await staticHost();
  try {
    // Each load of the tab, whether it was isolated (sessionStorage survives the reloads).
    await page.addInitScript(() => sessionStorage.setItem('loads', `${sessionStorage.getItem('loads') ?? ''}${crossOriginIsolated ? 'I' : 'n'}`));
    const loads = () => page.evaluate(() => sessionStorage.getItem('loads')).catch(() => 'navigating');
    await page.goto(base);
    await expect.poll(loads, { timeout: 30_000 }).toBe('nI');
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await verifyEngine(page)).toMatch(ISOLATED);
    // No reload loop: isolated, the page stays; a reload of the user's is isolated at once.
    expect(await loads()).toBe('nI');
    await page.reload();
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    await page.waitForTimeout(3000);
    expect(await loads()).toBe('nII');
  } finally {
    server.close();
  }
});

test.describe('without a service worker', () => {
  test.use({ serviceWorkers: 'block' });
  test('a static host with no COOP/COEP headers: the page says it runs on one thread, and why', async ({ page }) => {
    const { server, base } = await staticHost();
    try {
      await page.goto(base);
      await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      expect(await verifyEngine(page)).toBe('onnxruntime-web (wasm, 1 thread (not cross-origin isolated: the host sends no COOP/COEP headers); not WebGPU: no WebGPU adapter)');
      await shot(page, 'isolation-not-isolated');
    } finally {
      server.close();
    }
  });

  test('a host that sends COOP/COEP: the built page runs onnxruntime-web on 2 threads (its thread workers are its own chunk)', async ({ page, context }) => {
    const { server, base } = await staticHost({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    try {
      // This machine may have 2 cores (1 thread): the verification worker is told it has 4.
      await context.route(/verify\.worker-[\w-]+\.js$/, async (route) => {
        const res = await route.fetch();
        const body = (await res.text()).replace(/\b[\w$]+\.navigator\.hardwareConcurrency\b/g, '4');
        await route.fulfill({ response: res, body });
      });
      const threadWorkers: string[] = [];
      page.on('worker', (w) => threadWorkers.push(w.url()));
      await page.goto(base);
      await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
      expect(await verifyEngine(page)).toBe('onnxruntime-web (wasm, 2 threads; not WebGPU: no WebGPU adapter)');
      // onnxruntime's second thread is a worker of its own chunk, not a second verification worker.
      expect(threadWorkers.filter((u) => /verify\.worker/.test(u))).toHaveLength(1);
      expect(threadWorkers.some((u) => /ort-wasm-[\w-]+\.js$/.test(u))).toBe(true);
    } finally {
      server.close();
    }
  });
});
