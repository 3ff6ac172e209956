/**
 * Reading real models: text readable at the zoom the page picks, names shortened in the middle,
 * the graph one tab stop walked with the arrow keys, dialogs that are dialogs, focus never lost,
 * no serious or critical axe-core violation on any view, and dark mode.
 */
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CORPUS, openApp, openFile, pairRow, shot } from './helpers';

/** The smallest text on screen in the graph: each drawn text's font size times the zoom. */
async function smallestText(page: Page): Promise<{ px: number; zoom: number; what: string }> {
  return page.evaluate(() => {
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrix(getComputedStyle(vp).transform).a;
    let px = Infinity;
    let what = '';
    const box = document.querySelector('.react-flow')!.getBoundingClientRect();
    for (const el of vp.querySelectorAll<HTMLElement | SVGElement>('.react-flow__node *, .react-flow__edge-text')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (!own) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.bottom < box.top || r.top > box.bottom || r.right < box.left || r.left > box.right) continue;
      const size = parseFloat(cs.fontSize) * zoom;
      if (size < px) {
        px = size;
        what = `${el.className} “${el.textContent}”`;
      }
    }
    return { px, zoom, what };
  });
}

async function axe(page: Page, view: string): Promise<void> {
  const r = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(bad, `axe on ${view}`).toEqual([]);
}

for (const model of ['mobilenet_v3_small.onnx', 'vit_tiny_encoder12.onnx']) {
  test(`${model}: the first view, fit, expand all and collapse all keep on-screen text at 11 px or more`, async ({ page }) => {
    await openApp(page);
    await openFile(page, join(CORPUS, model));
    const first = await smallestText(page);
    expect(first.px, first.what).toBeGreaterThanOrEqual(11);
    expect(first.zoom).toBeGreaterThanOrEqual(0.84);
    test.info().annotations.push({ type: 'first view', description: `zoom ${first.zoom.toFixed(2)}, smallest text ${first.px.toFixed(1)} px` });
    await shot(page, `30-${model.replace('.onnx', '')}-first-view`);
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(400);
    expect((await smallestText(page)).px).toBeGreaterThanOrEqual(11);
    await page.getByTestId('expand-all').click();
    await expect(page.locator('.group-frame').first()).toBeAttached();
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await page.waitForTimeout(600);
    const expanded = await smallestText(page);
    expect(expanded.px, expanded.what).toBeGreaterThanOrEqual(11);
    // The first pair is what the expanded view shows.
    await expect(page.locator('.op-node.pair-fusable, .op-node.pair-blocked').first()).toBeInViewport();
    await page.getByTestId('collapse-all').click();
    await page.waitForTimeout(600);
    expect((await smallestText(page)).px).toBeGreaterThanOrEqual(11);
  });
}

test('each node is as tall as its text: nothing clipped, no empty band below it', async ({ page }) => {
  // Examples whose nodes hold every kind of line: no tag, a fold tag, a fusable badge, a two-line reason.
  for (const model of ['mlp', 'reshape_wrong_axis', 'seed_3d', 'coincidence_3d', 'training_mode']) {
    await openApp(page, `?model=examples/${model}.onnx`);
    await expect(page.getByTestId('model-summary')).toContainText(`${model}.onnx`);
    if (await page.getByTestId('expand-all').isEnabled()) await page.getByTestId('expand-all').click();
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await page.waitForTimeout(300);
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.op-node')].map((el) => {
        const box = el.getBoundingClientRect();
        const lines = [...el.children].filter((c) => !c.classList.contains('react-flow__handle'));
        const text = lines[lines.length - 1].getBoundingClientRect();
        return { name: el.dataset.nodeName ?? '', clipped: el.scrollHeight - el.clientHeight, gap: box.bottom - text.bottom };
      }),
    );
    expect(cards.length, model).toBeGreaterThan(2);
    for (const c of cards) {
      expect(c.clipped, `${model} ${c.name}: text cut off`).toBeLessThanOrEqual(1);
      expect(c.gap, `${model} ${c.name}: empty band below the text`).toBeLessThan(16);
    }
  }
});

test('a model opens straight into its final view: no node is mounted only to be dropped a moment later', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="file-input"]')!;
    const w = window as unknown as { __counts: number[] };
    w.__counts = [];
    input.addEventListener('change', () => {
      const name = input.files![0].name;
      new MutationObserver(() => {
        if (!(document.querySelector('[data-testid="model-summary"]')?.textContent ?? '').includes(name)) return;
        const n = document.querySelectorAll('.react-flow__node').length;
        if (w.__counts[w.__counts.length - 1] !== n) w.__counts.push(n);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, { capture: true });
  });
  await openFile(page, join(CORPUS, 'face_embedding.onnx'));
  await page.waitForTimeout(500);
  const counts = (await page.evaluate('window.__counts')) as number[];
  // React Flow mounts a node it has to measure wherever it is, then drops it if out of view.
  expect(counts.length, `node counts seen: ${counts.join(' → ')}`).toBe(1);
  // (The whole of this small model is on its first screen now that nodes are compact.)
  expect(counts[0]).toBeGreaterThan(0);
});

test('nodes come with their size and handles: React Flow does not measure them again, on opening nor on Expand all', async ({ page }) => {
  await openApp(page);
  // React Flow measures a node by its box (getBoundingClientRect) and its handles; a forced
  // measurement of every node it mounts drew them all a second time in the frame that first showed them.
  await page.evaluate(() => {
    const w = window as unknown as { __measured: string[] };
    w.__measured = [];
    const own = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function (this: Element) {
      if (this.classList.contains('react-flow__node')) w.__measured.push(this.getAttribute('data-id') ?? '');
      return own.call(this);
    };
  });
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await page.waitForTimeout(500);
  expect(await page.locator('.react-flow__node-op').count()).toBeGreaterThan(25);
  const measured = (await page.evaluate('window.__measured')) as string[];
  expect(measured, `measured again: ${measured.slice(0, 5).join(', ')}`).toEqual([]);
});

test('edges run from the bottom centre of their source to the top centre of their target', async ({ page }) => {
  await openApp(page, '?model=examples/mlp.onnx');
  // The MLP's first view has every group open already (Expand all is then disabled).
  if (await page.getByTestId('expand-all').isEnabled()) await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await page.waitForTimeout(300);
  const ends = await page.evaluate(() => {
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const z = new DOMMatrix(getComputedStyle(vp).transform).a;
    const origin = vp.getBoundingClientRect();
    const el = (id: string) => document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
    const box = (id: string) => {
      const r = el(id)!.getBoundingClientRect();
      return { x: (r.left - origin.left) / z, y: (r.top - origin.top) / z, w: r.width / z, h: r.height / z };
    };
    // React Flow labels each edge with its ends' ids; an edge leaving the view has one end not mounted.
    const ends = (g: Element) => /^Edge from (.+) to (.+)$/.exec(g.getAttribute('aria-label') ?? '')!;
    return [...document.querySelectorAll<SVGGElement>('.react-flow__edge')].filter((g) => el(ends(g)[1]) && el(ends(g)[2])).map((g) => {
      const [, source, target] = ends(g);
      const nums = (g.querySelector('path')!.getAttribute('d') ?? '').match(/-?[0-9.]+/g)!.map(Number);
      return { id: g.getAttribute('data-id'), start: [nums[0], nums[1]], end: nums.slice(-2), s: box(source), t: box(target) };
    });
  });
  expect(ends.length).toBeGreaterThan(2);
  for (const e of ends) {
    expect(Math.abs(e.start[0] - (e.s.x + e.s.w / 2)), `${e.id} start x`).toBeLessThan(2);
    expect(Math.abs(e.start[1] - (e.s.y + e.s.h)), `${e.id} start y`).toBeLessThan(5);
    expect(Math.abs(e.end[0] - (e.t.x + e.t.w / 2)), `${e.id} end x`).toBeLessThan(2);
    expect(Math.abs(e.end[1] - e.t.y), `${e.id} end y`).toBeLessThan(5);
  }
});

test('MobileNetV3: weight-forwarding Identity nodes are drawn as part of their reader; names shortened in the middle; the sidebar never scrolls sideways', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.locator('.op-node .op-type', { hasText: /^Identity$/ })).toHaveCount(0);
  // A compact node names itself within its frame (features.0); the full name is its title.
  const conv = page.locator('.op-node[data-node-name="/features/features.0/features.0.0/Conv"]');
  await expect(conv.locator('.op-name')).toHaveText('features.0.0');
  await expect(conv).toHaveAttribute('title', /\/features\/features\.0\/features\.0\.0\/Conv/);
  const row = page.locator('li[data-pair-id]').first();
  await row.click();
  await expect(page.getByTestId('explain')).toBeVisible();
  const sideways = await page.locator('.sidebar').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(sideways).toBeLessThanOrEqual(0);
  // The pair is titled by its ops' names; the tensor id comes second.
  await expect(row.locator('.pair-name')).toContainText('Conv → ');
  await expect(row.locator('.pair-id')).toContainText('value');
  // A Conv whose bias an Identity forwarded lists it in its details.
  await page.getByTestId('search').fill('/features/features.11/block/block.2/fc2/Conv');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('details')).toContainText('/features/features.11/block/block.2/fc2/Conv');
  await expect(page.getByTestId('via')).toContainText('computed by Identity “Identity_0”');
});

test('the graph is one tab stop: arrows walk it, Enter selects and opens groups, Backspace closes, Escape leaves', async ({ page }) => {
  await openApp(page, '?model=examples/mlp.onnx');
  // Nothing inside the graph takes Tab focus but the graph itself.
  const tabbable = await page.locator('.canvas-inner').evaluate((el) => [...el.querySelectorAll('button, a, [tabindex]')].filter((x) => (x as HTMLElement).tabIndex >= 0 && !(x as HTMLButtonElement).disabled && !x.closest('.react-flow__controls')).length);
  expect(tabbable).toBe(0);
  // From the search box, Tab reaches the graph within a few stops.
  await page.getByPlaceholder('Search nodes (/)').focus();
  let tabs = 0;
  while (tabs < 20 && !(await page.locator('.canvas-inner').evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBeLessThan(20);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-kb-focus', /.+/);
  await expect(page.locator('.kb-focus')).toHaveCount(1);
  await expect(page.getByTestId('graph-announce')).toContainText('Input x');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('graph-announce')).toContainText('Gemm /body/fc1/Gemm');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('graph-announce')).toContainText('BatchNormalization /body/bn1/BatchNormalization');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toContainText('/body/fc1/Gemm');
  await expect(page.getByTestId('explain')).toBeVisible();
  // Out of the group (Backspace closes it), then into it again with Enter.
  await page.keyboard.press('Backspace');
  await expect(page.locator('.group-box[data-group-path="/body"]')).toBeVisible();
  await expect(page.getByTestId('graph-announce')).toContainText('closed (Enter opens)');
  await page.keyboard.press('Enter');
  await expect(page.locator('.group-frame[data-group-path="/body"]')).toBeVisible();
  await expect(canvas).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(canvas).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
});

test('Examples is a modal dialog: focus moves in and stays, Escape closes, focus returns', async ({ page }) => {
  await openApp(page);
  const opener = page.getByTestId('open-gallery');
  await opener.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  for (let i = 0; i < 80; i++) await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('after fuse, apply anyway, undo and a group toggle, focus lands on something, never on <body>', async ({ page }) => {
  await openApp(page, '?model=examples/mlp.onnx');
  const onBody = () => page.evaluate(() => document.activeElement === document.body);
  await pairRow(page, '/body/bn1/BatchNormalization_output_0').getByRole('button', { name: 'Fuse this pair' }).click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await page.waitForTimeout(100);
  expect(await onBody()).toBe(false);
  await page.getByRole('button', { name: '↶ Undo' }).click();
  await expect(page.getByTestId('notice')).toContainText('Back to the model as opened');
  await page.waitForTimeout(100);
  expect(await onBody()).toBe(false);
  await page.locator('.group-frame[data-group-path="/body"] .group-toggle').click();
  await expect(page.locator('.group-box[data-group-path="/body"]')).toBeVisible();
  await page.waitForTimeout(100);
  expect(await onBody()).toBe(false);
  await page.goto('/?lesson=coincidence');
  await page.getByTestId('apply-anyway').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  expect(await onBody()).toBe(false);
});

test('axe-core finds no serious or critical violation on any view', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await axe(page, 'start view');
  await page.getByTestId('open-gallery').click();
  await axe(page, 'lessons and examples');
  await page.keyboard.press('Escape');
  await page.goto('/?lesson=transpose-trap');
  await expect(page.getByTestId('explain')).toBeVisible();
  await axe(page, 'a selected pair with its explanation');
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  await axe(page, 'MobileNetV3');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded');
  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('canvas-original')).toBeVisible();
  await axe(page, 'the compare view');
  await page.goto('/?play=1');
  await expect(page.getByTestId('playground')).toBeVisible();
  await axe(page, 'the playground');
  await page.getByTestId('theme-toggle').click();
  await axe(page, 'the playground, dark');
});

test('dark mode follows the system, the toggle is remembered, and verdicts differ without colour; exports stay light', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto('/?lesson=mlp');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-toggle')).toHaveAccessibleName('☀ Light mode');
  // Without colour: a blocked node has a dashed border and ✗, a fusable one a solid border and ✓.
  const no = page.locator('.op-node.pair-blocked').first();
  await expect(no).toBeInViewport();
  await page.waitForTimeout(400);
  await shot(page, '31-dark-mode');
  expect(await no.evaluate((e) => getComputedStyle(e).borderStyle)).toBe('dashed');
  await expect(page.locator('.pair-badge.no').first()).toContainText('✗');
  await pairRow(page, '/body/bn1/BatchNormalization_output_0').click();
  const ok = page.locator('.op-node.pair-fusable').first();
  await expect(ok).toBeInViewport();
  expect(await ok.evaluate((e) => getComputedStyle(e).borderStyle)).toBe('solid');
  await expect(page.locator('.pair-badge.ok').first()).toContainText('✓');
  // The exported SVG keeps the light theme.
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-svg').click();
  const svg = await (await (await dl).createReadStream()).toArray();
  expect(Buffer.concat(svg).toString()).toContain('fill="#ffffff"');
  // Chosen light, remembered over a reload despite the dark system.
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test('the minimap never covers the selected pair; the compare view keeps both panes usable at 1024×700', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openApp(page, '?model=examples/mlp.onnx');
  for (const id of ['/body/bn1/BatchNormalization_output_0', '/seq/bn/BatchNormalization_output_0', 'y']) {
    await pairRow(page, id).click();
    await page.waitForTimeout(500);
    const map = await page.getByTestId('minimap').boundingBox();
    for (const n of await page.locator('.op-node.in-selected-pair').all()) {
      const b = await n.boundingBox();
      if (!b || !map) continue;
      const overlap = b.x < map.x + map.width && map.x < b.x + b.width && b.y < map.y + map.height && map.y < b.y + b.height;
      expect(overlap, `minimap over ${id}`).toBe(false);
    }
  }
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded');
  await page.getByTestId('compare-toggle').click();
  for (const side of ['canvas-original', 'canvas-fused']) {
    const b = (await page.getByTestId(side).boundingBox())!;
    expect(b.width).toBeGreaterThan(280);
    expect(b.height).toBeGreaterThan(400);
    // A half's overview is sized to the half (at 180 px it covered the lower corner of each graph), and
    // not shown at all where every corner holds a node (the test below).
    const overview = page.getByTestId(side).getByTestId('minimap');
    if ((await overview.count()) === 0) continue;
    const map = (await overview.boundingBox())!;
    expect(map.width, `${side} overview width`).toBeLessThanOrEqual(b.width * 0.3 + 2);
    expect(map.width).toBeGreaterThanOrEqual(80);
  }
  // The two panes do not squeeze the sidebar: its explanations stay readable (it was 130 px wide here).
  expect((await page.locator('.sidebar').boundingBox())!.width).toBeGreaterThanOrEqual(300);
  // Each pane's title keeps to one line however narrow the pane (its whole text on hover): titles of
  // different heights would start the two synced graphs at different heights.
  for (const title of await page.locator('.compare-title').all()) {
    // Its height against the height of one line of its own text.
    const [height, line] = await title.evaluate((el) => {
      const probe = document.createElement('span');
      probe.textContent = 'x';
      el.append(probe);
      const one = probe.getBoundingClientRect().height;
      probe.remove();
      return [el.getBoundingClientRect().height, one];
    });
    expect(height, 'title height').toBeLessThan(line * 1.6 + 10);
    expect(await title.getAttribute('title')).toContain('click a node to find its counterpart');
  }
  await shot(page, '32-compare-1024');
});

/** Group texts (labels, op summaries, counts) the page cut short although its box could have held them. */
async function cutGroupTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.group-box .group-toggle, .group-box .group-ops, .group-box .group-meta, .group-frame')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.textContent!.includes('…'))
      .map((el) => el.textContent!),
  );
}

test('group boxes and frames are as wide as their text: nothing cut, "1 node" not "1 nodes"', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  expect(await cutGroupTexts(page)).toEqual([]);
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.locator('.group-frame').first()).toBeAttached();
  expect(await cutGroupTexts(page)).toEqual([]);
  await openFile(page, join(CORPUS, 'vit_tiny_encoder12.onnx'));
  expect(await cutGroupTexts(page)).toEqual([]);
  // A group of one node says so in the singular (the MLP example's stem holds one).
  await page.goto('/?model=examples/mlp.onnx');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.locator('.react-flow')).not.toContainText(/\b1 (node|pair|op)s\b/);
  await expect(page.getByTestId('model-summary')).not.toContainText(/\b1 (node|group)s\b/);
});

test('the details panel prints stored float32 values as people write them: epsilon 1e-5', async ({ page }) => {
  await openApp(page, '?model=examples/mlp.onnx');
  await page.getByTestId('search').fill('/body/bn1/BatchNormalization');
  await page.getByTestId('search').press('Enter');
  const details = page.getByTestId('details');
  await expect(details).toContainText('/body/bn1/BatchNormalization');
  await expect(details.locator('.attr-table')).toContainText('1e-5');
  await expect(details).not.toContainText('0.00000999');
  // Statistics of stored values: no float64 tails like 0.30000001192092896.
  const stats = await details.locator('.tensor-table td.small').allTextContents();
  expect(stats.join(' ')).toMatch(/min -?\d/);
  for (const s of stats) for (const n of s.match(/-?\d+\.\d+/g) ?? []) expect(n.replace(/^-?\d+\./, '').length, s).toBeLessThanOrEqual(9);
});

/** The graph's box on screen and the pane's, from the canvas's transform and the graph's bounds. */
async function graphOnScreen(page: Page, testId = 'canvas') {
  return page.getByTestId(testId).evaluate((el) => {
    const [x, y, w, h] = el.getAttribute('data-graph-bounds')!.split(',').map(Number);
    const vp = el.querySelector<HTMLElement>('.react-flow__viewport')!;
    const m = new DOMMatrix(getComputedStyle(vp).transform);
    const pane = el.querySelector('.react-flow')!.getBoundingClientRect();
    return { left: x * m.a + m.e, top: y * m.a + m.f, right: (x + w) * m.a + m.e, bottom: (y + h) * m.a + m.f, width: pane.width, height: pane.height, zoom: m.a };
  });
}

/** What the far view wrote (its labels are canvas text, listed on the canvas), and at what size. */
async function farLabels(page: Page): Promise<{ labels: string[]; px: number } | null> {
  const far = page.getByTestId('far-view');
  if ((await far.count()) === 0) return null;
  const labels = ((await far.getAttribute('data-labels')) ?? '').split('\n').filter(Boolean);
  return { labels, px: Number(await far.getAttribute('data-label-px')) };
}

test('MobileNetV3 expanded: Fit shows the whole graph; at every zoom out, what is drawn is labelled and no text is below 11 px', async ({ page }) => {
  await openApp(page);
  await openFile(page, join(CORPUS, 'mobilenet_v3_small.onnx'));
  await page.getByTestId('expand-all').click();
  await expect(page.locator('.group-frame').first()).toBeAttached();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await page.waitForTimeout(600);
  // Going far out mounts no node on the way (React Flow drew its nodes of before in the wider view
  // once, then unmounted them: tasks of 120-180 ms): a wheel step past the far zoom; then, from near
  // again, Fit.
  await page.evaluate(() => {
    const w = window as unknown as { __mounted: number };
    w.__mounted = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.classList.contains('react-flow__node')) w.__mounted++;
    }).observe(document.querySelector('.react-flow__nodes')!, { childList: true });
  });
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  await page.mouse.wheel(0, 600);
  await expect(page.getByTestId('far-view')).toBeVisible();
  const mountedSince = () => page.evaluate(() => (window as unknown as { __mounted: number }).__mounted);
  expect(await mountedSince(), 'nodes mounted on the wheel step out').toBe(0);
  // A click far out zooms in there: near again, with nodes drawn.
  await page.mouse.click(pane.x + pane.width / 2, pane.y + pane.height / 2);
  await expect(page.getByTestId('far-view')).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __mounted: number }).__mounted = 0));
  await page.locator('.react-flow__controls-fitview').click();
  await expect(page.getByTestId('far-view')).toBeVisible();
  await page.waitForTimeout(600);
  expect(await mountedSince(), 'nodes mounted on the way out by Fit').toBe(0);
  const g = await graphOnScreen(page);
  expect(g.left, 'graph left').toBeGreaterThanOrEqual(0);
  expect(g.top, 'graph top').toBeGreaterThanOrEqual(0);
  expect(g.right, 'graph right').toBeLessThanOrEqual(g.width);
  expect(g.bottom, 'graph bottom').toBeLessThanOrEqual(g.height);
  expect((await smallestText(page)).px).toBeGreaterThanOrEqual(11);
  const fit = (await farLabels(page))!;
  expect(fit, 'the far view draws the fitted graph').not.toBeNull();
  expect(fit.px).toBeGreaterThanOrEqual(11);
  // The groups are named, with their pair counts.
  expect(fit.labels.some((l) => /^features ✓ 34 fusable/.test(l)), fit.labels.join(' | ')).toBe(true);
  expect(fit.labels.filter((l) => /✓ \d+ fusable/.test(l)).length).toBeGreaterThan(10);
  await shot(page, '33-mobilenet-expanded-fit');
  // Zoomed in step by step from there: whatever layer draws, its text is readable and groups are named.
  for (let step = 0; step < 8; step++) {
    await page.mouse.move(g.width / 2, g.height / 2);
    await page.mouse.wheel(0, -250);
    await page.waitForTimeout(350);
    const small = await smallestText(page);
    expect(small.px, `${small.what} at zoom ${small.zoom.toFixed(3)}`).toBeGreaterThanOrEqual(11);
    const far = await farLabels(page);
    if (far) {
      expect(far.labels.length, `labels at zoom ${small.zoom.toFixed(3)}`).toBeGreaterThan(0);
      expect(far.px).toBeGreaterThanOrEqual(11);
    } else expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(0);
    if (step === 3) await shot(page, '33-mobilenet-expanded-zoomed-out');
  }
});

/** Graph nodes and boxes the overview (or the zoom controls, which its room must not push the graph under) covers in this canvas. */
async function underOverview(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).evaluate((el) => {
    const rects = [el.querySelector('[data-testid="minimap"]'), el.querySelector('.react-flow__controls')].filter((x) => x !== null).map((x) => x.getBoundingClientRect());
    return rects.flatMap((m) =>
      [...el.querySelectorAll<HTMLElement>('.op-node, .group-box')]
      .filter((n) => {
        const b = n.getBoundingClientRect();
        return b.x < m.right && m.x < b.right && b.y < m.bottom && m.y < b.bottom;
      })
      .map((n) => n.getAttribute('data-node-name') ?? n.getAttribute('data-group-path') ?? '?'));
  });
}

test('at 1024×700 the overview covers no node of the start view or of the compare view, and the compare headers are whole', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openApp(page);
  await openFile(page, join(CORPUS, 'vit_tiny_encoder12.onnx'));
  await page.waitForTimeout(400);
  expect(await underOverview(page, 'canvas'), 'ViT start view').toEqual([]);
  await page.goto('/?model=examples/mlp.onnx');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.waitForTimeout(400);
  expect(await underOverview(page, 'canvas'), 'MLP start view').toEqual([]);
  await expect(page.getByTestId('minimap')).toBeVisible();
  await shot(page, '34-mlp-start-1024');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded');
  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('canvas-fused').locator('.react-flow__node').first()).toBeVisible();
  await page.waitForTimeout(400);
  for (const side of ['canvas-original', 'canvas-fused']) expect(await underOverview(page, side), side).toEqual([]);
  for (const title of await page.locator('.compare-title').all()) {
    const [scroll, client] = await title.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scroll, (await title.textContent()) ?? '').toBeLessThanOrEqual(client);
  }
  await shot(page, '34-compare-1024');
});
