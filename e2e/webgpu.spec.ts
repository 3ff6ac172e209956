/**
 * Where the browser hands out a WebGPU adapter, the page's verify runs onnxruntime-web's WebGPU
 * build (both models on it) and says so. This machine has no GPU: Chromium's SwiftShader adapter
 * (WebGPU on the CPU) stands in for one. isolation.spec.ts checks the fallback without an adapter.
 */
import { existsSync } from 'node:fs';
import { expect, test } from './fixtures';
import { openApp } from './helpers';

test.use({
  launchOptions: {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  },
});

/** onnxruntime-web's WebGPU build: its script and its 27 MB wasm. */
const WEBGPU_FILES = /ort\.webgpu\.bundle|ort-wasm-simd-threaded\.asyncify/;

test('with a WebGPU adapter, verify runs both models on WebGPU and says so; its build is fetched then', async ({ page, context }) => {
  test.setTimeout(180_000);
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  await openApp(page);
  expect(await page.evaluate(async () => (await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()) != null)).toBe(true);
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 150_000 });
  await expect(page.getByTestId('verify-engine')).toHaveText('onnxruntime-web (webgpu)');
  expect(requested.filter((u) => WEBGPU_FILES.test(u)).length).toBeGreaterThan(0);
});
