/** `fusion-inspector verify` on the user's own inputs, as a real process: --input, --test-data, and its usage errors. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelBuilder } from '../core/onnx/builder';
import { writeModel } from '../core/onnx/modelIO';
import { encodeMessage } from '../core/onnx/protobufEncode';
import { TensorSpec } from '../core/onnx/schema';
import { encodeInts, makeFloatTensor, makeTensor } from '../core/onnx/tensor';
import { DataType } from '../core/onnx/types';
import { fuse } from '../core/rewrite/fuse';
import { bytesOf, npy } from '../core/testing/npyBytes';
import { sileroLike } from '../core/testing/sileroLike';
import { createSession, makeOrtTensor } from '../core/verify/ortSession';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../bin/fusion-inspector.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'fi-verify-'));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'verify', ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const write = (name: string, bytes: Uint8Array): string => {
  writeFileSync(join(tmp, name), bytes);
  return join(tmp, name);
};

const model = sileroLike();
const a = write('silero_like.onnx', writeModel(model));
const b = write('silero_like.fused.onnx', writeModel(fuse(model).model));
const other = write('silero_like.other.onnx', writeModel(sileroLike(3.5)));
const clip = Array.from({ length: 8 }, (_, i) => Math.cos(i) / 2);

/** A test data set whose expected outputs onnxruntime computes here from the original model. */
async function testDataSet(dir: string, sr: number, spoil: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const state = new Float32Array(12).fill(0.5);
  const s = await createSession(writeModel(model));
  const out = await s.run({ input: makeOrtTensor('float32', Float32Array.from(clip), [2, 4]), state: makeOrtTensor('float32', state, [2, 2, 3]), sr: makeOrtTensor('int64', BigInt64Array.of(BigInt(sr)), []) });
  await s.release();
  const expected = Float32Array.from(out.output.data as Float32Array);
  if (spoil) expected[3] += 0.25;
  const pb = (f: string, t: Parameters<typeof encodeMessage>[0]) => writeFileSync(join(dir, f), encodeMessage(t, TensorSpec));
  pb('input_0.pb', makeFloatTensor('input', [2, 4], clip));
  pb('input_1.pb', makeFloatTensor('state', [2, 2, 3], state));
  pb('input_2.pb', makeTensor('', DataType.INT64, [], encodeInts([sr], DataType.INT64)));
  pb('output_0.pb', makeFloatTensor('output', [2, 5], expected));
  pb('output_1.pb', makeFloatTensor('stateN', [2, 2, 3], Float32Array.from(out.stateN.data as Float32Array)));
}

describe('fusion-inspector verify on given inputs', () => {
  it('--input sr=16000 and sr=8000 take each branch: equivalent to the fused model on both; a model differing in the 8 kHz branch fails only there', () => {
    for (const sr of ['16000', '8000']) {
      const r = run(a, b, '--input', `sr=${sr}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^sr\\s+int64\\s+\\[\\]\\s+given values\\s+value ${sr}$`, 'm'));
      expect(r.stdout).toMatch(/^input\s+float32\s+\[2, 4\]\s+random \(seed 42\)\s+min /m);
      expect(r.stdout).toContain('EQUIVALENT');
      // Tolerances as people write them, not as float64 prints 1e-5.
      expect(r.stdout).toMatch(/\brtol 1e-5 atol 1e-6\b/);
    }
    expect(run(a, other, '--input', 'sr=16000').code).toBe(0);
    const at8k = run(a, other, '--input', 'sr=8000');
    expect(at8k.code).toBe(1);
    expect(at8k.stdout).toContain('NOT EQUIVALENT');
  });

  it('an int64 input not given is an error naming the flag to use, on one line', () => {
    const r = run(a, b);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Input "sr" is int64 []');
    expect(r.stderr).toContain('--input sr=VALUE');
    expect(r.stderr).not.toContain('onnxruntime could not');
  });

  it('--input NAME=@FILE reads .npy (big-endian too) and .pb files; the batch they bind is used for the other inputs; a shape that does not fit names both', () => {
    const f = write('clip.npy', npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 4), }", bytesOf(8, 4, (v, o, i) => v.setFloat32(o, clip[i], false))));
    const sr = write('sr.pb', encodeMessage(makeTensor('sr', DataType.INT64, [], encodeInts([16000], DataType.INT64)), TensorSpec));
    const r = run(a, b, '--input', `input=@${f}`, '--input', `sr=@${sr}`, '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.inputs.map((i: { name: string; origin: unknown }) => [i.name, i.origin])).toEqual([
      ['input', { kind: 'file', file: f }],
      ['state', { kind: 'random', seed: 42 }],
      ['sr', { kind: 'file', file: sr }],
    ]);
    expect(j.inputs[0].summary.max).toBe(Math.fround(Math.max(...clip)));
    expect(j.inputs[1].dims).toEqual([2, 2, 3]);
    expect(j.dims).toEqual([{ name: 'batch', value: 2, defaulted: false, setBy: 'input' }]);
    const wide = write('wide.npy', npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }", new Uint8Array(40)));
    const bad = run(a, b, '--input', `input=@${wide}`, '--input', 'sr=16000');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`fusion-inspector: Input "input" is float32 [batch, 4], but the given value (${wide}) is [2, 5]: axis 1 is 5, not 4.`);
    const fortran = write('f.npy', npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 4), }", new Uint8Array(32)));
    const fr = run(a, b, '--input', `input=@${fortran}`, '--input', 'sr=16000');
    expect(fr.code).toBe(2);
    expect(fr.stderr).toContain(`--input input: ${fortran}: This .npy file is in Fortran (column-major) order`);
    const missing = run(a, b, '--input', 'input=@nope.npy', '--input', 'sr=16000');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('fusion-inspector: --input input: cannot read nope.npy: no such file');
  });

  it('--test-data runs each set, compares both models with its stored outputs (computed by onnxruntime), and a wrong stored output fails', async () => {
    const root = join(tmp, 'silero_like');
    await testDataSet(join(root, 'test_data_set_0'), 16000, false);
    await testDataSet(join(root, 'test_data_set_1'), 8000, false);
    const r = run(a, b, '--test-data', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('a vs expected (max abs)');
    expect(r.stdout).toMatch(/test data set .*test_data_set_1 \(test_data_set_1\): 3 input\(s\), 2 expected output\(s\)/);
    expect(r.stdout).toMatch(/^sr\s+int64\s+\[\]\s+\S+test_data_set_1\/input_2\.pb\s+value 8000$/m);
    expect(r.stdout).toContain('2 of 2 test data set(s) equivalent');
    const j = JSON.parse(run(a, b, '--test-data', join(root, 'test_data_set_1'), '--json').stdout);
    expect(j.pass).toBe(true);
    expect(j.sets).toHaveLength(1);
    expect(j.sets[0].outputs[0].expected).toMatchObject({ kind: 'compared', original: { pass: true }, fused: { pass: true } });
    // The 8 kHz set against a model that differs there: the models disagree, and the second one misses the stored output.
    const diff = run(a, other, '--test-data', root);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('1 of 2 test data set(s) equivalent; failing: ');
    const spoiled = join(tmp, 'spoiled');
    await testDataSet(spoiled, 16000, true);
    const w = run(a, b, '--test-data', spoiled);
    expect(w.code).toBe(1);
    expect(w.stdout).toMatch(/^output\s+\[2, 5\]\s+\S+\s+\S+\s+\S+\s+rtol \S+ atol \S+\s+2\.500e-1 FAIL\s+2\.500e-1 FAIL\s+FAIL$/m);
    expect(w.stdout).toContain('NOT EQUIVALENT');
  });

  it('a model onnxruntime cannot run: the sentence the page shows, then onnxruntime’s own first line (exit 2)', () => {
    // BatchNormalization of 4 channels on an axis of 8: onnxruntime refuses it when the session loads.
    const bad = new ModelBuilder('bad').opset(17).input('x', [2, 8]).output('y');
    for (const name of ['s', 'bb', 'm', 'v']) bad.init(name, [4], Float64Array.from({ length: 4 }, () => 1));
    bad.node('BatchNormalization', ['x', 's', 'bb', 'm', 'v'], ['y'], {}, '/bn/BatchNormalization');
    const path = write('bad_bn.onnx', writeModel(bad.build()));
    const r = run(path, path);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/has tensors whose sizes do not fit together.*channels must equal the size of its input’s axis 1/);
    expect(lines[0]).not.toMatch(/ERROR_CODE|Status Message/);
    expect(lines[1]).toMatch(/^ {2}onnxruntime said: /);
  });

  it('usage errors: exit 2, the message first, no mention of onnxruntime', () => {
    const cases: [string[], string][] = [
      [['--rtol', 'abc'], 'fusion-inspector: --rtol needs a number, got "abc"'],
      [['--atol', ''], 'fusion-inspector: --atol needs a number, got ""'],
      [['--dim', 'foo=1', '--input', 'sr=1'], 'fusion-inspector: --dim foo: No input of the model has a dimension "foo"; its dynamic dims are batch.'],
      [['--input', 'sr'], 'fusion-inspector: --input takes NAME=VALUE[,VALUE...] or NAME=@FILE, got "sr"'],
      [['--input', 'sr=fast'], 'fusion-inspector: --input sr: "fast" is not a number'],
      [['--input', 'rate=16000'], 'fusion-inspector: --input rate=…: The model has no input "rate"; its inputs are "input" (float32 [batch, 4]), "state" (float32 [2, batch, 3]), "sr" (int64 []).'],
      [['--test-data', join(tmp, 'no-such-dir')], `fusion-inspector: --test-data: cannot read ${join(tmp, 'no-such-dir')}: no such folder`],
    ];
    for (const [args, first] of cases) {
      const r = run(a, b, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).toBe(first);
      expect(r.stderr).not.toContain('onnxruntime could not');
      expect(r.stdout).toBe('');
    }
  });
});
