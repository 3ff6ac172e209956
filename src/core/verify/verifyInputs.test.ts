/** verify on given inputs: an int64 scalar picking a branch (as Silero VAD's `sr`), shapes, dtypes, expected outputs. */
import { describe, expect, it } from 'vitest';
import { writeModel } from '../onnx/modelIO';
import { fuse } from '../rewrite/fuse';
import { sileroLike } from '../testing/sileroLike';
import { createSession, makeOrtTensor, type OrtTensor } from './ortSession';
import { verify } from './verify';
import { resolveInputs, VerifyInputError } from './verifyInputs';
import type { TensorValue } from '../tensorFiles/tensorValue';

const model = sileroLike();
const bytes = writeModel(model);
const fused = writeModel(fuse(model).model);
const other = writeModel(sileroLike(3.5));

async function inputError(p: Promise<unknown>): Promise<VerifyInputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VerifyInputError) return e;
    throw e;
  }
  throw new Error('expected a VerifyInputError');
}

const clip: TensorValue = { dtype: 'float32', dims: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)) };

describe('verify on given inputs', () => {
  it('an int64 sample rate given as a value picks the branch: the fused model matches on both, a model that differs in the 8 kHz branch only fails there', async () => {
    expect(fuse(model).folded).toHaveLength(1);
    for (const sr of [16000, 8000]) {
      const r = await verify(bytes, fused, { runs: 1, inputs: { sr: { values: [sr] } } });
      expect(r.pass, `sr=${sr}`).toBe(true);
      expect(r.inputs.find((i) => i.name === 'sr')).toMatchObject({ dtype: 'int64', dims: [], source: 'user', origin: { kind: 'values' }, summary: { min: sr, max: sr } });
      expect(r.inputs.find((i) => i.name === 'input')!.origin).toEqual({ kind: 'random', seed: 42 });
    }
    expect((await verify(bytes, other, { runs: 1, inputs: { sr: { values: [16000] } } })).pass).toBe(true);
    const at8k = await verify(bytes, other, { runs: 1, inputs: { sr: { values: [8000] } } });
    expect(at8k.pass).toBe(false);
    expect(at8k.outputs.find((o) => o.name === 'output')!.pass).toBe(false);
  });

  it('an int64 input with no value is refused naming the flag; a value that is not a whole number too', async () => {
    const e = await inputError(verify(bytes, fused, { runs: 1 }));
    expect(e.problem).toBe('needs-values');
    expect(e.input).toBe('sr');
    expect(e.message).toContain('--input sr=VALUE');
    const half = await inputError(verify(bytes, fused, { runs: 1, inputs: { sr: { values: [16000.5] } } }));
    expect(half.problem).toBe('values');
    expect(half.message).toContain('16000.5 is not a whole number');
  });

  it('a given tensor binds the symbolic dims the random inputs then take; a shape or dtype that does not fit is refused naming both', async () => {
    const r = resolveInputs(model, { inputs: { input: { file: 'clip.npy', tensor: clip }, sr: { values: [16000] } } });
    expect(r.dims).toEqual([{ name: 'batch', value: 3, defaulted: false, setBy: 'input' }]);
    expect(r.inputs.find((i) => i.name === 'state')!.dims).toEqual([2, 3, 3]);
    expect(r.inputs[0]).toMatchObject({ name: 'input', origin: { kind: 'file', file: 'clip.npy' }, summary: { count: 12, min: Math.fround(Math.sin(11)) } });
    const wrong = await inputError(verify(bytes, fused, { runs: 1, inputs: { input: { dtype: 'float32', dims: [3, 5], data: new Float32Array(15) }, sr: { values: [16000] } } }));
    expect(wrong.problem).toBe('shape');
    expect(wrong.message).toBe('Input "input" is float32 [batch, 4], but the given value is [3, 5]: axis 1 is 5, not 4.');
    const conflict = await inputError(verify(bytes, fused, { runs: 1, dims: { batch: 2 }, inputs: { input: clip, sr: { values: [16000] } } }));
    expect(conflict.message).toContain('axis 0 (batch) is 3, but --dim batch=2');
    const f64 = await inputError(verify(bytes, fused, { runs: 1, inputs: { input: { file: 'clip64.npy', tensor: { dtype: 'float64', dims: [3, 4], data: new Float64Array(12) } }, sr: { values: [16000] } } }));
    expect(f64.problem).toBe('dtype');
    expect(f64.message).toContain('clip64.npy holds float64 [3, 4]; store it as float32');
    const unknown = await inputError(verify(bytes, fused, { runs: 1, inputs: { rate: { values: [1] } } }));
    expect(unknown.problem).toBe('unknown-input');
    expect(unknown.message).toContain('"sr" (int64 [])');
  });

  it('expected outputs computed by onnxruntime pass for both models; one wrong value fails the run in its own columns', async () => {
    const feeds: Record<string, OrtTensor> = {
      input: makeOrtTensor('float32', clip.data, clip.dims),
      state: makeOrtTensor('float32', new Float32Array(18).fill(0.25), [2, 3, 3]),
      sr: makeOrtTensor('int64', BigInt64Array.of(8000n), []),
    };
    const s = await createSession(bytes);
    const want = await s.run(feeds);
    await s.release();
    const out = Float32Array.from(want.output.data as Float32Array);
    const stateN = Float32Array.from(want.stateN.data as Float32Array);
    const inputs = { input: clip, state: { dtype: 'float32', dims: [2, 3, 3], data: new Float32Array(18).fill(0.25) } as TensorValue, sr: { values: [8000] } };
    const ok = await verify(bytes, fused, { runs: 1, inputs, expected: { output: { file: 'output_0.pb', tensor: { dtype: 'float32', dims: [3, 5], data: out } }, stateN: { dtype: 'float32', dims: [2, 3, 3], data: stateN } } });
    expect(ok.pass).toBe(true);
    const e = ok.outputs.find((o) => o.name === 'output')!.expected;
    expect(e).toMatchObject({ kind: 'compared', origin: { kind: 'file', file: 'output_0.pb' }, original: { pass: true, maxAbsError: 0 }, fused: { pass: true } });
    const bad = Float32Array.from(out);
    bad[7] += 0.5;
    const r = await verify(bytes, fused, { runs: 1, inputs, expected: { output: { dtype: 'float32', dims: [3, 5], data: bad } } });
    expect(r.pass).toBe(false);
    const o = r.outputs.find((x) => x.name === 'output')!;
    expect(o.pass).toBe(true);
    expect(o.expected.kind === 'compared' && [o.expected.original.pass, o.expected.fused.pass]).toEqual([false, false]);
    expect(o.expected.kind === 'compared' && o.expected.original.maxAbsError).toBeCloseTo(0.5, 5);
    const shape = await verify(bytes, fused, { runs: 1, inputs, expected: { output: { dtype: 'float32', dims: [5, 3], data: out } } });
    expect(shape.pass).toBe(false);
    expect(shape.problems[0]).toContain('The expected output "output" is [5, 3], but the model gives [3, 5]');
    const none = await inputError(verify(bytes, fused, { runs: 1, inputs, expected: { y: { dtype: 'float32', dims: [1], data: new Float32Array(1) } } }));
    expect(none.problem).toBe('unknown-output');
  });
});
