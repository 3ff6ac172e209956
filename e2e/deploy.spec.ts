/**
 * The built page as users host it: from a plain static server under a sub-path (relative URLs, the
 * CSP in the page itself), and offline once loaded (a service worker keeps the app, the examples and
 * onnxruntime-web's wasm).
 */
import { expect, test } from './fixtures';
import { staticHost } from './staticHost';

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
  const { server, base } = await staticHost();
  // Who asks for the wasm: the service worker itself (its arrival on the page's thread was a 40-60 ms task).
  const wasmFrom: string[] = [];
  context.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasmFrom.push(r.serviceWorker() ? 'service worker' : 'page');
  });
  try {
    await page.goto(base);
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    // The service worker takes control, then keeps what the page fetches (the wasm in idle time).
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
    await page.reload();
    await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
    await page.getByTestId('open-gallery').click();
    await page.locator('[data-example="seed_3d"]').click();
    await expect(page.getByTestId('model-summary')).toContainText('seed_3d.onnx');
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('fusion-inspector-v1')).keys()).some((r) => r.url.endsWith('.wasm'))), { timeout: 30_000 })
      .toBe(true);
    expect(wasmFrom.length).toBeGreaterThan(0);
    expect(wasmFrom.filter((w) => w === 'page')).toEqual([]);
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
