/**
 * Teaching paths: every lesson opens with its pair selected and explained (screenshots in
 * e2e/artifacts/lesson-*.png), every reason code reads as sentences, the Transpose and Reshape
 * traps fail verification after "Apply anyway", and the playground builds, judges, folds,
 * verifies and shares its cases.
 */
import { expect, test } from './fixtures';
import { openApp, shot } from './helpers';
import { LESSONS } from '../src/examples/lessons';
import { EXAMPLES } from '../src/examples/catalog';
import { analyzeModel } from '../src/core/analysis';

test('every lesson opens with its pair selected, its explanation visible, and next/previous in order', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page, `?lesson=${LESSONS[0].id}`);
  for (const [i, l] of LESSONS.entries()) {
    const lesson = page.getByTestId('lesson');
    await expect(lesson).toHaveAttribute('data-lesson', l.id);
    await expect(lesson).toContainText(`Lesson ${i + 1} of ${LESSONS.length}`);
    await expect(lesson).toContainText(l.title);
    await expect(page.getByTestId('model-summary')).toContainText(`${l.example}.onnx`);
    const explain = page.getByTestId('explain');
    await expect(explain).toHaveAttribute('data-pair-id', l.pair);
    await expect(explain).toBeInViewport();
    await expect(lesson).toBeInViewport();
    await expect(page.getByTestId('conclusion')).toContainText(l.fusable ? '✓' : '✗ Not fusable');
    expect(page.url()).toContain(`lesson=${l.id}`);
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await shot(page, `lesson-${String(i + 1).padStart(2, '0')}-${l.id}`);
    if (i < LESSONS.length - 1) await page.getByTestId('lesson-next').click();
  }
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  await page.getByTestId('lesson-prev').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', LESSONS[LESSONS.length - 2].id);
  // Progress: every lesson was opened, and the path says so.
  await page.getByTestId('open-gallery').click();
  await expect(page.getByTestId('lesson-path')).toContainText(`Lessons: ${LESSONS.length} of ${LESSONS.length} opened`);
});

test('the gallery is a path: chapters in order, progress, and the mlp card says what it holds', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('open-gallery').click();
  const path = page.getByTestId('lesson-path');
  await expect(path.locator('[data-lesson]')).toHaveCount(LESSONS.length);
  await expect(path).toContainText(`Lessons: 0 of ${LESSONS.length} opened`);
  const order = await path.locator('[data-lesson]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lesson')));
  expect(order).toEqual(LESSONS.map((l) => l.id));
  const mlp = page.locator('[data-example="mlp"]');
  await expect(mlp).toContainText('2 fusable');
  await expect(mlp).toContainText('2 not fusable');
  await expect(mlp).not.toContainText('VALID');
  // A lesson whose model holds both kinds of pair is tagged with both counts, not its one pair's verdict.
  await expect(path.locator('[data-lesson="mlp"]').getByTestId('lesson-tag')).toHaveText('✓ 2 fold ✗ 2 do not');
  await expect(path.locator('[data-lesson="seed"]').getByTestId('lesson-tag')).toHaveText('✗ does not');
  await shot(page, '10-gallery-path');
  await path.locator('[data-lesson="seed"]').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'seed');
  await page.getByTestId('open-gallery').click();
  await expect(page.getByTestId('lesson-path')).toContainText(`Lessons: 1 of ${LESSONS.length} opened`);
});

/** For each reason code a gallery example shows: the example and a pair refused for it. */
const CODE_EXAMPLES = (() => {
  const m = new Map<string, { example: string; pair: string }>();
  for (const e of EXAMPLES) for (const p of analyzeModel(e.build()).pairs) for (const r of p.reasons) if (!m.has(r.code)) m.set(r.code, { example: e.id, pair: p.id });
  return [...m];
})();

test('every reason code is explained in sentences for its example: what was found, why it blocks, what would lift it', async ({ page }) => {
  test.setTimeout(180_000);
  expect(CODE_EXAMPLES.length).toBeGreaterThanOrEqual(10);
  await openApp(page);
  for (const [code, { example, pair }] of CODE_EXAMPLES) {
    await page.goto(`/?model=examples/${example}.onnx#pair=${encodeURIComponent(pair)}`);
    const card = page.locator(`[data-testid="explain"] .reason-card[data-code="${code}"]`);
    await expect(card, `${code} on ${example}`).toBeVisible();
    await expect(card).toContainText('Why it blocks the fold:');
    await expect(card).toContainText('What would make it fusable:');
    const conclusion = page.getByTestId('conclusion');
    await expect(conclusion).toContainText('Not fusable:');
    // A sentence, never only a code.
    expect((await conclusion.textContent())!.includes(code)).toBe(false);
  }
});

for (const [lesson, example] of [
  ['transpose-trap', 'transpose_wrong_axis'],
  ['reshape-trap', 'reshape_wrong_axis'],
] as const) {
  test(`${lesson}: Apply anyway performs ONNX Runtime's fold, and verify fails with the error in %`, async ({ page }) => {
    await openApp(page, `?lesson=${lesson}`);
    await expect(page.getByTestId('model-summary')).toContainText(`${example}.onnx`);
    const map = page.getByTestId('feature-map');
    await expect(map).toHaveAttribute('data-one-each', 'false');
    await expect(page.getByTestId('explain')).toContainText('ONNX Runtime’s MatMul+BatchNormalization fusion');
    await page.getByTestId('apply-anyway').click();
    await expect(page.getByTestId('incorrect-banner')).toBeVisible();
    const result = page.getByTestId('verify-result');
    await expect(result).toHaveAttribute('data-pass', 'false', { timeout: 60_000 });
    await expect(result.getByTestId('rel-percent').first()).toContainText('%');
    const pct = parseFloat((await result.getByTestId('rel-percent').first().textContent())!);
    expect(pct).toBeGreaterThan(10);
    await expect(page.locator('.pairs-panel')).toContainText('against the rules');
    await expect(page.locator('.pairs-panel')).not.toContainText('every fusable BatchNormalization has been folded');
    await shot(page, `16-${lesson}-applied`);
  });
}

test('verify before any fold says plainly it compared the model with itself', async ({ page }) => {
  await openApp(page, '?model=examples/valid_2d.onnx');
  await page.getByTestId('verify').click();
  const r = page.getByTestId('verify-result');
  await expect(r).toHaveAttribute('data-self', 'true', { timeout: 60_000 });
  await expect(r.getByTestId('verify-self')).toContainText('Nothing to compare yet');
  await expect(r).toContainText('onnxruntime start (once, before both)');
});

test('playground: rank 2 folds, rank 3 does not, a Transpose fixes it, verify runs, and a shared link reopens the form', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('toolbar-playground').click();
  const play = page.getByTestId('playground');
  await expect(play).toBeVisible();
  await expect(page.getByTestId('model-summary')).toContainText('playground.onnx');
  const conclusion = page.getByTestId('conclusion');
  await expect(conclusion).toContainText('✓');
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'true');

  // Rank 3: Gemm is refused in words, MatMul gives a pair the axis rule refuses.
  await page.getByTestId('play-input').fill('batch, 5, 3');
  await expect(page.getByTestId('play-problems')).toContainText('Gemm takes a 2-D input');
  await page.getByTestId('play-linear').selectOption('MatMul');
  await expect(page.getByTestId('play-problems')).toHaveCount(0);
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'false');
  await expect(conclusion).toContainText('even though the sizes match');
  await shot(page, '17-playground-rank3');

  // The fix: a Transpose that moves the features to axis 1.
  await page.getByTestId('play-between-transpose').check();
  await page.getByTestId('play-perm').fill('0, 2, 1');
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-pattern', 'linear-transpose-bn');
  await expect(page.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'true');
  await expect(page.getByTestId('feature-map')).toHaveAttribute('data-one-each', 'true');
  await shot(page, '18-playground-transpose-fix');

  // Fuse and verify on the playground model.
  await page.getByTestId('fuse-all').click();
  await expect(page.getByTestId('notice')).toContainText('Folded 1 pair');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });

  // The URL is the exercise link: it reopens the same form and the same verdict.
  const link = page.url();
  expect(link).toContain('play=1');
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByTestId('play-input')).toHaveValue('batch, 5, 3');
  await expect(other.getByTestId('play-linear')).toHaveValue('MatMul');
  await expect(other.getByTestId('play-perm')).toHaveValue('0, 2, 1');
  await expect(other.locator('li[data-pair-id]')).toHaveAttribute('data-fusable', 'true');

  // Download gives the .onnx of the case.
  const dl = other.waitForEvent('download');
  await other.getByTestId('play-download').click();
  expect((await dl).suggestedFilename()).toBe('playground.onnx');
});
