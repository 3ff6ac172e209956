/** The toolbar's words say what each button does, and the theme reaches every painted part at once. */
import { expect, test } from './fixtures';
import { openApp, shot } from './helpers';

/** The overview's canvas pixels, summed per channel (what a change of colours moves). */
async function minimapPixels(page: import('@playwright/test').Page): Promise<number[]> {
  return page.getByTestId('minimap').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const sum = [0, 0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 4; k++) sum[k] += d[i + k];
    return sum;
  });
}

test('the theme button is named for what it does in both themes, and the overview follows it at once', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toHaveAccessibleName('☾ Dark mode');
  await expect(toggle).toHaveAttribute('title', /Switch to dark colours/);
  // The overview painted in the light theme, before anything else moves.
  await expect.poll(async () => (await minimapPixels(page))[3]).toBeGreaterThan(0);
  const light = await minimapPixels(page);
  await shot(page, '34-toolbar-light');

  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAccessibleName('☀ Light mode');
  await expect(toggle).toHaveAttribute('title', /Switch to light colours/);
  // No other action: the overview's items are painted again in the dark theme's colours (darker).
  await expect.poll(async () => (await minimapPixels(page))[0]).toBeLessThan(light[0] * 0.8);
  await shot(page, '34-toolbar-dark');

  await toggle.click();
  await expect(toggle).toHaveAccessibleName('☾ Dark mode');
  await expect.poll(async () => (await minimapPixels(page)).join()).toBe(light.join());
});

test('the view exports are named as downloads', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('export-svg')).toHaveAccessibleName('Download SVG');
  await expect(page.getByTestId('export-png')).toHaveAccessibleName('Download PNG');
  await expect(page.getByRole('button', { name: /^View (SVG|PNG)$/ })).toHaveCount(0);
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PNG' }).click();
  expect((await dl).suggestedFilename()).toMatch(/\.png$/);
});
