import { expect, test } from './fixtures';
import { openApp, pairRow, shot } from './helpers';
import { EXAMPLES } from '../src/examples/catalog';

async function openExample(page: import('@playwright/test').Page, id: string) {
  await page.getByTestId('open-gallery').click();
  await expect(page.getByTestId('gallery')).toBeVisible();
  await page.locator(`[data-example="${id}"]`).click();
  await expect(page.getByTestId('model-summary')).toContainText(`${id}.onnx`);
}

test('the gallery lists one example per rule with explanations', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('open-gallery').click();
  const cards = page.locator('[data-example]');
  await expect(cards).toHaveCount(EXAMPLES.length);
  for (const code of ['LINEAR_OUTPUT_RANK', 'PRE_BN_VALUE_SHARED', 'NON_CONSTANT_PARAMS', 'BN_TRAINING_MODE', 'NOT_A_LINEAR', 'UNKNOWN_RANK', 'TRANSPOSE_AXIS', 'LINEAR_INPUT_RANK', 'RESHAPE_AXIS']) {
    await expect(page.getByTestId('gallery')).toContainText(code);
  }
  await shot(page, '10-gallery');
});

test('coincidence case: apply anyway, and verification shows the error', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'coincidence_3d');
  await pairRow(page, 'y').click();
  const explain = page.getByTestId('explain');
  await expect(explain.getByTestId('conclusion')).toContainText('even though the sizes match');
  await page.getByTestId('apply-anyway').click();
  await expect(page.getByTestId('incorrect-banner')).toBeVisible();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  await expect(result).toContainText('✗ FAIL');
  await expect(page.getByTestId('download')).toContainText('INCORRECT');
  await shot(page, '11-apply-anyway');
});

test('valid example: fuse and verification passes', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'valid_2d');
  await pairRow(page, 'y').click();
  await expect(page.getByTestId('conclusion')).toContainText('the fold is exact');
  await expect(page.getByTestId('explain')).toContainText(/row 0 \(output feature 0\): s\[0\] = \S+, W\[0, :\]before .*after /);
  await shot(page, '12-valid-explained');
  await page.getByTestId('fuse-all').click();
  await expect(page.locator('li[data-bn-output]')).toHaveCount(0);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});

test('seed example: the explanation draws the axes on [2, 2, 5]', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'seed_3d');
  await pairRow(page, 'y').click();
  const strip = page.getByTestId('axis-strip');
  await expect(strip.locator('[data-axis="1"]')).toContainText('BatchNorm normalizes here (2 channels)');
  await expect(strip.locator('[data-axis="2"]')).toContainText('Linear writes its 5 features here');
  await expect(page.getByTestId('cannot-form')).toContainText('2 scale values');
  await expect(page.getByTestId('apply-anyway')).toHaveCount(0);
  await shot(page, '13-seed-explained');
});

test('the other patterns: Conv→BN, Linear→Transpose→BN and BN→Linear are explained, folded and verified', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'transpose_wrong_axis');
  await pairRow(page, 'y').click();
  await expect(page.getByTestId('explain')).toContainText('perm [1, 0]');
  await expect(page.locator('li[data-pair-id="y"]')).toContainText('TRANSPOSE_AXIS');

  await openExample(page, 'bn_linear');
  const row = page.locator('li[data-pair-id="/fc/Gemm_output_0"]');
  await expect(row).toHaveAttribute('data-pattern', 'bn-linear');
  await row.click();
  await expect(page.getByTestId('conclusion')).toContainText('moves into the weights exactly');
  await shot(page, '13-bn-linear-explained');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});

test('single-channel BatchNorm on a rank-3 Linear output: a uniform scale, explained, folded and verified', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'single_channel_3d');
  await pairRow(page, 'y').click();
  const strip = page.getByTestId('axis-strip');
  await expect(strip.locator('[data-axis="1"]')).toContainText('BatchNorm normalizes here (1 channel)');
  await expect(strip.locator('[data-axis="2"]')).toContainText('Linear writes its 4 features here');
  await expect(page.getByTestId('explain')).toContainText('s has one value: it scales all 4 features alike');
  await expect(page.getByTestId('conclusion')).toContainText('single channel');
  await shot(page, '14-single-channel');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});

test('Linear → Reshape → BN: the wrong-axis case is refused with the shapes, the valid one folds and verifies', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'reshape_wrong_axis');
  const bad = page.locator('li[data-pair-id="y"]');
  await expect(bad).toHaveAttribute('data-pattern', 'linear-reshape-bn');
  await expect(bad).toContainText('Reshape to [2, 4, 2]');
  await expect(bad).toContainText('RESHAPE_AXIS');
  await expect(bad).toContainText('C·R = 8 does not divide the 4 features');
  await bad.click();
  await expect(page.getByTestId('conclusion')).toContainText('puts the same feature in different channels');
  await expect(page.getByTestId('conclusion')).not.toContainText('RESHAPE_AXIS');
  await shot(page, '15-reshape-wrong-axis');

  await openExample(page, 'linear_reshape_bn');
  await pairRow(page, 'y').click();
  await expect(page.getByTestId('explain')).toContainText('⌊n / R⌋ mod C');
  await expect(page.getByTestId('conclusion')).toContainText('the fold is exact');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});

test('the fold preview pairs each s value with the entries it scales: a Gemm transB=1 row, a ConvTranspose slice', async ({ page }) => {
  await openApp(page, '?model=examples/valid_2d.onnx#pair=y');
  const slices = page.getByTestId('fold-preview').getByTestId('preview-slice');
  await expect(slices.first()).toContainText('row 0 (output feature 0): s[0] =');
  await expect(slices.first()).toContainText('W[0, :]');
  await expect(slices.nth(1)).toContainText('row 1 (output feature 1): s[1] =');
  await page.goto('/?model=examples/conv_transpose_bn.onnx#pair=y');
  await expect(slices.nth(1)).toContainText('input channel 0, slot 1 (output channel 1): s[1] =');
  await expect(slices.nth(1)).toContainText('W[0, 1, …] (first 4 of its 4 values)');
  await shot(page, '19-fold-preview-conv-transpose');
});
