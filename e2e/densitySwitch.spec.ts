/**
 * The Compact / Detailed switch (issue 37): Detailed draws the four-line card (op type, path, shape,
 * pair state), the choice survives a reload, and the open groups, the selection and the node in the
 * middle of the view survive the switch.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openApp, shot } from './helpers';

/** The screen position of a node's centre. */
async function centreOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const b = (await page.locator(`.op-node[data-node-id="${id}"]`).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test('Compact / Detailed: four lines a node in Detailed, remembered across a reload, back to one line in Compact', async ({ page }) => {
  await openApp(page);
  const density = page.getByRole('group', { name: 'Node density' });
  const compact = density.getByRole('button', { name: 'Compact' });
  const detailed = density.getByRole('button', { name: 'Detailed' });
  await expect(compact).toHaveAttribute('aria-pressed', 'true');
  // (The example may open with every group open already.)
  if (await page.getByTestId('expand-all').isEnabled()) await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  const bn = page.locator('.op-node.kind-op.pair-fusable, .op-node.kind-op.pair-blocked').filter({ has: page.locator('.pair-badge') }).first();
  await expect(bn).toBeVisible();
  const bnId = (await bn.getAttribute('data-node-id'))!;
  const bnName = (await bn.getAttribute('data-node-name'))!;
  await expect(page.locator('.canvas-inner.density-compact')).toBeAttached();
  // Compact: one line (op type and short name), no shape in the node.
  await expect(bn.locator('.op-line')).toHaveCount(1);
  await expect(bn.locator('.op-shape')).toHaveCount(0);
  // One group closed by hand, so the open groups are not just "all of them".
  const fc2 = page.locator('.group-frame[data-group-path="/body/fc2"]');
  await fc2.locator('.group-toggle').click();
  await expect(page.locator('.group-box[data-group-path="/body/fc2"]')).toBeVisible();
  await bn.click();
  await expect(bn).toHaveClass(/is-selected/);
  // The open groups and the selection, as the URL's hash keeps them.
  // (The hash is written a moment after a change.)
  await expect.poll(() => page.evaluate(() => location.hash)).toContain(`node=${bnId}`);
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toContain('open=');
  const before = await centreOf(page, bnId);
  await shot(page, '41-density-switch-compact');

  // By keyboard: the switch is two buttons in a named group.
  await detailed.focus();
  await page.keyboard.press('Enter');
  await expect(detailed).toHaveAttribute('aria-pressed', 'true');
  await expect(compact).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.canvas-inner.density-detailed')).toBeAttached();
  const card = page.locator(`.op-node[data-node-id="${bnId}"]`);
  await expect(card.locator('.op-line')).toHaveCount(0);
  await expect(card.locator('.op-type')).toHaveText(/BatchNormalization/);
  await expect(card.locator('.op-name')).toHaveText(bnName);
  await expect(card.locator('.op-shape')).toHaveText(/\[/);
  await expect(card.locator('.pair-badge')).toHaveText(/FUSABLE/);
  // What was open and selected stays, and the selected node is where it was on screen.
  await expect(card).toHaveClass(/is-selected/);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => location.hash)).toBe(hash);
  await expect(page.locator('.group-box[data-group-path="/body/fc2"]')).toBeVisible();
  await expect(page.locator('.group-frame[data-group-path="/body"]')).toBeVisible();
  const after = await centreOf(page, bnId);
  expect(Math.abs(after.x - before.x)).toBeLessThan(2);
  expect(Math.abs(after.y - before.y)).toBeLessThan(2);
  await shot(page, '42-density-switch-detailed');

  await page.reload();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(detailed).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.canvas-inner.density-detailed')).toBeAttached();
  await expect(page.locator('.op-node .op-shape').first()).toBeVisible();
  await expect(page.locator('.op-node .op-line')).toHaveCount(0);

  await compact.click();
  await expect(compact).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.canvas-inner.density-compact')).toBeAttached();
  await expect(page.locator('.op-node .op-line').first()).toBeVisible();
  await expect(page.locator('.op-node .op-shape')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(compact).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.canvas-inner.density-compact')).toBeAttached();
});
