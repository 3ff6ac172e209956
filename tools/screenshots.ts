/**
 * `npm run screenshots`: the README's pictures, taken anew from the production build at 1440×900 —
 * the built-in example, MobileNetV3 grouped and expanded, the ViT expanded, the before/after view,
 * and Netron 9.2.1 on MobileNetV3 (../shared/bench's harness) for the side-by-side. Each picture is
 * a fresh page, light theme. The corpus models come from ../shared/corpus; a missing one is skipped
 * with a line saying so.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../bench/browser';
import { servePreview } from '../bench/preview';

const root = join(import.meta.dirname, '..');
const corpus = join(root, '..', 'shared', 'corpus');
const docs = join(root, 'docs');
const VIEWPORT = { width: 1440, height: 900 };

/** Waits until nothing is in progress and the graph has stood still for a moment. */
async function settle(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 300_000 });
  await page.waitForTimeout(1500);
}

async function shoot(browser: Browser, base: string, file: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('.react-flow__node');
    await settle(page);
    await steps(page);
    await settle(page);
    await page.screenshot({ path: join(docs, file) });
    console.log(`docs/${file}`);
  } finally {
    await page.close();
  }
}

async function open(page: Page, model: string): Promise<void> {
  await page.locator('[data-testid="file-input"]').setInputFiles(model);
  const name = model.split('/').pop()!;
  await page.getByTestId('model-summary').filter({ hasText: name }).waitFor({ timeout: 300_000 });
  await settle(page);
}

/** Netron on the model at our viewport: its harness writes the picture into a folder of its own. */
function netronShot(model: string, file: string): void {
  const harness = join(root, '..', 'shared', 'bench', 'netron_time.mjs');
  if (!existsSync(harness)) return console.log(`skipped docs/${file}: ${harness} is not there`);
  const dir = mkdtempSync(join(tmpdir(), 'netron-shot-'));
  try {
    try {
      execFileSync(process.execPath, [harness, model, '--runs', '1', '--viewport', `${VIEWPORT.width}x${VIEWPORT.height}`, '--screenshot', dir], { cwd: root, stdio: 'ignore', timeout: 600_000 });
    } catch (e) {
      return console.log(`skipped docs/${file}: Netron's harness failed (${String(e instanceof Error ? e.message : e).split('\n')[0]})`);
    }
    const png = readdirSync(dir).find((f) => f.endsWith('.png'));
    if (!png) return console.log(`skipped docs/${file}: Netron's harness wrote no picture`);
    copyFileSync(join(dir, png), join(docs, file));
    console.log(`docs/${file}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log('building the page');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  const { base, stop } = await servePreview(root, 5302);
  const mobilenet = join(corpus, 'mobilenet_v3_small.onnx');
  const vit = join(corpus, 'vit_tiny_encoder12.onnx');
  const browser = await launchChromium().catch((e: unknown) => {
    stop();
    throw e;
  });
  try {
    await shoot(browser, base, 'screenshot.png', async () => {});
    await shoot(browser, base, 'screenshot-compare.png', async (page) => {
      await page.getByTestId('toolbar-fuse-all').click();
      await settle(page);
      await page.getByTestId('compare-toggle').click();
    });
    for (const [model, file, expand] of [
      [mobilenet, 'screenshot-mobilenet.png', false],
      [mobilenet, 'screenshot-density.png', true],
      [vit, 'screenshot-density-vit.png', true],
    ] as const) {
      if (!existsSync(model)) {
        console.log(`skipped docs/${file}: ${model} is not there`);
        continue;
      }
      await shoot(browser, base, file, async (page) => {
        await open(page, model);
        if (expand) await page.getByTestId('expand-all').click();
      });
    }
  } finally {
    await browser.close();
    stop();
  }
  if (existsSync(mobilenet)) netronShot(mobilenet, 'screenshot-density-netron.png');
}

await main();
