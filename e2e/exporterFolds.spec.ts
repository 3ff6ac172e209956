/**
 * The explanation of the folds as exporters write them (issue 35): the constant strip lines a
 * constant up under the Conv's output from the right and marks the axis it varies along, a Mul
 * pair's parameters are its own constants (no ε, γ, μ, σ²), the card names the Conv, and the
 * lesson on a bias on the wrong axis fails verification after Apply anyway.
 */
import { expect, test } from './fixtures';
import { openApp, shot } from './helpers';

test('bias-axis lesson: the [6] constant sits under W (axis 3), and Apply anyway fails verification', async ({ page }) => {
  await openApp(page, '?lesson=bias-axis');
  await expect(page.getByTestId('model-summary')).toContainText('conv_add_on_w.onnx');
  const strip = page.getByTestId('constant-strip');
  await expect(strip.locator('[data-axis="1"]')).toContainText('Conv writes its 6 output channels here, and BatchNorm normalizes here');
  await expect(strip.locator('[data-axis="1"] [data-constant="Add"]')).toHaveText('Add —');
  await expect(strip.locator('[data-axis="3"]')).toHaveAttribute('data-varies', 'true');
  await expect(strip.locator('[data-axis="3"] [data-constant="Add"]')).toContainText('varies here ✗');
  const checks = page.getByTestId('axis-checks');
  await expect(checks.locator('[data-check="constant"]')).toHaveAttribute('data-state', 'fails');
  await expect(checks.locator('[data-check="constant"]')).toContainText('varies along axis 3 (that axis also has 6 positions: a coincidence), while the Conv’s 6 output channels are on axis 1');
  await expect(checks).not.toContainText('Linear’s');
  await expect(page.getByTestId('norm-params')).toHaveText('γ, β, μ, σ²: [6], ε = 1e-5');
  await shot(page, 'exporter-01-bias-axis-lesson');
  await page.getByTestId('apply-anyway').click();
  await expect(page.getByTestId('incorrect-banner')).toBeVisible();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
});

test('conv_mul_add: the Mul’s and Add’s constants as they are, both under axis 1, the card about the Conv', async ({ page }) => {
  await openApp(page, `?model=examples/conv_mul_add.onnx#pair=${encodeURIComponent('/bn/Add_output_0')}`);
  const explain = page.getByTestId('explain');
  await expect(explain).toHaveAttribute('data-pair-id', '/bn/Add_output_0');
  const params = page.getByTestId('norm-params');
  await expect(params).toHaveAttribute('data-op', 'Mul');
  await expect(params).toHaveText('s = "bn.s" [1, 6, 1, 1], the Mul’s constant; t = "bn.t" [1, 6, 1, 1], the Add’s constant');
  await expect(page.getByTestId('formulas')).not.toContainText('ε');
  const strip = page.getByTestId('constant-strip');
  for (const role of ['Mul', 'Add']) {
    await expect(strip.locator(`[data-axis="1"] [data-constant="${role}"]`)).toContainText(`${role} 6varies here ✓`);
    await expect(strip.locator(`[data-axis="3"] [data-constant="${role}"]`)).toHaveText(`${role} 1`);
  }
  await expect(strip.locator('[data-varies="true"]')).toHaveCount(1);
  const checks = page.getByTestId('axis-checks');
  await expect(checks.locator('[data-check="constant"][data-state="holds"]')).toHaveCount(2);
  await expect(checks).toContainText('6 output channels');
  await expect(checks).not.toContainText('Linear’s');
  await expect(checks).not.toContainText('BatchNorm');
  await expect(page.getByTestId('conclusion')).toContainText('one value per output channel');
  await shot(page, 'exporter-02-conv-mul-add');
});

test('playground: BatchNorm as Mul + Add with a per-row shape is BIAS_AXIS, a shape that does not broadcast is refused in words, per feature folds', async ({ page }) => {
  await page.goto('/?play=1&in=4%2C+3&lin=MatMul&out=5&norm=mul-add&aff=4%2C+1');
  const row = page.locator('li[data-pair-id]');
  await expect(row).toHaveAttribute('data-pattern', 'linear-affine');
  await expect(page.locator('[data-testid="explain"] .reason-card[data-code="BIAS_AXIS"]').first()).toBeVisible();
  await expect(page.getByTestId('constant-strip').locator('[data-axis="0"] [data-constant="Mul"]')).toContainText('varies here ✗');
  await shot(page, 'exporter-03-playground-mul-add-per-row');
  await page.getByTestId('play-affine').fill('3');
  await expect(page.getByTestId('play-problems')).toContainText('does not broadcast against [4, 5]: lined up from the last axis, its 3 meets axis 1, which has 5');
  await page.getByTestId('play-affine').fill('1, 5');
  await expect(page.getByTestId('play-problems')).toHaveCount(0);
  await expect(page.getByTestId('conclusion')).toContainText('the fold is exact');
  await page.getByTestId('play-norm-batchnorm').check();
  await expect(page.getByTestId('play-channels')).toBeVisible();
  await expect(page.getByTestId('play-affine')).toHaveCount(0);
});

test('conv_mul_add: Fuse all removes the bn box (its Mul and Add fold away) without a page error, and verify passes', async ({ page }) => {
  await openApp(page, '?model=examples/conv_mul_add.onnx');
  await expect(page.locator('.group-frame', { hasText: 'bn' })).toBeVisible();
  await page.getByTestId('fuse-all').click();
  await expect(page.locator('li[data-bn-output]')).toHaveCount(0);
  await expect(page.locator('.group-frame', { hasText: 'bn' })).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});
