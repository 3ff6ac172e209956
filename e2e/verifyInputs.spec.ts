/**
 * Verify on the user's own inputs in the page: typed values for an integer input, an image, a .npy
 * file, a dropped test data set (expected outputs computed by onnxruntime), where the models part
 * after "Apply anyway" (the graph painted, legend and text), and onnxruntime's own optimizer check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { openApp, openFile, shot } from './helpers';
import { writeModel } from '../src/core/onnx/modelIO';
import { ModelBuilder } from '../src/core/onnx/builder';
import { sileroLike } from '../src/core/testing/sileroLike';
import { npy } from '../src/core/testing/npyBytes';
import { encodeMessage } from '../src/core/onnx/protobufEncode';
import { TensorSpec } from '../src/core/onnx/schema';
import { encodeInts, makeFloatTensor, makeTensor } from '../src/core/onnx/tensor';
import { DataType } from '../src/core/onnx/types';
import { createSession, makeOrtTensor } from '../src/core/verify/ortSession';

const dir = mkdtempSync(join(tmpdir(), 'fi-verify-inputs-'));
const write = (name: string, bytes: Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

function imageModel(): Uint8Array {
  // [1, 3, H, W] → its mean per channel: the output depends on every pixel.
  const b = new ModelBuilder('image_model').opset(17).input('pixels', [1, 3, 'H', 'W']).output('means', [1, 3, 1, 1]);
  b.node('GlobalAveragePool', ['pixels'], ['means'], {}, 'pool');
  return writeModel(b.build());
}

async function verifySetup(page: Page) {
  const setup = page.getByTestId('verify-setup');
  const details = setup.locator('details');
  if ((await details.getAttribute('open')) === null) await setup.locator('summary').click();
  return setup;
}

test('an integer input is verified with a typed value; without one the page says what is missing', async ({ page }) => {
  const model = write('silero_like.onnx', writeModel(sileroLike()));
  await openApp(page);
  await openFile(page, model);
  const setup = await verifySetup(page);
  const sr = setup.locator('[data-input="sr"]');
  await expect(sr).toContainText('int64 []');
  // No random choice for an integer input.
  await expect(sr.getByLabel('sr: values from').locator('option[value="random"]')).toHaveCount(0);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('error')).toContainText('Input "sr" (int64 []) needs its values');
  await sr.getByLabel('sr values').fill('16000');
  await setup.getByLabel('dimension batch').fill('3');
  await shot(page, '40-verify-inputs');
  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  const used = result.getByTestId('inputs-used');
  await expect(used.locator('[data-input="sr"]')).toContainText('typed values');
  await expect(used.locator('[data-input="sr"]')).toContainText('value 16000');
  await expect(used.locator('[data-input="input"]')).toContainText('random (seed 42)');
  await expect(used.locator('[data-input="input"]')).toContainText('[3, 4]');
});

test('the sessions of the open model’s original and of the fold on screen are kept between verifies: the same inputs reuse their outputs, a changed input runs them again, and the timings say which', async ({ page }) => {
  const model = write('silero_like.onnx', writeModel(sileroLike()));
  await openApp(page);
  await openFile(page, model);
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  const setup = await verifySetup(page);
  const sr = setup.locator('[data-input="sr"]');
  await sr.getByLabel('sr values').fill('16000');
  const result = page.getByTestId('verify-result');
  const verifyNow = async () => {
    const before = (await result.count()) > 0 ? await result.locator('.timing-table').innerText() : '';
    await page.getByTestId('verify').click();
    await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
    await expect(result.locator('.timing-table')).not.toHaveText(before);
  };
  await verifyNow();
  await verifyNow();
  // Same inputs: neither model ran again (the fold on screen is the same state), and neither session was made by this verify.
  await expect(result.getByTestId('timing-not-run')).toHaveCount(2);
  await expect(result.getByTestId('timing-not-run').first()).toContainText('not run');
  await expect(result.getByTestId('timing-kept')).toHaveCount(2);
  await shot(page, '44-verify-kept-session');
  // Another sample rate: another branch of the model, so the original runs again and still matches.
  await sr.getByLabel('sr values').fill('8000');
  await verifyNow();
  await expect(result.getByTestId('inputs-used').locator('[data-input="sr"]')).toContainText('value 8000');
  await expect(result.getByTestId('timing-not-run')).toHaveCount(0);
  await expect(result.getByTestId('timing-kept')).toHaveCount(2);
});

test('an image goes into a [1, 3, H, W] input, resized to the size typed; the result names it', async ({ page }) => {
  const model = write('image_model.onnx', imageModel());
  await openApp(page);
  await openFile(page, model);
  // A PNG made in the page: left half red, right half blue.
  const png = await page.evaluate(async () => {
    const c = new OffscreenCanvas(20, 10);
    const g = c.getContext('2d')!;
    g.fillStyle = '#ff0000';
    g.fillRect(0, 0, 10, 10);
    g.fillStyle = '#0000ff';
    g.fillRect(10, 0, 10, 10);
    return Array.from(new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer()));
  });
  const file = write('photo.png', Uint8Array.from(png));
  const setup = await verifySetup(page);
  const row = setup.locator('[data-input="pixels"]');
  await row.getByLabel('pixels: values from').selectOption('image');
  await row.getByTestId('input-file-pixels').setInputFiles(file);
  await row.getByLabel('pixels image height').fill('8');
  await row.getByLabel('pixels image width').fill('16');
  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  const used = result.getByTestId('inputs-used').locator('[data-input="pixels"]');
  await expect(used).toContainText('photo.png');
  await expect(used).toContainText('float32 [1, 3, 8, 16]');
  // RGB scaled to [0, 1]: pure red and blue pixels give 0 and 1 only.
  await expect(used).toContainText('min 0, max 1');
  // A broken image gets a sentence.
  const bad = write('broken.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  await row.getByTestId('input-file-pixels').setInputFiles(bad);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('error')).toContainText('broken.png could not be decoded as an image');
});

test('a .npy file feeds an input; a bad one is refused in words', async ({ page }) => {
  const model = write('silero_like.onnx', writeModel(sileroLike()));
  const values = Float32Array.from({ length: 8 }, (_, i) => i / 4 - 1);
  const good = write('audio.npy', npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", new Uint8Array(values.buffer)));
  const bad = write('bad.npy', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
  await openApp(page);
  await openFile(page, model);
  const setup = await verifySetup(page);
  await setup.locator('[data-input="sr"]').getByLabel('sr values').fill('8000');
  const row = setup.locator('[data-input="input"]');
  await row.getByLabel('input: values from').selectOption('file');
  await row.getByTestId('input-file-input').setInputFiles(bad);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('error')).toContainText('bad.npy could not be read. This is not a .npy file');
  await row.getByTestId('input-file-input').setInputFiles(good);
  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  const used = result.getByTestId('inputs-used').locator('[data-input="input"]');
  await expect(used).toContainText('audio.npy');
  await expect(used).toContainText('min -1, max 0.75');
  // The batch the file sets is said as set by an input.
  await expect(result).toContainText('batch=2 (from an input)');
});

test('a dropped test data set gives the inputs and the expected outputs', async ({ page }) => {
  const model = sileroLike();
  const modelPath = write('silero_like.onnx', writeModel(model));
  const input = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i));
  const state = Float32Array.from({ length: 12 }, (_, i) => Math.cos(i) / 2);
  const session = await createSession(writeModel(model));
  const outs = await session.run({ input: makeOrtTensor('float32', input, [2, 4]), state: makeOrtTensor('float32', state, [2, 2, 3]), sr: makeOrtTensor('int64', BigInt64Array.of(16000n), []) });
  await session.release();
  const pb = (t: Parameters<typeof encodeMessage>[0]) => Array.from(encodeMessage(t, TensorSpec));
  const files = [
    ['input_0.pb', pb(makeFloatTensor('input', [2, 4], input))],
    ['input_1.pb', pb(makeFloatTensor('state', [2, 2, 3], state))],
    ['input_2.pb', pb(makeTensor('sr', DataType.INT64, [], encodeInts([16000], DataType.INT64)))],
    ['output_0.pb', pb(makeFloatTensor('output', [2, 5], outs.output.data as Float32Array))],
  ] as const;
  await openApp(page);
  await openFile(page, modelPath);
  await verifySetup(page);
  // Dropped on the panel as files of a folder.
  await page.getByTestId('test-data-zone').evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const [name, bytes] of list) dt.items.add(new File([Uint8Array.from(bytes)], name));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files.map(([n, b]) => [n, [...b]] as [string, number[]]));
  await expect(page.getByTestId('test-data-loaded')).toContainText('input_0.pb, input_1.pb, input_2.pb, output_0.pb');
  // The model stays open: the drop was not taken for a model.
  await expect(page.getByTestId('model-summary')).toContainText('silero_like.onnx');
  await page.getByTestId('verify').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(result.getByTestId('inputs-used').locator('[data-input="sr"]')).toContainText('input_2.pb');
  await expect(result.getByTestId('inputs-used').locator('[data-input="sr"]')).toContainText('value 16000');
  const expected = result.getByTestId('verify-expected');
  await expect(expected).toContainText('output_0.pb');
  await expect(expected.locator('tr.ok')).toHaveCount(1);
});

test('Where do they differ? after Apply anyway on the Transpose trap: the folded pair’s output first, the graph painted', async ({ page }) => {
  await openApp(page, '?model=examples/transpose_wrong_axis.onnx');
  const row = page.locator('li[data-bn-output]').first();
  const bnOutput = (await row.getAttribute('data-bn-output'))!;
  await row.click();
  await page.getByTestId('apply-anyway').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  // Run by itself after the failed verify.
  const pv = page.getByTestId('per-value');
  await expect(pv).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  await expect(pv.getByTestId('per-value-first')).toContainText(`First divergent value: ${bnOutput}`);
  await expect(pv.locator('tr.first')).toHaveAttribute('data-value', bnOutput);
  const legend = page.getByTestId('heat-legend');
  await expect(legend).toBeVisible();
  await expect(legend).toContainText(`First divergent: ${bnOutput}`);
  const painted = page.locator('.op-node.heat-4, .op-node.heat-3');
  await expect(painted.first()).toBeVisible();
  await expect(painted.first()).toHaveAttribute('title', /rel err .* \(beyond tolerance\)/);
  // On the node itself, in words and signs as well as colour: ✗ beyond tolerance, with its error.
  await expect(painted.first().locator('.heat-tag')).toHaveText(/^✗ rel err \d\.\de[+-]\d+$/);
  await expect(painted.first().locator('.heat-tag')).toBeVisible();
  await shot(page, '41-per-value-light');
  await page.getByRole('button', { name: /Dark mode/ }).click();
  await shot(page, '42-per-value-dark');
});

test('nothing diverges after a valid fold; the onnxruntime check says equal there and names the Transpose pair on the trap', async ({ page }) => {
  await openApp(page, '?model=examples/valid_2d.onnx');
  await page.getByTestId('toolbar-fuse-all').click();
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await page.getByTestId('where-differ').click();
  const pv = page.getByTestId('per-value');
  await expect(pv).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(pv.getByTestId('per-value-first')).toContainText('within tolerance');
  await expect(page.locator('.op-node.heat-2, .op-node.heat-3, .op-node.heat-4')).toHaveCount(0);
  await verifySetup(page);
  await page.getByTestId('ort-check').click();
  const ort = page.getByTestId('ort-check-result');
  await expect(ort).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
  await expect(ort.getByTestId('ort-check-verdict')).toContainText('computes the same outputs');

  await openApp(page, '?model=examples/transpose_wrong_axis.onnx');
  await verifySetup(page);
  await page.getByTestId('ort-check').click();
  const trap = page.getByTestId('ort-check-result');
  await expect(trap).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
  await expect(trap.getByTestId('ort-check-verdict')).toContainText('differ from its unoptimized run by');
  await expect(trap.getByTestId('ort-check-pairs')).toContainText('TRANSPOSE_AXIS');
  await expect(trap.getByTestId('ort-check-pairs')).toContainText('folds it anyway');
  await trap.scrollIntoViewIfNeeded();
  await shot(page, '43-ort-check');
});
