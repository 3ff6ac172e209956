import { expect, type Page } from '@playwright/test';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS = resolve(here, '../../shared/corpus');
export const EXAMPLES = resolve(here, '../public/examples');
export const ARTIFACTS = resolve(here, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** Opens the page and waits for the default example to be drawn (page errors fail the test: fixtures.ts). */
export async function openApp(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

/** Opens a file through the file input and waits until its name is shown. */
export async function openFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(path);
  const name = path.split('/').pop()!;
  await expect(page.getByTestId('model-summary')).toContainText(name);
  await expect(page.getByTestId('progress')).toHaveCount(0);
}

export function pairRow(page: Page, bnOutput: string) {
  return page.locator(`li[data-bn-output="${bnOutput}"]`);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
