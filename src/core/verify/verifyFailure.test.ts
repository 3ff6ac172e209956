/** Verify failures in words: onnxruntime's real messages (provoked here) mapped to sentences, its text kept as the details. */
import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import { DataType } from '../onnx/types';
import { buildPlayground, parsePlayground, DEFAULT_FORM } from '../../examples/playground';
import { createSession } from './ortSession';
import { verify, verifyFailureOf, VerifyError } from './verify';
import { describeVerifyFailure, failedAt, failureOfError, VerifyFailedError, type VerifyFailure } from './verifyFailure';

/** A BatchNormalization of 4 channels on `x`, which has the given shape. */
function bnModel(shape: (number | string)[]): Uint8Array {
  const b = new ModelBuilder('m').opset(17).input('x', shape).output('y');
  for (const p of ['s', 'b', 'm', 'v']) b.init(p, [4], Float64Array.from({ length: 4 }, () => 1));
  b.node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], {}, '/bn/BatchNormalization');
  return writeModel(b.build());
}

async function failureOf(p: Promise<unknown>): Promise<VerifyFailure> {
  try {
    await p;
  } catch (e) {
    return verifyFailureOf(e);
  }
  throw new Error('expected a failure');
}

/** What every failure shown to people must be: a sentence of our own, onnxruntime's text only in `raw`. */
function expectWords(f: VerifyFailure): void {
  expect(f.sentence).toMatch(/^[A-Zo].*\.$/s);
  expect(f.sentence).not.toMatch(/ERROR_CODE|ERROR_MESSAGE|Status Message|\.h:\d+/);
}

describe('verify failures in words', () => {
  it('the playground’s old invalid model (BatchNorm of 4 channels on an axis of 8): a shape sentence, the raw text kept', async () => {
    // Built past the validator, as the playground used to: [batch, 4, 8] → MatMul (8) → Transpose (0, 2, 1) → BN (4).
    const parsed = parsePlayground({ ...DEFAULT_FORM, input: 'batch, 4, 8', linear: 'MatMul', out: '8', between: 'transpose', perm: '0, 2, 1' });
    if (!parsed.ok) throw new Error(parsed.problems.join(' '));
    const bytes = writeModel(buildPlayground({ ...parsed.spec, channels: 4 }));
    const f = await failureOf(verify(bytes, bytes, { runs: 1 }));
    expect(f.code).toBe('SHAPE_MISMATCH');
    expect(f.sentence).toContain('The model as opened has tensors whose sizes do not fit together');
    expect(f.sentence).toContain('channels must equal the size of its input’s axis 1');
    expect(f.raw).toContain('Dimension mismatch in unification between 4 and 8');
    expectWords(f);
  });

  it('a size met only at run time names the node; a fold that breaks what the original ran is blamed on the fold', async () => {
    const run = await failureOf(verify(bnModel(['batch', 'c']), bnModel(['batch', 'c']), { runs: 1, dims: { c: 8 } }));
    expect(run.code).toBe('SHAPE_MISMATCH');
    expect(run.sentence).toContain('at node “/bn/BatchNormalization” (BatchNormalization), so onnxruntime cannot run it');
    expectWords(run);
    const relu = writeModel(new ModelBuilder('m').opset(17).input('x', [2, 8]).output('y').node('Relu', ['x'], ['y']).build());
    const fused = await failureOf(verify(relu, bnModel([2, 8]), { runs: 1 }));
    expect(fused.code).toBe('SHAPE_MISMATCH');
    expect(fused.sentence).toContain('The folded model has tensors whose sizes do not fit together');
    expect(fused.sentence).toContain('the fold caused it: undo the fold');
    expectWords(fused);
  });

  it('type mismatch, unknown operator, unreleased opset, missing input and a damaged file each get their sentence', async () => {
    const types = new ModelBuilder('m').opset(17).input('x', [2, 3]).input('z', [2, 3], DataType.DOUBLE).output('y').node('Add', ['x', 'z'], ['y'], {}, '/Add');
    const t = await failureOf(verify(writeModel(types.build()), writeModel(types.build()), { runs: 1 }));
    expect([t.code, t.sentence], t.raw ?? '').toEqual(['TYPE_MISMATCH', expect.stringContaining('mixes element types at node “/Add” (Add)')]);
    const op = writeModel(new ModelBuilder('m').opset(17).input('x', [2, 3]).output('y').node('FooBar', ['x'], ['y'], {}, '/Foo').build());
    const u = await failureOf(verify(op, op, { runs: 1 }));
    expect([u.code, u.sentence]).toEqual(['UNSUPPORTED_OP', expect.stringContaining('the operator FooBar')]);
    const future = writeModel(new ModelBuilder('m').opset(99).input('x', [2, 3]).output('y').node('Relu', ['x'], ['y']).build());
    expect((await failureOf(verify(future, future, { runs: 1 }))).code).toBe('UNSUPPORTED_OP');
    const session = await createSession(writeModel(new ModelBuilder('m').opset(17).input('x', [2, 3]).output('y').node('Relu', ['x'], ['y']).build()));
    const missing = await failureOf(session.run({}).catch(failedAt('run-original')));
    expect([missing.code, missing.sentence]).toEqual(['MISSING_INPUT', expect.stringContaining('needs the input “x”')]);
    const damaged = await failureOf(createSession(new Uint8Array([1, 2, 3, 4, 5])));
    expect(damaged.code).toBe('INVALID_MODEL');
    for (const f of [t, u, missing, damaged]) expectWords(f);
  });

  it('out of memory, a cancel, the verifier’s own words and anything unrecognised', () => {
    // The wasm build's and onnxruntime's allocation failures cannot be provoked reliably in a test: their texts as they read.
    for (const raw of ['Aborted(OOM)', 'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded', 'Failed to allocate memory for requested buffer of size 1073741824', 'RangeError: Array buffer allocation failed'])
      expect(describeVerifyFailure(raw, 'run-original').code, raw).toBe('OUT_OF_MEMORY');
    expect(describeVerifyFailure('Aborted(OOM)', 'run-original').sentence).toContain('Memory ran out while running the model as opened');
    expect(describeVerifyFailure('Cancelled.', null).code).toBe('CANCELLED');
    const own = verifyFailureOf(new VerifyError('Input "x" has no declared shape; supply its values or dims.'));
    expect(own).toEqual({ code: 'CANNOT_COMPARE', sentence: 'Input "x" has no declared shape; supply its values or dims.', raw: null });
    const odd = describeVerifyFailure('RuntimeError: memory access out of bounds', 'load-original');
    expect(odd.code).toBe('UNKNOWN');
    expect(odd.sentence).toContain('for a reason Fusion Inspector does not recognise');
    expect(odd.raw).toBe('RuntimeError: memory access out of bounds');
    // A failure sent across the worker boundary arrives as it was.
    expect(failureOfError(new VerifyFailedError(odd))).toEqual(odd);
    for (const f of [own, odd]) expectWords(f);
  });
});
