/**
 * The fold fuzzer's determinism oracle, across engines of the same core: a generated model folded
 * by the page's worker (Fuse all, then Download) gives byte for byte what `fuse` gives in Node.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { openApp, openFile } from './helpers';
import { generateCase } from '../src/core/fuzz/foldGenerators';
import { buildFoldCase } from '../src/core/fuzz/foldBuild';
import { caseText } from '../src/core/fuzz/foldCase';
import { readModel, writeModel } from '../src/core/onnx/modelIO';
import { fuse } from '../src/core/rewrite/fuse';

/** The first generated cases of a seed that hold something to fold. */
function foldableCases(seed: number, want: number): { name: string; bytes: Uint8Array; fused: Uint8Array; text: string }[] {
  const out = [];
  for (let i = 0; out.length < want && i < 200; i++) {
    const c = generateCase(seed, i).case;
    // As the CLI and the page do: the model read from its file's bytes.
    const bytes = writeModel(buildFoldCase(c));
    const r = fuse(readModel(bytes));
    if (r.folded.length === 0) continue;
    out.push({ name: `fold_case_${seed}_${i}.onnx`, bytes, fused: writeModel(r.model), text: caseText(c) });
  }
  return out;
}

test('generated models folded in the page’s worker are byte-identical to fuse in Node', async ({ page }, testInfo) => {
  const cases = foldableCases(20261207, 4);
  expect(cases).toHaveLength(4);
  await openApp(page);
  for (const c of cases) {
    const path = testInfo.outputPath(c.name);
    writeFileSync(path, c.bytes);
    await openFile(page, path);
    await expect(page.getByTestId('model-summary')).toContainText(c.name);
    await page.getByTestId('fuse-all').click();
    await expect(page.getByTestId('notice')).toContainText('Folded');
    const dl = page.waitForEvent('download');
    await page.getByTestId('download').click();
    const saved = testInfo.outputPath(`${c.name}.fused.onnx`);
    await (await dl).saveAs(saved);
    expect(Buffer.compare(readFileSync(saved), Buffer.from(c.fused)), c.text).toBe(0);
  }
});
