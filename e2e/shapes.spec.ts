/** The transformer export as a reader sees it: every edge labelled with a real shape, symbolic products included. */
import { expect, test } from './fixtures';
import { join } from 'node:path';
import { CORPUS, openApp, openFile, shot } from './helpers';

test('vit_tiny_encoder12: edges read as shapes ([batch, 197, 192], [batch*3, 197, 197]), none as [?]', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'vit_tiny_encoder12.onnx'));
  // Find the first attention block's Softmax: search opens the groups around it.
  await page.getByTestId('search').fill('/encoder/layers.0/self_attn/Softmax');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toContainText('Softmax');
  await expect(page.locator('.group-frame[data-group-path="/encoder/layers.0/self_attn"]').first()).toBeAttached();
  await expect(page.locator('.react-flow__edge-text', { hasText: '[batch*3, 197, 197] f32' }).first()).toBeAttached();
  // The block's residual Add writes the layer's width again.
  await page.getByTestId('search').fill('/encoder/layers.0/Add');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toContainText('/encoder/layers.0/Add');
  await expect(page.locator('.react-flow__edge-text', { hasText: '[batch, 197, 192] f32' }).first()).toBeAttached();
  const labels = await page.locator('.react-flow__edge-text').allTextContents();
  expect(labels.length).toBeGreaterThan(5);
  expect(labels.filter((l) => l.includes('?'))).toEqual([]);
  await shot(page, '30-vit-attention-shapes');
});
