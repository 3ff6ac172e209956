/** `ort-check` and `verify --per-value` as a real process: stdout, exit codes, JSON. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, corpusIt } from '../core/testing/corpus';
import { exampleById } from '../examples/catalog';
import { writeModel } from '../core/onnx/modelIO';
import { fuse } from '../core/rewrite/fuse';
import { analyzeModel } from '../core/analysis';
import type { OrtCheckReport } from '../core/verify/ortCheck';
import type { PerValueReport } from '../core/verify/perValue';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../bin/fusion-inspector.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'fi-ortcheck-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function example(id: string, naive = false): string {
  const model = exampleById(id)!.build();
  const p = join(tmp, `${id}${naive ? '.naive' : ''}.onnx`);
  writeFileSync(p, writeModel(naive ? fuse(analyzeModel(model), { ignoreAxisRule: true }).model : model));
  return p;
}

describe('fusion-inspector ort-check', () => {
  for (const [id, code] of [
    ['transpose_wrong_axis', 'TRANSPOSE_AXIS'],
    ['reshape_wrong_axis', 'RESHAPE_AXIS'],
  ] as const) {
    it(`${id}: the outputs differ (exit 1) and the ${code} pair is named`, () => {
      const path = example(id);
      const t = run('ort-check', path, '--level', 'basic');
      expect(t.code, t.stderr).toBe(1);
      expect(t.stdout).toContain(`y  ${code}  /fc/MatMul → /${code === 'TRANSPOSE_AXIS' ? 'Transpose' : 'Reshape'} → /bn/BatchNormalization`);
      expect(t.stdout).toContain('onnxruntime folds it');
      expect(t.stdout).toContain('cause (confirmed): onnxruntime folds "y"');
      expect(t.stdout).toMatch(/DIFFERENT at level basic\n$/);
      const j = run('ort-check', path, '--json');
      expect(j.code).toBe(1);
      const r = JSON.parse(j.stdout) as OrtCheckReport;
      expect(r.level).toBe('all');
      expect(r.cause).toMatchObject({ kind: 'confirmed', pairs: ['y'] });
      expect(r.comparison.outputs[0].maxRelError).toBeGreaterThan(0.1);
    });
  }

  for (const f of ['mobilenet_v3_small.onnx', 'vit_tiny_encoder12.onnx']) {
    corpusIt(`${f}: equal at level all (exit 0)`, { timeout: 60_000 }, () => {
      const t = run('ort-check', join(CORPUS_DIR, f));
      expect(t.code, t.stdout + t.stderr).toBe(0);
      expect(t.stdout).toMatch(/EQUAL at level all\n$/);
    });
  }

  it('takes verify’s input options; a bad level, a bad number or a missing model is a usage error (exit 2)', () => {
    const path = example('transpose_wrong_axis');
    const values = Array.from({ length: 12 }, (_, i) => String(Math.sin(i + 1))).join(',');
    const j = run('ort-check', path, '--input', `x=${values}`, '--json');
    expect(j.code).toBe(1);
    expect((JSON.parse(j.stdout) as OrtCheckReport).comparison.inputs[0].origin).toEqual({ kind: 'values' });
    for (const args of [['--level', 'max'], ['--rtol', 'abc'], ['--dim', 'batch']]) {
      const r = run('ort-check', path, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: fusion-inspector ort-check');
    }
    expect(run('ort-check').code).toBe(2);
    expect(run('help', 'ort-check').stdout).toContain('--level basic|extended|all');
  });
});

describe('fusion-inspector verify --per-value', () => {
  it('Apply anyway on the Transpose trap: the models part at the pair’s output (exit 1); a valid fold: none (exit 0)', () => {
    const t = run('verify', example('transpose_wrong_axis'), example('transpose_wrong_axis', true), '--per-value');
    expect(t.code, t.stderr).toBe(1);
    expect(t.stdout).toContain('first divergent value: "y" float32 [4, 4], written by BatchNormalization /bn/BatchNormalization in a and Transpose /Transpose in b');
    expect(t.stdout).toMatch(/THE MODELS PART AT "y"\n$/);
    const valid = example('linear_reshape_bn');
    const fused = join(tmp, 'linear_reshape_bn.fused.onnx');
    writeFileSync(fused, writeModel(fuse(analyzeModel(exampleById('linear_reshape_bn')!.build())).model));
    const j = run('verify', valid, fused, '--per-value', '--budget-mb', '1', '--json');
    expect(j.code, j.stderr).toBe(0);
    const r = JSON.parse(j.stdout) as PerValueReport;
    expect(r.firstDivergent).toBeNull();
    expect(r.budgetBytes).toBe(1024 * 1024);
    expect(r.counts.compared).toBeGreaterThan(0);
  });

  it('--per-value with --test-data, or a budget that is not positive, is a usage error', () => {
    const a = example('valid_2d');
    expect(run('verify', a, a, '--per-value', '--test-data', tmp).code).toBe(2);
    expect(run('verify', a, a, '--per-value', '--budget-mb', '0').code).toBe(2);
  });
});
