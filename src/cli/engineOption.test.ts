/** `--engine web|node` on verify and ort-check as a real process: parsing, the report's engine, and the same verdicts from both engines. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeModel } from '../core/analysis';
import { writeModel } from '../core/onnx/modelIO';
import { fuse } from '../core/rewrite/fuse';
import type { OrtCheckReport } from '../core/verify/ortCheck';
import type { VerifyReport } from '../core/verify/verify';
import { exampleById } from '../examples/catalog';
import { ModelBuilder } from '../core/onnx/builder';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../bin/fusion-inspector.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'fi-engine-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The Transpose trap as it is, and with its refused pair folded anyway (the wrong axis). */
function trap(): { path: string; naive: string } {
  const model = exampleById('transpose_wrong_axis')!.build();
  const path = join(tmp, 'trap.onnx');
  const naive = join(tmp, 'trap.naive.onnx');
  writeFileSync(path, writeModel(model));
  writeFileSync(naive, writeModel(fuse(analyzeModel(model), { ignoreAxisRule: true }).model));
  return { path, naive };
}

describe('--engine', () => {
  it('takes web or node only: anything else is a usage error naming both (exit 2), for verify and ort-check', () => {
    const { path } = trap();
    for (const [cmd, ...args] of [
      ['verify', path, path],
      ['ort-check', path],
    ]) {
      const r = run(cmd, ...args, '--engine', 'wasm');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--engine takes web or node, got "wasm"');
      expect(r.stderr).toContain(`usage: fusion-inspector ${cmd} `);
      expect(r.stdout).toBe('');
    }
    expect(run('verify', path, path, '--runs', '1').stderr).toContain('--runs needs a whole number of at least 2, got 1');
  });

  it('the report names the engine that ran, in text and JSON; without --engine it is onnxruntime-node', () => {
    const { path } = trap();
    for (const engine of ['web', 'node'] as const) {
      const pkg = `onnxruntime-${engine}`;
      const text = run('verify', path, path, '--engine', engine);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^engine: ${pkg} \\d+\\.\\d+\\.\\d+ \\(${engine === 'web' ? 'wasm' : 'native CPU'}\\)$`, 'm'));
      const json = JSON.parse(run('verify', path, path, '--engine', engine, '--json').stdout) as VerifyReport;
      expect(json.engine).toMatchObject({ name: engine, package: pkg });
      const check = JSON.parse(run('ort-check', path, '--engine', engine, '--json').stdout) as OrtCheckReport;
      expect(check.comparison.engine.name).toBe(engine);
    }
    expect((JSON.parse(run('verify', path, path, '--json').stdout) as VerifyReport).engine.name).toBe('node');
  });

  it('the Transpose trap: both engines give the same verdicts for verify and ort-check', () => {
    const { path, naive } = trap();
    const verdicts = (['web', 'node'] as const).map((engine) => {
      const kept = run('verify', path, path, '--engine', engine);
      const folded = run('verify', path, naive, '--engine', engine, '--json');
      const check = run('ort-check', path, '--engine', engine, '--level', 'basic', '--json');
      const r = JSON.parse(check.stdout) as OrtCheckReport;
      return { kept: kept.code, folded: folded.code, foldedPass: (JSON.parse(folded.stdout) as VerifyReport).pass, check: check.code, cause: r.cause.kind, pairs: r.cause.kind === 'confirmed' ? r.cause.pairs : [] };
    });
    expect(verdicts[0]).toEqual({ kept: 0, folded: 1, foldedPass: false, check: 1, cause: 'confirmed', pairs: ['y'] });
    expect(verdicts[1]).toEqual(verdicts[0]);
  });

  it('ort-check --engine node counts the BatchNormalizations left in onnxruntime’s optimized model; --engine web says why it cannot', () => {
    const { path } = trap();
    const node = run('ort-check', path, '--engine', 'node');
    expect(node.stdout).toContain("onnxruntime's optimized model still has 0 BatchNormalization node(s)");
    const web = run('ort-check', path, '--engine', 'web');
    expect(web.stdout).toContain('BatchNormalizations left after optimization: not counted — onnxruntime-web cannot write its optimized model');
  });

  it('a model at an opset the engine does not run: the sentence names the engine that ran it, for verify and ort-check', () => {
    const future = join(tmp, 'future.onnx');
    writeFileSync(future, writeModel(new ModelBuilder('m').opset(99).input('x', [2, 3]).output('y').node('Relu', ['x'], ['y']).build()));
    for (const engine of ['web', 'node'] as const) {
      const other = engine === 'web' ? 'node' : 'web';
      for (const args of [['verify', future, future], ['ort-check', future]]) {
        const r = run(...args, '--engine', engine);
        expect(r.code, r.stderr).toBe(2);
        const sentence = r.stderr.split('\n')[0];
        expect(sentence).toContain(`at an opset version onnxruntime-${engine} does not run`);
        expect(sentence).not.toContain(`onnxruntime-${other}`);
      }
    }
  });
});
