/** The playground's models: the verdicts the rules give, folds that onnxruntime confirms, and forms refused in words. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../core/analysis';
import { fuseAndVerify } from '../core/testing/fuseAndVerify';
import { DEFAULT_FORM, buildPlayground, parsePlayground, playgroundFromParams, playgroundParams, type PlaygroundForm } from './playground';

function model(f: Partial<PlaygroundForm>) {
  const parsed = parsePlayground({ ...DEFAULT_FORM, ...f });
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  return buildPlayground(parsed.spec);
}

const codes = (f: Partial<PlaygroundForm>) => analyzeModel(model(f)).pairs.map((p) => [p.pattern, p.fusable, p.reasons.map((r) => r.code).join(',')]);

describe('playground', () => {
  it('rank 2 is fusable, and the fold verifies in onnxruntime', async () => {
    expect(codes({})).toEqual([['linear-bn', true, '']]);
    const { report } = await fuseAndVerify(model({}));
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('rank 3 is not, even when the sizes match', () => {
    expect(codes({ input: 'batch, 5, 3', linear: 'MatMul+Add', out: '5', channels: '5' })).toEqual([['linear-bn', false, 'LINEAR_OUTPUT_RANK']]);
    expect(codes({ input: '2, 2, 3', linear: 'MatMul', out: '5', channels: '2' })).toEqual([['linear-bn', false, 'LINEAR_OUTPUT_RANK,CHANNEL_MISMATCH']]);
  });

  it('a Transpose that brings the features to axis 1 fixes it, and the fold verifies', async () => {
    const f = { input: 'batch, 6, 3', linear: 'MatMul+Add' as const, out: '4', between: 'transpose' as const, perm: '0, 2, 1', channels: '4' };
    expect(codes(f)).toEqual([['linear-transpose-bn', true, '']]);
    const { report } = await fuseAndVerify(model(f));
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(codes({ ...f, input: '4, 3', linear: 'MatMul', perm: '1, 0' })).toEqual([['linear-transpose-bn', false, 'TRANSPOSE_AXIS']]);
  });

  it('a Reshape keeping features whole folds and verifies; one mixing them does not', async () => {
    const ok = { input: 'batch, 3', out: '8', between: 'reshape' as const, reshape: '-1, 2, 4', channels: '2' };
    expect(codes(ok)).toEqual([['linear-reshape-bn', true, '']]);
    const { report } = await fuseAndVerify(model(ok));
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(codes({ input: '4, 3', linear: 'MatMul', out: '4', between: 'reshape', reshape: '2, 4, 2', channels: '4' })).toEqual([['linear-reshape-bn', false, 'RESHAPE_AXIS']]);
  });

  it('says what is wrong with a form, in words', () => {
    const bad = (f: Partial<PlaygroundForm>) => {
      const p = parsePlayground({ ...DEFAULT_FORM, ...f });
      return p.ok ? [] : p.problems.join(' ');
    };
    expect(bad({ input: 'batch, 2, 3' })).toContain('Gemm takes a 2-D input');
    expect(bad({ input: '3' })).toContain('2 to 5 dims');
    expect(bad({ input: 'batch, n' })).toContain('must be a number');
    expect(bad({ input: 'batch, 3!' })).toContain('neither a size nor a name');
    expect(bad({ out: '0' })).toContain('Out-features');
    expect(bad({ channels: 'x' })).toContain('channels');
    expect(bad({ between: 'transpose', perm: '0, 0' })).toContain('each once');
    expect(bad({ input: '4, 3', between: 'reshape', reshape: '3, 3' })).toContain('cannot turn');
    expect(bad({ between: 'reshape', reshape: '-1, -1' })).toContain('Only one');
    expect(bad({ input: '100000, 3' })).toContain('between 1 and');
  });

  it('the URL holds the form: read back the same', () => {
    const f: PlaygroundForm = { input: 'batch, 6, 3', linear: 'MatMul', out: '4', between: 'transpose', perm: '0, 2, 1', reshape: '-1, 5, 1', channels: '4' };
    const p = new URLSearchParams(playgroundParams(f));
    expect(playgroundFromParams((k) => p.get(k))).toEqual(f);
    // Unknown values fall back to the defaults rather than reaching the builder.
    expect(playgroundFromParams((k) => (k === 'lin' ? 'Conv' : null)).linear).toBe(DEFAULT_FORM.linear);
  });
});
