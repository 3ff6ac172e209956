/**
 * The playground never builds a model that cannot run, and a verify failure reads as a sentence:
 * the new user's Transpose case, the invalid form that leaves no model current, and a model
 * onnxruntime refuses (onnxruntime's text only inside the details).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openApp, shot } from './helpers';
import { writeModel } from '../src/core/onnx/modelIO';
import { buildPlayground, parsePlayground, DEFAULT_FORM } from '../src/examples/playground';

/** No serious or critical accessibility problem in the state on screen (the veil's note and the details must be readable). */
async function axe(page: Page, view: string): Promise<void> {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(bad, `axe on ${view}`).toEqual([]);
}

/** onnxruntime's own phrasing, which must never be the words the page shows. */
const RAW = /ERROR_CODE|ERROR_MESSAGE|Dimension mismatch in unification/;

test('the Transpose step: a typed channel count that does not fit is refused in words; empty, it follows axis 1 and verify passes', async ({ page }) => {
  // The teacher's link for the step, with the channels typed as 4: no model can be built from it.
  await page.goto('/?play=1&in=batch%2C+4%2C+8&lin=MatMul&out=8&mid=transpose&perm=0%2C+2%2C+1&c=4');
  await expect(page.getByTestId('canvas-no-model')).toContainText('The form has an error: no model is built.');
  const problems = page.getByTestId('play-problems');
  await expect(problems).toContainText('BatchNorm has 4 channels, but it normalizes axis 1 of [batch, 8, 4]');
  await expect(problems).toContainText('set channels to 8, or clear the field');
  await expect(page.locator('body')).not.toContainText(RAW);
  await shot(page, '30-playground-transpose-refused');

  await page.getByTestId('play-channels').fill('');
  await expect(problems).toHaveCount(0);
  await expect(page.getByTestId('play-channels-hint')).toContainText('8 channels, following that axis');
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-pattern', 'linear-transpose-bn');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('error')).toHaveCount(0);
  await shot(page, '31-playground-transpose-follows');
});

test('a model onnxruntime refuses: verify says what is wrong in a sentence, onnxruntime’s text only behind “Details”', async ({ page }) => {
  await openApp(page);
  // The model the playground used to build at the Transpose step: BatchNorm of 4 channels on an axis of 8.
  const parsed = parsePlayground({ ...DEFAULT_FORM, input: 'batch, 4, 8', linear: 'MatMul', out: '8', between: 'transpose', perm: '0, 2, 1' });
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  const file = join(tmpdir(), 'old-playground-transpose.onnx');
  writeFileSync(file, writeModel(buildPlayground({ ...parsed.spec, channels: 4 })));
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('model-summary')).toContainText('old-playground-transpose.onnx');
  await page.getByTestId('verify').click();
  const err = page.getByTestId('error');
  await expect(err).toContainText('Verification could not run', { timeout: 60_000 });
  await expect(err).toContainText('The model as opened has tensors whose sizes do not fit together');
  await expect(err).toContainText('channels must equal the size of its input’s axis 1');
  const details = err.getByTestId('error-details');
  await expect(details).not.toHaveAttribute('open');
  await expect(details.locator('pre')).toBeHidden();
  // What is visible is our sentence; onnxruntime's text is there, folded away.
  expect(await err.evaluate((el) => (el as HTMLElement).innerText)).not.toMatch(RAW);
  await expect(details.locator('pre')).toContainText('Dimension mismatch in unification between 4 and 8', { useInnerText: false });
  await shot(page, '32-verify-failure-in-words');
  await details.locator('summary').click();
  await expect(details.locator('pre')).toBeVisible();
  await expect(details.locator('pre')).toContainText('ERROR_CODE');
  await shot(page, '33-verify-failure-details');
  await axe(page, 'a verify failure with its details open');
});

test('while the form has an error the graph is veiled as no model and every action on it is disabled', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('toolbar-playground').click();
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'true');
  await expect(page.getByTestId('fuse-all')).toBeEnabled();
  await page.getByTestId('play-input').fill('batch, 5, 3'); // Gemm on rank 3
  await expect(page.getByTestId('play-problems')).toContainText('Gemm takes a 2-D input');
  await expect(page.getByTestId('canvas-no-model')).toContainText('The form has an error: no model is built.');
  await expect(page.getByTestId('pairs-no-model')).toContainText('The form has an error: no model is built.');
  // The previous model's verdict and pairs are gone from the side; its actions cannot be used.
  await expect(page.getByTestId('conclusion')).toHaveCount(0);
  await expect(page.locator('li[data-pair-id]')).toHaveCount(0);
  for (const id of ['toolbar-fuse-all', 'verify', 'download', 'play-download', 'compare-toggle', 'export-md', 'export-json']) await expect(page.getByTestId(id), id).toBeDisabled();
  await shot(page, '34-playground-invalid-form');
  await axe(page, 'the invalid form');
  await page.getByTestId('theme-toggle').click();
  await axe(page, 'the invalid form, dark');
  await shot(page, '35-playground-invalid-form-dark');
  await page.getByTestId('theme-toggle').click();
  // Fixed, the model and its actions come back.
  await page.getByTestId('play-linear').selectOption('MatMul');
  await expect(page.getByTestId('canvas-no-model')).toHaveCount(0);
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'false');
  await expect(page.getByTestId('verify')).toBeEnabled();
});
