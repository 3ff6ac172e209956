/**
 * Heap floors for the side-by-side: a blank page, and the least page of this project's stack
 * (bench/floor/: React + React Flow drawing 17 plain nodes). Measured as our page is, after a GC.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { heapMb, type HeapFloor } from './vsNetron';
import { servePreview } from './preview';

export async function heapFloor(root: string, browser: Browser, log: (s: string) => void): Promise<HeapFloor> {
  log('heap floor: building bench/floor');
  const config = join(root, 'bench', 'floor', 'vite.config.ts');
  execFileSync('npx', ['vite', 'build', '--config', config], { cwd: root, stdio: 'ignore' });
  const { base, stop } = await servePreview(root, 5198, { config });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.goto('about:blank');
      // Selectors put Playwright's helper script in the page, as they do in every measured page.
      await page.waitForSelector('body');
      const blankMb = await heapMb(page);
      await page.goto(`${base}/`);
      await page.waitForFunction('document.querySelectorAll(".react-flow__node").length === 17');
      await page.waitForTimeout(1000);
      return { blankMb, reactFlowMb: await heapMb(page) };
    } finally {
      await page.close();
    }
  } finally {
    stop();
  }
}
