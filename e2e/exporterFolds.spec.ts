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
