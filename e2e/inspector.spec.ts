import { expect, test } from './fixtures';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-web';
import { ARTIFACTS, CORPUS, openApp, openFile, pairRow, shot } from './helpers';

test('opens with the built-in example and shows every pair with its verdict', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('model-summary')).toContainText('mlp.onnx');
  const rows = page.locator('li[data-bn-output]');
  await expect(rows).toHaveCount(4);
  await expect(page.locator('li[data-fusable="true"]')).toHaveCount(2);
  await expect(pairRow(page, '/seq/bn/BatchNormalization_output_0')).toContainText('LINEAR_OUTPUT_RANK');
  await expect(pairRow(page, 'y')).toContainText('PRE_BN_VALUE_SHARED');
  await expect(page.locator('[data-node-name="/body/fc1/Gemm"]')).toBeVisible();
  // The graph marks pairs with words, not only colour: each pair, selected, is centred with its badge.
  for (const [id, bn, text] of [
    ['/body/bn1/BatchNormalization_output_0', '/body/bn1/BatchNormalization', '✓ FUSABLE'],
    ['/body/bn2/BatchNormalization_output_0', '/body/bn2/BatchNormalization', '✓ FUSABLE'],
    ['/seq/bn/BatchNormalization_output_0', '/seq/bn/BatchNormalization', '✗ NOT FUSABLE'],
    ['y', '/head/bn/BatchNormalization', '✗ NOT FUSABLE'],
  ]) {
    await pairRow(page, id).click();
    const badge = page.locator(`[data-node-name="${bn}"] .pair-badge`);
    await expect(badge).toBeInViewport();
    await expect(badge).toContainText(text);
  }
  await shot(page, '01-default-example');
});

test('a real export: verdicts, fuse all, verify, download, reopen', async ({ page }, testInfo) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'tabular_mlp_opset13.onnx'));
  await expect(page.locator('li[data-fusable="true"]')).toHaveCount(2);
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 2 pairs: 2 BatchNormalizations removed; weights rescaled (7 → 5 nodes).');
  await expect(page.locator('li[data-bn-output]')).toHaveCount(0);
  await expect(page.locator('[data-node-name="/body/body.1/BatchNormalization"]')).toHaveCount(0);

  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(result).toContainText('✓ pass');
  await expect(result).toContainText('session create');
  await shot(page, '02-fused-verified');

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('tabular_mlp_opset13.fused.onnx');
  // Playwright's per-test output folder: removed with the run's results, not left in /tmp.
  const saved = testInfo.outputPath('downloaded.fused.onnx');
  await download.saveAs(saved);

  // The downloaded file runs in onnxruntime-web and matches the original.
  const feeds = { x: new ort.Tensor('float32', Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)), [2, 20]) };
  const a = await (await ort.InferenceSession.create(join(CORPUS, 'tabular_mlp_opset13.onnx'))).run(feeds);
  const b = await (await ort.InferenceSession.create(readFileSync(saved))).run(feeds);
  const ya = a.y.data as Float32Array;
  const yb = b.y.data as Float32Array;
  expect(yb.length).toBe(ya.length);
  for (let i = 0; i < ya.length; i++) expect(Math.abs(ya[i] - yb[i])).toBeLessThan(1e-4);

  // And it loads back into the page, with nothing left to fold.
  await openFile(page, saved);
  await expect(page.getByTestId('model-summary')).toContainText('5 nodes');
  await expect(page.locator('li[data-bn-output]')).toHaveCount(0);
});

test('undo and redo a fusion', async ({ page }) => {
  await openApp(page);
  await pairRow(page, '/body/bn1/BatchNormalization_output_0').getByRole('button', { name: 'Fuse this pair' }).click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair: BatchNormalization removed');
  await expect(page.locator('li[data-bn-output]')).toHaveCount(3);
  await page.getByRole('button', { name: /Undo/ }).click();
  await expect(page.locator('li[data-bn-output]')).toHaveCount(4);
  await page.getByRole('button', { name: /Redo/ }).click();
  await expect(page.locator('li[data-bn-output]')).toHaveCount(3);
  await page.keyboard.press('Control+z');
  await expect(page.locator('li[data-bn-output]')).toHaveCount(4);
});

test('a bad file shows what is wrong and which file, and the page stays usable', async ({ page }) => {
  await openApp(page);
  const bad = join(tmpdir(), 'not-a-model.onnx');
  writeFileSync(bad, 'this is plain text, not an ONNX model');
  await page.getByTestId('file-input').setInputFiles(bad);
  const err = page.getByTestId('error');
  await expect(err).toContainText('Could not open “not-a-model.onnx”');
  await expect(err).toContainText('not an ONNX file');
  await shot(page, '03-bad-file');
  const truncated = join(tmpdir(), 'truncated.onnx');
  writeFileSync(truncated, readFileSync(join(CORPUS, 'face_embedding.onnx')).subarray(0, 5000));
  await page.getByTestId('file-input').setInputFiles(truncated);
  await expect(err).toContainText('truncated');
  await expect(err).toContainText('5000');
  const empty = join(tmpdir(), 'empty.onnx');
  writeFileSync(empty, '');
  await page.getByTestId('file-input').setInputFiles(empty);
  await expect(err).toContainText('empty');
  // The previous model is still there and works.
  await expect(page.locator('li[data-bn-output]')).toHaveCount(4);
});

test('node details: attributes, inputs and outputs with shapes, initializer statistics', async ({ page }) => {
  await openApp(page);
  await page.locator('[data-node-name="/body/fc1/Gemm"]').click();
  const d = page.getByTestId('details');
  await expect(d).toContainText('Gemm');
  await expect(d).toContainText('transB');
  await expect(d).toContainText('body/fc1.weight');
  await expect(d).toContainText('[32, 20]');
  await expect(d).toContainText('min');
  await expect(d).toContainText('mean');
  await expect(d).toContainText('[batch, 32]');
  // Clicking a pair's node also explains the pair.
  await expect(page.getByTestId('explain')).toBeVisible();
  await shot(page, '04-details');
});

test('search with the / shortcut jumps to a match', async ({ page }) => {
  await openApp(page);
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type('Reshape');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toContainText('Reshape');
  await expect(page.locator('[data-node-name="/seq/Reshape"]')).toBeInViewport();
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('search')).toBeFocused();
});

test('?model= opens a same-origin model and refuses other origins', async ({ page }) => {
  await openApp(page, '?model=/examples/seed_3d.onnx');
  await expect(page.getByTestId('model-summary')).toContainText('seed_3d.onnx');
  await expect(page.locator('li[data-fusable="false"]')).toHaveCount(1);
  // A file opened by hand is not in the URL: a reload must not bring the example back.
  await openFile(page, join(CORPUS, 'tabular_mlp_opset13.onnx'));
  await expect.poll(() => new URL(page.url()).search).toBe('');
  await page.goto('/?model=https://example.com/evil.onnx');
  await expect(page.getByTestId('error')).toContainText('Only models on this site');
});

test('selecting a pair centres the graph on it', async ({ page }) => {
  await openApp(page);
  await pairRow(page, '/seq/bn/BatchNormalization_output_0').click();
  await expect(page.locator('[data-node-name="/seq/bn/BatchNormalization"]')).toBeInViewport();
  await expect(page.locator('.op-node.in-selected-pair')).toHaveCount(2);
  void ARTIFACTS;
});
