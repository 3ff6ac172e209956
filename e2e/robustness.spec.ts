/** Hostile names, external data, cancelling long work: the page survives and stays usable. */
import { expect, test } from './fixtures';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openApp, openFile, shot } from './helpers';
import { ModelBuilder, randomValues, seededRandom } from '../src/core/onnx/builder';
import { writeModel } from '../src/core/onnx/modelIO';
import { moveToExternal } from '../src/core/onnx/externalData';
import { exampleById } from '../src/examples/catalog';

const dir = join(tmpdir(), `fi-robust-${process.pid}`);
mkdirSync(dir, { recursive: true });

const EVIL_NODE = '/fc<img src=x onerror="window.__pwned=1">/Gemm';
const EVIL_BN = '/bn<svg onload="window.__pwned=2">/BatchNormalization';
const EVIL_TENSOR = 'h<script>window.__pwned=3</script>';

/** One foldable Gemm→BN pair beside `depth` MatMuls of an [n, n] input by itself: slow to run, small to store. */
function slowVerifyModel(n: number, depth: number): Uint8Array {
  const r = seededRandom(3);
  const b = new ModelBuilder('slow').opset(14);
  b.input('x', [2, 3]).input('z', [n, n]).output('y').output('w');
  b.init('W', [4, 3], randomValues(r, 12));
  b.node('Gemm', ['x', 'W'], ['h'], { transB: 1 }, 'fc');
  for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
  b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], {}, 'bn');
  let prev = 'z';
  for (let i = 0; i < depth; i++) {
    const out = i === depth - 1 ? 'w' : `t${i}`;
    b.node('MatMul', [prev, prev], [`p${i}`], {}, `mm${i}`);
    b.node('Tanh', [`p${i}`], [out], {}, `tanh${i}`);
    prev = out;
  }
  return writeModel(b.build());
}

function evilModel(): Uint8Array {
  const r = seededRandom(5);
  const b = new ModelBuilder().opset(14);
  b.input('x<b>bold</b>', [2, 3]).output('y');
  b.init('w<i>', [4, 3], randomValues(r, 12));
  b.node('Gemm', ['x<b>bold</b>', 'w<i>'], [EVIL_TENSOR], { transB: 1 }, EVIL_NODE);
  for (const p of ['s', 'bb', 'm', 'v']) b.init(`${p}<u>`, [4], randomValues(r, 4, 0.5, 1));
  b.node('BatchNormalization', [EVIL_TENSOR, 's<u>', 'bb<u>', 'm<u>', 'v<u>'], ['y'], {}, EVIL_BN);
  return writeModel(b.build());
}

test('names holding HTML and script are shown as text, never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page);
  const path = join(dir, 'evil<names>.onnx');
  writeFileSync(path, evilModel());
  await openFile(page, path);
  // The names appear literally: in the graph, the pairs panel, the explanation and the details.
  await expect(page.locator(`[data-node-name="${EVIL_NODE.replace(/"/g, '\\"')}"]`)).toBeVisible();
  await expect(page.getByText('/fc<img src=x onerror=', { exact: false }).first()).toBeVisible();
  await page.locator('li[data-bn-output="y"]').click();
  await expect(page.getByTestId('explain')).toBeVisible();
  await page.locator(`[data-node-name="${EVIL_NODE.replace(/"/g, '\\"')}"]`).click();
  await expect(page.getByTestId('details')).toContainText('<script>window.__pwned=3</script>');
  await expect(page.getByTestId('details')).toContainText('w<i>');
  await page.locator(`[data-node-name="${EVIL_BN.replace(/"/g, '\\"')}"]`).click();
  await expect(page.getByTestId('details')).toContainText('<svg onload=');
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await shot(page, '30-html-names');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"], svg[onload], script:has-text("__pwned")')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  // The Markdown report keeps them as text too.
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-md').click();
  const md = await (await dl).path();
  const text = (await import('node:fs')).readFileSync(md!, 'utf8');
  // Inside code spans HTML is literal text; outside them it must be escaped.
  expect(text).toContain('`/fc<img src=x onerror="window.__pwned=1">/Gemm`');
  expect(text.replace(/`[^`\n]*`/g, '')).not.toMatch(/<(img|svg|script)\b/);
});

test('a model with a cycle and undefined inputs opens with warnings, not a blank page', async ({ page }) => {
  await openApp(page);
  const b = new ModelBuilder();
  b.input('x', [2, 3]).output('y');
  b.node('Add', ['x', 'c'], ['a'], {}, 'first');
  b.node('Relu', ['a'], ['c'], {}, 'second');
  b.node('Mul', ['a', 'ghost'], ['y'], {}, 'third');
  const path = join(dir, 'cycle.onnx');
  writeFileSync(path, writeModel(b.build()));
  await openFile(page, path);
  const diags = page.getByTestId('diagnostics');
  await expect(diags).toContainText('CYCLE');
  await expect(diags).toContainText('UNDEFINED_INPUT');
  await expect(diags).toContainText('"ghost"');
  await expect(page.locator('[data-node-name="first"]')).toBeVisible();
});

test('external data: picked with the model, or added afterwards; verification uses it', async ({ page }) => {
  const ext = moveToExternal(exampleById('mlp')!.build(), 'weights.bin', 64);
  const model = join(dir, 'mlp_external.onnx');
  const weights = join(dir, 'weights.bin');
  writeFileSync(model, writeModel(ext.model));
  writeFileSync(weights, ext.data);
  const bn1 = 'li[data-bn-output="/body/bn1/BatchNormalization_output_0"]';

  await openApp(page);
  // The model alone: the page names the file it needs and does not claim the pairs.
  await openFile(page, model);
  const section = page.getByTestId('external-data');
  await expect(section.locator('li[data-state="missing"]')).toContainText('“weights.bin”');
  await expect(page.locator(bn1)).toHaveAttribute('data-fusable', 'false');
  await shot(page, '31-external-missing');
  // A stray file alone is refused, naming what the model needs; with the data file it is said to be unused.
  const stray = join(dir, 'stray.txt');
  writeFileSync(stray, 'not weights');
  await page.getByTestId('data-input').setInputFiles(stray);
  await expect(page.getByTestId('error')).toContainText('Not used: stray.txt — mlp_external.onnx names only weights.bin. Nothing was added.');
  await page.getByTestId('data-input').setInputFiles([weights, stray]);
  await expect(section.locator('li[data-state="loaded"]')).toContainText('“weights.bin”');
  await expect(page.getByTestId('notice')).toHaveText('1 of 1 external data file(s) loaded. Not used: stray.txt — mlp_external.onnx names only weights.bin.');
  await expect(page.locator(bn1)).toHaveAttribute('data-fusable', 'true');

  // Both picked at once.
  await page.getByTestId('file-input').setInputFiles([model, weights]);
  await expect(section.locator('li[data-state="loaded"]')).toBeVisible();
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 2 pairs');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
});

test('files that are not a model nor its data get a reason, and the open model stays', async ({ page }) => {
  const txt = join(dir, 'notes.txt');
  writeFileSync(txt, 'Remember to fold the BatchNorms.\n');
  // An 8-byte PNG signature and the start of an IHDR chunk: what a picked screenshot starts with.
  const png = join(dir, 'graph.png');
  writeFileSync(png, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const mlp = join(dir, 'mlp.onnx');
  writeFileSync(mlp, writeModel(exampleById('mlp')!.build()));
  const other = join(dir, 'other.onnx');
  writeFileSync(other, writeModel(exampleById('mlp')!.build()));
  await openApp(page);
  const err = page.getByTestId('error');
  const summary = page.getByTestId('model-summary');
  const before = await summary.locator('.file-name').innerText();
  // The built-in example's four pairs, counted once they are drawn (read at once, the panel may still be empty).
  const pairs = 4;
  await expect(page.locator('li[data-bn-output]')).toHaveCount(pairs);
  const input = page.getByTestId('file-input');

  // A .txt alone: read as a model, refused with the reader's reason; no note about external data.
  await input.setInputFiles(txt);
  await expect(err).toContainText('notes.txt is not an ONNX model');
  await expect(err).toContainText('does not start like an ONNX protobuf message');
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await expect(summary).not.toContainText('external data file(s) loaded');
  await expect(summary.locator('.file-name')).toHaveText(before);
  await shot(page, '33-txt-picked');

  // An image and an empty file: the same, with their own reasons.
  await input.setInputFiles(png);
  await expect(err).toContainText('graph.png is not an ONNX model');
  await expect(err).toContainText('89 50 4e 47');
  await input.setInputFiles(empty);
  await expect(err).toContainText('empty.txt is not an ONNX model');
  await expect(err).toContainText('empty (0 bytes)');
  await expect(summary.locator('.file-name')).toHaveText(before);
  await expect(page.locator('li[data-bn-output]')).toHaveCount(pairs);

  // Several models at once: refused in words, naming them; the open model stays.
  await input.setInputFiles([mlp, other]);
  await expect(err).toContainText('2 .onnx files were given at once (mlp.onnx, other.onnx)');
  await expect(err).toContainText(`${before} stays open`);
  await expect(summary.locator('.file-name')).toHaveText(before);

  // A .txt with a model: the model opens, and the .txt is said to be unused.
  await input.setInputFiles([mlp, txt]);
  await expect(summary.locator('.file-name')).toHaveText('mlp.onnx');
  await expect(err).toHaveCount(0);
  await expect(page.getByTestId('notice')).toHaveText('Not used: notes.txt — mlp.onnx names no external data file.');
  await expect(page.getByTestId('external-data')).toHaveCount(0);
});

test('verification and a long layout can be cancelled; the page stays usable', async ({ page }) => {
  // The 100,000-node layout, then three verifies of seconds each (the last from a fresh worker: Cancel ends it).
  test.setTimeout(180_000);
  // A layout that takes a while: unscoped Adds with seeded random skip connections, so no two chunks
  // share a structure (columns and repeated layers are laid out at once) and each needs dagre.
  // 100,000 of them: Expand all of 20,000 took ~0.45 s by now, over before Cancel could be clicked.
  const path = join(dir, 'random_dag_100000.onnx');
  const b = new ModelBuilder('random').opset(14);
  const rand = seededRandom(5);
  b.input('x', [1, 4]).output('y');
  const names = ['x'];
  for (let i = 1; i <= 100000; i++) {
    const skip = names[Math.max(0, names.length - 2 - Math.floor(rand() * 6))];
    b.node('Add', [names[names.length - 1], skip], [`v${i}`], {}, `Add_${i}`);
    names.push(`v${i}`);
  }
  b.node('Identity', [names[names.length - 1]], ['y'], {}, 'Out');
  writeFileSync(path, writeModel(b.build()));
  // Verification below runs on a model whose run takes seconds, so Cancel is there to click: a
  // Gemm→BN pair to fold beside a chain of 10 MatMuls of a 1024×1024 input by itself (Tanh keeps the
  // values bounded). A fast model (1,000 synthetic nodes) was verified before Cancel could be
  // clicked once the sessions were made ahead.
  const slow = join(dir, 'slow_verify.onnx');
  writeFileSync(slow, slowVerifyModel(1024, 10));
  await openApp(page);
  await openFile(page, path);
  const boxesBefore = await page.locator('.group-box').count();

  // Expand all: slow enough to offer Cancel, if clicked at once (a few round trips more and the
  // layout of 100,000 was sometimes done first); cancelling keeps the collapsed view.
  await page.getByTestId('expand-all').click();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('notice')).toContainText('Layout cancelled');
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.locator('.group-box')).toHaveCount(boxesBefore);

  // Verification: cancel, then run it again to the end.
  await openFile(page, slow);
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded');
  const paneBefore = await page.locator('.react-flow__pane').boundingBox();
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('cancel')).toBeVisible();
  // The banner (one for all work: layouts, verification) is drawn over the graph's top edge: the
  // canvas keeps its size (a resize made React Flow measure and draw every node again while the work
  // went on), and the sidebar is not covered.
  expect(await page.locator('.react-flow__pane').boundingBox()).toEqual(paneBefore);
  const banner = (await page.getByTestId('progress').boundingBox())!;
  expect(banner.y).toBeCloseTo(paneBefore!.y, 0);
  expect(banner.x + banner.width).toBeLessThanOrEqual(paneBefore!.x + paneBefore!.width + 1);
  await shot(page, '32-verify-cancellable');
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('notice')).toContainText('Verification was cancelled');
  await expect(page.getByTestId('verify-result')).toHaveCount(0);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 90_000 });
});
