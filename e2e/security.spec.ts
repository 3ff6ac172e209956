/**
 * Nothing leaves the browser: a whole session on the production build (what users deploy) makes
 * no request outside the page's origin, and its Content-Security-Policy would block one.
 */
import type { Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { join } from 'node:path';
import { CORPUS, openFile } from './helpers';
import { BUILT_PORT } from '../playwright.config';

const ORIGIN = `http://localhost:${BUILT_PORT}`;
test.use({ baseURL: ORIGIN });

test('a full session on the built page stays on its own origin', async ({ page, context }) => {
  const requests: string[] = [];
  const record = (r: Request) => requests.push(r.url());
  context.on('request', record);
  page.on('request', record);
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline\'; style'); // no inline scripts in the built page
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);

  // Open, analyse, fuse, verify, download, export: the whole session.
  await openFile(page, join(CORPUS, 'tabular_mlp_opset13.onnx'));
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 2 pairs');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  for (const id of ['download', 'export-md', 'export-json', 'export-svg', 'export-png']) {
    const dl = page.waitForEvent('download');
    await page.getByTestId(id).click();
    expect((await dl).suggestedFilename()).toBeTruthy();
  }
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);

  expect(requests.length).toBeGreaterThan(3);
  const outside = requests.filter((u) => !u.startsWith(`${ORIGIN}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(outside).toEqual([]);
  // onnxruntime-web's wasm came from us, not a CDN.
  expect(requests.some((u) => u.startsWith(ORIGIN) && u.endsWith('.wasm'))).toBe(true);

  // And the policy does block a request to another origin.
  const result = await page.evaluate(() => fetch('https://example.com/').then(() => 'sent', () => 'blocked'));
  expect(result).toBe('blocked');
  const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  expect(violations.length).toBeGreaterThan(0);
  for (const v of violations) expect(v).toMatch(/^connect-src https:\/\/example\.com/);
});
