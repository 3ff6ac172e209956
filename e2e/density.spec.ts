/**
 * How much of a model one screen reads: after Expand all, at 1440×900 and the view the page picks,
 * at least 25 op nodes are wholly on screen (clear of the overview and the zoom controls) with every
 * text of theirs at 11 px or more — Netron 9.2.1 shows about 17 of MobileNetV3's there, at 9–11 px.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CORPUS, openApp, openFile, shot } from './helpers';
import { syntheticModel } from '../src/examples/synthetic';
import { writeModel } from '../src/core/onnx/modelIO';

const SYNTHETIC = join(tmpdir(), 'synthetic_2000_density.onnx');
writeFileSync(SYNTHETIC, writeModel(syntheticModel({ nodes: 2000 })));

/**
 * Op nodes wholly inside the graph pane, under neither the overview nor the controls, whose texts are
 * all ≥ 11 px on screen; `pair`: how many of them are in a pair (Expand all's view holds the first).
 */
async function readableNodes(page: Page): Promise<{ count: number; pair: number; small: string[] }> {
  return page.evaluate(() => {
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrix(getComputedStyle(vp).transform).a;
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const covers = [document.querySelector('[data-testid="minimap"]'), document.querySelector('.react-flow__controls')].filter((x) => x !== null).map((x) => x.getBoundingClientRect());
    let count = 0;
    let pair = 0;
    const small: string[] = [];
    for (const node of document.querySelectorAll<HTMLElement>('.op-node')) {
      const b = node.getBoundingClientRect();
      if (b.left < pane.left || b.right > pane.right || b.top < pane.top || b.bottom > pane.bottom) continue;
      if (covers.some((m) => b.left < m.right && m.left < b.right && b.top < m.bottom && m.top < b.bottom)) continue;
      let readable = true;
      for (const el of [node, ...node.querySelectorAll<HTMLElement>('*')]) {
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
        const cs = getComputedStyle(el);
        if (!own || cs.visibility === 'hidden' || cs.display === 'none') continue;
        if (parseFloat(cs.fontSize) * zoom < 11) {
          readable = false;
          small.push(`${el.className} “${el.textContent}” ${(parseFloat(cs.fontSize) * zoom).toFixed(1)} px`);
        }
      }
      if (readable) count++;
      if (readable && (node.classList.contains('pair-fusable') || node.classList.contains('pair-blocked'))) pair++;
    }
    return { count, pair, small };
  });
}

for (const [model, path] of [
  ['MobileNetV3', join(CORPUS, 'mobilenet_v3_small.onnx')],
  ['the ViT', join(CORPUS, 'vit_tiny_encoder12.onnx')],
  ['a 2,000-node synthetic model', SYNTHETIC],
]) {
  test(`${model} after Expand all: at least 25 readable op nodes on one 1440×900 screen`, async ({ page }) => {
    await openApp(page);
    await openFile(page, path);
    await page.getByTestId('expand-all').click();
    await expect(page.locator('.group-frame').first()).toBeAttached();
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await page.waitForTimeout(800);
    const r = await readableNodes(page);
    test.info().annotations.push({ type: 'readable op nodes', description: String(r.count) });
    expect(r.small, 'text under 11 px').toEqual([]);
    expect(r.count).toBeGreaterThanOrEqual(25);
    expect(r.pair, 'both nodes of the first pair in the view').toBeGreaterThanOrEqual(2);
    await shot(page, `40-density-${model.replace(/[^a-z0-9]+/gi, '-')}`);
  });
}
