/**
 * The built page as users host it: from a plain static server under a sub-path (relative URLs, the
 * CSP in the page itself), and offline once loaded (a service worker keeps the app, the examples and
 * onnxruntime-web's wasm).
 */
import { expect, test } from './fixtures';
import { staticHost, type HostWatch } from './staticHost';

test('the built page works from a static host under a sub-path, with its CSP', async ({ page }) => {
  const { server, base } = await staticHost();
  try {
    await page.goto(base);
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const scripts = csp!.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(scripts.trim()).toBe("script-src 'self' 'wasm-unsafe-eval'");
    await page.getByTestId('open-gallery').click();
    await page.locator('[data-example="valid_2d"]').click();
    await expect(page.getByTestId('model-summary')).toContainText('valid_2d.onnx');
    await page.reload();
    await expect(page.getByTestId('model-summary')).toContainText('valid_2d.onnx');
    await page.getByTestId('verify').click();
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  } finally {
    server.close();
  }
});

test('once loaded, the page works offline: reload, open an example, verify', async ({ page, context }) => {
  // The wasm is answered slowly (a slow network): the verification worker's own fetch of it is still
  // on its way when the page asks the service worker to keep it (2 s after load).
  const host: HostWatch = { asked: [], slow: { match: /\.wasm$/, ms: 3000 } };
  const { server, base } = await staticHost({}, host);
  const wasmAsked = () => host.asked.filter((p) => p.endsWith('.wasm')).length;
  // Requests for the wasm as Playwright sees them: the service worker's own, or a client's (the page
  // or one of its dedicated workers: Playwright gives a dedicated worker's request the page's frame).
  const wasmBy: string[] = [];
  context.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasmBy.push(r.serviceWorker() ? 'service worker' : 'a client');
  });
  // What the page's own thread fetched: its resource timing lists the document's requests, not its
  // dedicated workers' nor the service worker's. The 14 MB wasm arriving there was a 40-60 ms task.
  const wasmOnPageThread = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
  try {
    await page.goto(base);
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    // The service worker takes control, then keeps what the page fetches (the wasm in idle time).
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
    expect(await wasmOnPageThread()).toEqual([]);
    const askedBefore = wasmAsked();
    await page.reload();
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    await page.getByTestId('open-gallery').click();
    await page.locator('[data-example="seed_3d"]').click();
    await expect(page.getByTestId('model-summary')).toContainText('seed_3d.onnx');
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('fusion-inspector-v1')).keys()).some((r) => r.url.endsWith('.wasm'))), { timeout: 30_000 })
      .toBe(true);
    // Fetched by the verification worker through the service worker, never by the page's thread…
    expect(wasmBy).toContain('a client');
    expect(wasmBy).toContain('service worker');
    expect(await wasmOnPageThread()).toEqual([]);
    // …and downloaded once for this load: the keep waited for the worker's fetch on its way.
    expect(wasmAsked() - askedBefore).toBe(1);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('model-summary')).toContainText('seed_3d.onnx');
    await page.getByTestId('open-gallery').click();
    await page.locator('[data-example="mlp"]').click();
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    await page.getByTestId('verify').click();
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  } finally {
    await context.setOffline(false);
    server.close();
  }
});
