/** The comparison opens on its first change and steps through the others, both panes in step. */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CORPUS, openApp, openFile, shot } from './helpers';

/** Whether a node's box lies inside its pane (not merely mounted). */
async function inPane(pane: Locator, node: Locator): Promise<boolean> {
  const p = await pane.boundingBox();
  const b = await node.boundingBox();
  return !!p && !!b && b.x >= p.x && b.y >= p.y && b.x + b.width <= p.x + p.width && b.y + b.height <= p.y + p.height;
}

/** The same node's place in each pane, relative to the pane: equal when the panes are in step. */
async function samePlace(page: Page, name: string): Promise<void> {
  const o = page.getByTestId('canvas-original');
  const f = page.getByTestId('canvas-fused');
  const [a, b, oa, ob] = await Promise.all([o.locator(`[data-node-name="${name}"]`).boundingBox(), f.locator(`[data-node-name="${name}"]`).boundingBox(), o.boundingBox(), f.boundingBox()]);
  expect(Math.abs(a!.x - oa!.x - (b!.x - ob!.x))).toBeLessThan(2);
  expect(Math.abs(a!.y - oa!.y - (b!.y - ob!.y))).toBeLessThan(2);
}

async function fuseAndCompare(page: Page, file: string, folded: string): Promise<void> {
  await openFile(page, join(CORPUS, file));
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText(folded);
  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('canvas-original')).toBeVisible();
}

test('the ViT: the comparison opens on its only change, ~1,300 nodes down, in both panes', async ({ page }) => {
  await openApp(page);
  await fuseAndCompare(page, 'vit_tiny_encoder12.onnx', 'Folded 1 pair');
  const orig = page.getByTestId('canvas-original');
  const fused = page.getByTestId('canvas-fused');
  await expect(page.getByTestId('change-position')).toContainText('Change 1 of 1');
  await expect(page.getByTestId('next-change')).toBeDisabled();
  await expect(page.getByTestId('prev-change')).toBeDisabled();
  const removed = orig.locator('.op-node.mark-removed');
  const rewritten = fused.locator('.op-node.mark-rewritten');
  await expect(removed).toHaveCount(1);
  await expect(rewritten).toHaveCount(1);
  await expect.poll(() => inPane(orig, removed)).toBe(true);
  await expect.poll(() => inPane(fused, rewritten)).toBe(true);
  const name = (await rewritten.getAttribute('data-node-name'))!;
  await samePlace(page, name);
  await shot(page, '35-compare-vit-opens');
});

test('face_embedding: Next and Previous (and n, p, ], [) step through the five changes in graph order', async ({ page }) => {
  await openApp(page);
  await fuseAndCompare(page, 'face_embedding.onnx', 'Folded 5 pairs');
  const orig = page.getByTestId('canvas-original');
  const fused = page.getByTestId('canvas-fused');
  const where = page.getByTestId('change-position');
  const bn = (path: string) => orig.locator(`[data-node-name="${path}/BatchNormalization"]`);
  const trunk = ['/trunk/trunk.1', '/trunk/trunk.4', '/trunk/trunk.7', '/trunk/trunk.10'];
  await expect(where).toContainText('Change 1 of 5: /trunk/trunk.0/Conv → /trunk/trunk.1/BatchNormalization.');
  await expect(where).toContainText('Keys: n or ] next, p or [ previous.');
  await expect(page.getByTestId('next-change')).toHaveAttribute('title', /\(n or \]\)/);
  await expect(page.getByTestId('prev-change')).toHaveAttribute('title', /\(p or \[\)/);
  await expect(page.getByTestId('prev-change')).toBeDisabled();
  await expect.poll(() => inPane(orig, bn(trunk[0]))).toBe(true);

  await page.getByTestId('next-change').click();
  await expect(where).toContainText('Change 2 of 5: /trunk/trunk.3/Conv → /trunk/trunk.4/BatchNormalization.');
  await expect.poll(() => inPane(orig, bn(trunk[1]))).toBe(true);
  await page.waitForTimeout(400);
  await samePlace(page, '/trunk/trunk.3/Conv');
  await shot(page, '36-compare-after-next');

  for (const [key, n] of [['n', 3], [']', 4], ['n', 5]] as const) {
    await page.keyboard.press(key);
    await expect(where).toContainText(`Change ${n} of 5`);
  }
  await expect(page.getByTestId('next-change')).toBeDisabled();
  // The last change is the head's Linear and BN.
  await expect.poll(() => inPane(fused, fused.locator('.op-node.mark-rewritten', { hasText: 'Gemm' }))).toBe(true);
  await page.keyboard.press('p');
  await expect(where).toContainText('Change 4 of 5');
  await expect.poll(() => inPane(orig, bn(trunk[3]))).toBe(true);
  await page.keyboard.press('[');
  await page.getByTestId('prev-change').click();
  await expect(where).toContainText('Change 2 of 5');
  await expect.poll(() => inPane(orig, bn(trunk[1]))).toBe(true);
});
