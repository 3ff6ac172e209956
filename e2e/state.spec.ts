/** Page state that must follow the model: examples in the URL, verification results, the INCORRECT marks. */
import { expect, test } from './fixtures';
import { openApp, pairRow, shot } from './helpers';

async function pickExample(page: import('@playwright/test').Page, id: string) {
  await page.getByTestId('open-gallery').click();
  await page.locator(`[data-example="${id}"]`).click();
  await expect(page.getByTestId('model-summary')).toContainText(`${id}.onnx`);
}

test('a picked example is in the URL: a reload reopens the same example with the same selection', async ({ page }) => {
  await openApp(page);
  await pickExample(page, 'bn_linear');
  expect(new URL(page.url()).searchParams.get('model')).toBe('/examples/bn_linear.onnx');
  await page.locator('li[data-pair-id="/fc/Gemm_output_0"]').click();
  await expect(page.getByTestId('explain')).toBeVisible();
  await expect.poll(() => new URL(page.url()).hash).toContain('pair=');
  await page.reload();
  await expect(page.getByTestId('model-summary')).toContainText('bn_linear.onnx');
  await expect(page.getByTestId('explain')).toContainText('/fc/Gemm_output_0');
  // The page states the fold of this Gemm (weight [out, in]) on its columns.
  await expect(page.getByTestId('formulas')).toContainText('W′ = W · diag(s)');
  await expect(page.getByTestId('formulas')).toContainText('b′ = b + W · t');
});

test('a verification belongs to the model it checked: marked stale after a fold, gone after opening another model', async ({ page }) => {
  await openApp(page);
  await pickExample(page, 'valid_2d');
  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(result).toHaveAttribute('data-stale', 'false');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await expect(result).toHaveAttribute('data-stale', 'true');
  await expect(result).toContainText('The model changed since this check');
  await pickExample(page, 'seed_3d');
  await expect(result).toHaveCount(0);
});

test('after Undo of an incorrect fold, no INCORRECT banner or note is left', async ({ page }) => {
  await openApp(page);
  await pickExample(page, 'coincidence_3d');
  await pairRow(page, 'y').click();
  await page.getByTestId('apply-anyway').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  await expect(page.getByTestId('incorrect-banner')).toBeVisible();
  await expect(page.getByTestId('verify-incorrect')).toBeVisible();
  await page.getByRole('button', { name: /Undo/ }).click();
  await expect(page.getByTestId('notice')).toContainText('Back to the model as opened');
  await expect(page.getByTestId('incorrect-banner')).toHaveCount(0);
  await expect(page.getByTestId('verify-incorrect')).toHaveCount(0);
  await expect(page.getByTestId('download')).not.toContainText('INCORRECT');
  await shot(page, '12-after-undo-incorrect');
});
