import { expect, test } from './fixtures';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CORPUS, openApp, openFile, pairRow, shot } from './helpers';
import { syntheticModel } from '../src/examples/synthetic';
import { writeModel } from '../src/core/onnx/modelIO';

const BIG = join(tmpdir(), 'synthetic_6000.onnx');
writeFileSync(BIG, writeModel(syntheticModel({ nodes: 6000 })));
const MID = join(tmpdir(), 'synthetic_2000.onnx');
writeFileSync(MID, writeModel(syntheticModel({ nodes: 2000 })));

test('Expand all and Collapse all move the view to what matters: the first pair, not an empty region', async ({ page }) => {
  await openApp(page);
  await openFile(page, MID);
  await page.getByTestId('expand-all').click();
  await expect(page.locator('.group-frame').first()).toBeAttached();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  // The first pair's BatchNormalization is drawn and on screen (before, the old viewport showed nothing).
  await expect(page.locator('[data-node-name="/layer1/block0/bn1/BatchNormalization"]')).toBeInViewport();
  await page.getByTestId('collapse-all').click();
  await expect(page.locator('.group-box').first()).toBeInViewport();
});

test('Expand all is disabled while every group is open: a small model whose first view is the whole graph, and after Expand all', async ({ page }) => {
  const expandAll = page.getByTestId('expand-all');
  await openApp(page);
  await openFile(page, join(CORPUS, 'face_embedding.onnx'));
  await expect(page.locator('.group-frame').first()).toBeAttached();
  await expect(page.locator('.group-box')).toHaveCount(0);
  await expect(expandAll).toBeDisabled();
  await expect(expandAll).toHaveAttribute('data-all-open', 'true');
  await expect(expandAll).toHaveAttribute('title', 'Every group is open: the whole graph is drawn');
  // The frame's wrapper draws nothing of its own around the frame (no padding, border or background from React Flow).
  const wrapper = await page.locator('.react-flow__node.flow-frame').first().evaluate((e) => {
    const c = getComputedStyle(e);
    return [c.paddingTop, c.borderTopStyle, c.backgroundColor];
  });
  expect(wrapper).toEqual(['0px', 'none', 'rgba(0, 0, 0, 0)']);
  await page.getByTestId('collapse-all').click();
  await expect(page.locator('.group-box').first()).toBeVisible();
  await expect(expandAll).toBeEnabled();
  await expect(expandAll).not.toHaveAttribute('data-all-open');
  await expandAll.click();
  await expect(page.locator('.group-box')).toHaveCount(0);
  await expect(expandAll).toBeDisabled();
  // A model with collapsed groups in its first view can expand them.
  await openFile(page, MID);
  await expect(page.locator('.group-box').first()).toBeVisible();
  await expect(expandAll).toBeEnabled();
});

test('MobileNetV3: a first view of groups, expand one, shapes on edges', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  const boxes = page.locator('.group-box');
  await expect(boxes.first()).toBeVisible();
  const shown = await page.locator('.react-flow__node').count();
  expect(shown).toBeLessThan(120);
  // Shapes and dtypes ride on the edges.
  await expect(page.locator('.react-flow__edge-text', { hasText: '[batch, 16, 112, 112] f32' }).first()).toBeVisible();
  const box = page.locator('.group-box[data-group-path="/features/features.1/block/block.1"]');
  // The first view is at a readable zoom on the graph's start; this group is a little further down.
  for (let i = 0; i < 2; i++) await page.locator('.react-flow__controls-zoomout').click();
  await expect(box).toBeVisible();
  await box.locator('.group-toggle').click();
  await expect(page.locator('.group-frame[data-group-path="/features/features.1/block/block.1"]')).toBeVisible();
  await expect(page.locator('[data-node-name="/features/features.1/block/block.1/avgpool/GlobalAveragePool"]')).toBeVisible();
  await shot(page, '20-mobilenet-groups');
  // Keyboard: the graph holds the focus on the open group; Backspace closes it again.
  await page.getByTestId('search').fill('/features/features.1/block/block.1/avgpool/GlobalAveragePool');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('details')).toContainText('GlobalAveragePool');
  await page.getByTestId('canvas').focus();
  await expect(page.getByTestId('graph-announce')).toContainText('GlobalAveragePool');
  await page.keyboard.press('Backspace');
  await expect(page.locator('.group-box[data-group-path="/features/features.1/block/block.1"]')).toBeVisible();
  // Zoomed far out the shape labels are hidden (unreadable clutter); back in, they return.
  const label = page.locator('.react-flow__edge-text', { hasText: '[batch, 16, 112, 112] f32' }).first();
  for (let i = 0; i < 8; i++) await page.locator('.react-flow__controls-zoomout').click();
  await expect(page.locator('.canvas-inner.zoomed-out')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge-text:visible')).toHaveCount(0);
  // Back in step by step (a click during the previous zoom's animation may not move it a whole step).
  for (let i = 0; i < 24 && (await page.locator('.canvas-inner.zoomed-out').count()) > 0; i++) {
    await page.locator('.react-flow__controls-zoomin').click();
    await page.waitForTimeout(120);
  }
  await expect(page.locator('.canvas-inner.zoomed-out')).toHaveCount(0);
  await expect(label).toBeVisible();
});

test('a 6,000-node model: collapsed groups with pair counts, follow a pair into its group', async ({ page }) => {
  await openApp(page);
  await openFile(page, BIG);
  const count = await page.locator('.react-flow__node').count();
  expect(count).toBeLessThan(150);
  // Zoomed far out by hand: the far view names the groups, with their pair counts.
  for (let i = 0; i < 8; i++) await page.locator('.react-flow__controls-zoomout').click();
  await expect(page.locator('.canvas-inner.zoomed-out')).toHaveCount(1);
  // The overview moves the view: its bottom is the graph's end, where the heads are.
  const map = (await page.getByTestId('minimap').boundingBox())!;
  await page.mouse.click(map.x + map.width / 2, map.y + map.height - 6);
  await expect(page.getByTestId('far-view')).toHaveAttribute('data-labels', /^heads ✓ \d+ fusable ✗ \d+ not fusable$/m);
  // Back in, the boxes themselves say it.
  for (let i = 0; i < 8; i++) await page.locator('.react-flow__controls-zoomin').click();
  const heads = page.locator('.group-box[data-group-path="/heads"]');
  await expect(heads).toBeVisible();
  await expect(heads).toContainText('fusable');
  await expect(heads).toContainText('not fusable');
  await shot(page, '21-big-model-groups');
  // Follow a pair from the panel into its collapsed group: the group opens and the graph centres on it.
  await page.getByTestId('collapse-all').click();
  await expect(page.locator('.group-frame')).toHaveCount(0);
  const row = page.locator('li[data-fusable="true"][data-pattern="linear-bn"]').first();
  const bnOut = await row.getAttribute('data-bn-output');
  await row.click();
  const bnName = bnOut!.replace(/_output_0$/, '');
  await expect(page.locator(`[data-node-name="${bnName}"]`)).toBeInViewport();
  await expect(page.locator('.group-frame[data-group-path="/heads"]')).toBeVisible();
});

test('MobileNetV3: 34 Conv→BN folds, fused and verified in the browser', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  await expect(page.locator('li[data-pattern="conv-bn"][data-fusable="true"]')).toHaveCount(34);
  await expect(page.locator('.group-box', { hasText: 'fusable' }).first()).toBeVisible();
  await shot(page, '22-mobilenet-conv-bn');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 34 pairs');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 90_000 });
});

test('fuse, then compare original and fused with the node mapping', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'tabular_mlp_opset13.onnx'));
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 2 pairs');
  await page.getByTestId('compare-toggle').click();
  const orig = page.getByTestId('canvas-original');
  const fused = page.getByTestId('canvas-fused');
  await expect(orig.locator('.op-node.mark-removed')).toHaveCount(2);
  await expect(fused.locator('.op-node.mark-rewritten')).toHaveCount(2);
  await orig.locator('[data-node-name="/body/body.0/Gemm"]').click();
  await expect(fused.locator('[data-node-name="/body/body.0/Gemm"]')).toHaveClass(/is-selected/);
  await fused.locator('[data-node-name="/body/body.4/Gemm"]').click();
  await expect(orig.locator('[data-node-name="/body/body.4/Gemm"]')).toHaveClass(/is-selected/);
  await shot(page, '22-compare');
  // Same layout: a node and its counterpart sit at the same place in their panes.
  const a = await orig.locator('[data-node-name="/body/body.4/Gemm"]').boundingBox();
  const b = await fused.locator('[data-node-name="/body/body.4/Gemm"]').boundingBox();
  const oa = await orig.boundingBox();
  const ob = await fused.boundingBox();
  expect(Math.abs(a!.y - oa!.y - (b!.y - ob!.y))).toBeLessThan(2);
  expect(Math.abs(a!.x - oa!.x - (b!.x - ob!.x))).toBeLessThan(2);
  // And at the same height on screen.
  expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
});

test('the URL hash keeps the selection and open groups across a reload', async ({ page }) => {
  await openApp(page, '?model=/examples/mlp.onnx');
  await pairRow(page, '/seq/bn/BatchNormalization_output_0').click();
  await page.locator('[data-node-name="/seq/fc/MatMul"]').click();
  await expect(page).toHaveURL(/#.*node=n\d+/);
  await expect(page).toHaveURL(/pair=/);
  await page.reload();
  await expect(page.getByTestId('details')).toContainText('/seq/fc/MatMul');
  await expect(page.getByTestId('explain')).toContainText('/seq/bn/BatchNormalization_output_0');
});

test('export the view as SVG and the report as Markdown and JSON', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  const grab = async (testId: string) => {
    const dl = page.waitForEvent('download');
    await page.getByTestId(testId).click();
    const d = await dl;
    const p = join(tmpdir(), d.suggestedFilename());
    await d.saveAs(p);
    return { name: d.suggestedFilename(), text: readFileSync(p, 'utf8') };
  };
  const md = await grab('export-md');
  expect(md.name).toBe('mlp.fusion-report.md');
  expect(md.text).toContain('2 fusable');
  // The same report as the core's: each pair named by its pattern.
  expect(md.text).toContain('**4** pair(s) (4 Linear→BatchNormalization)');
  expect(md.text).toContain('| pattern | BN output | Linear | Linear output |');
  expect(md.text).toContain('LINEAR_OUTPUT_RANK');
  expect(md.text).toContain('[batch, 4, 8]');
  expect(md.text).toContain('Verification: ✓ equivalent');
  const json = JSON.parse((await grab('export-json')).text);
  expect(json.totals).toEqual({ pairs: 4, fusable: 2, notFusable: 2, folded: 0, byPattern: [{ pattern: 'linear-bn', name: 'Linear→BatchNormalization', pairs: 4, fusable: 2, notFusable: 2 }] });
  expect(json.pairs.map((p: { pattern: string }) => p.pattern)).toEqual(['linear-bn', 'linear-bn', 'linear-bn', 'linear-bn']);
  expect(json.verify.pass).toBe(true);
  const svg = await grab('export-svg');
  expect(svg.name).toBe('mlp.view.svg');
  expect(svg.text).toContain('<svg');
  expect(svg.text).toContain('FUSABLE');
  const png = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  expect((await png).suggestedFilename()).toBe('mlp.view.png');
});

test('a model with hundreds of folds: the panel pages its rows, filters by verdict, pins the selection', async ({ page }) => {
  await openApp(page);
  await openFile(page, BIG);
  const rows = page.locator('.pair-list > li');
  // The list follows a new model a moment after its graph.
  await expect.poll(async () => Number(await page.locator('.pairs-panel h2 .count').textContent())).toBeGreaterThan(200);
  const total = Number(await page.locator('.pairs-panel h2 .count').textContent());
  await expect(rows).toHaveCount(100);
  await expect(page.locator('.pairs-panel')).toContainText(`Showing 100 of ${total}.`);
  await page.getByTestId('more-pairs').click();
  await expect(rows).toHaveCount(200);
  // Linear→BN rows come first, whatever their place in the model.
  expect(await rows.first().getAttribute('data-pattern')).toBe('linear-bn');
  // Filters: each shows only its verdict, and the two add up to the total.
  await page.getByTestId('filter-blocked').click();
  const blocked = Number((await page.getByTestId('filter-blocked').textContent())!.match(/\d+/)![0]);
  await expect(rows.first()).toHaveAttribute('data-fusable', 'false');
  expect(await page.locator('.pair-list > li[data-fusable="true"]').count()).toBe(0);
  await page.getByTestId('filter-fusable').click();
  const fusable = Number((await page.getByTestId('filter-fusable').textContent())!.match(/\d+/)![0]);
  expect(blocked + fusable).toBe(total);
  expect(await page.locator('.pair-list > li[data-fusable="false"]').count()).toBe(0);
  await shot(page, '23-pairs-filter');
  // A pair picked outside the rows shown (here: a not-fusable one while showing fusable) stays on top.
  await page.getByTestId('filter-blocked').click();
  const last = page.locator('.pair-list > li').last();
  const id = await last.getAttribute('data-pair-id');
  await last.click();
  await page.getByTestId('filter-fusable').click();
  await expect(rows.first()).toHaveAttribute('data-pair-id', id!);
  await expect(rows.first()).toHaveClass(/selected/);
});
