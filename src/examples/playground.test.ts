/** The playground's models: the verdicts the rules give, folds that onnxruntime confirms, and forms refused in words. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../core/analysis';
import { fuseAndVerify } from '../core/testing/fuseAndVerify';
import { writeModel } from '../core/onnx/modelIO';
import { createSession, makeOrtTensor } from '../core/verify/ortSession';
import { DEFAULT_FORM, buildPlayground, channelsHint, parsePlayground, playgroundFromParams, playgroundParams, type PlaygroundForm, type PlaygroundSpec } from './playground';

function model(f: Partial<PlaygroundForm>) {
  const parsed = parsePlayground({ ...DEFAULT_FORM, ...f });
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  return buildPlayground(parsed.spec);
}

const list = (s: string) => s.split(',').map((t) => t.trim());

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

  it('BatchNorm’s channels follow the axis it normalizes while the field is empty, and a typed count that does not fit is refused in words', () => {
    // The new user's case: [batch, 4, 8] → MatMul (8) → Transpose (0, 2, 1) puts the 8 features on axis 1.
    const f = { input: 'batch, 4, 8', linear: 'MatMul' as const, out: '8', between: 'transpose' as const, perm: '0, 2, 1' };
    const typed = parsePlayground({ ...DEFAULT_FORM, ...f, channels: '4' });
    expect(typed.ok).toBe(false);
    expect(typed.ok ? '' : typed.problems.join(' ')).toContain('BatchNorm has 4 channels, but it normalizes axis 1 of [batch, 8, 4]');
    expect(typed.ok ? '' : typed.problems.join(' ')).toContain('set channels to 8');
    const followed = parsePlayground({ ...DEFAULT_FORM, ...f, channels: '' });
    expect(followed.ok && followed.spec.channels).toBe(8);
    expect(channelsHint(followed.axis)).toContain('8 channels, following that axis');
    // Without the Transpose, axis 1 holds the 4: followed, and the rank rule (not a crash) has its say.
    const plain = parsePlayground({ ...DEFAULT_FORM, ...f, between: 'none', channels: '' });
    expect(plain.ok && plain.spec.channels).toBe(4);
    expect(codes({ ...f, between: 'none', channels: '' })).toEqual([['linear-bn', false, 'LINEAR_OUTPUT_RANK,CHANNEL_MISMATCH']]);
  });

  it('refuses, in words, a BatchNorm on a named axis and a Reshape that fits one batch size only', () => {
    const bad = (f: Partial<PlaygroundForm>) => {
      const p = parsePlayground({ ...DEFAULT_FORM, ...f });
      return p.ok ? '' : p.problems.join(' ');
    };
    expect(bad({ input: 'batch, 3', linear: 'MatMul', between: 'transpose', perm: '1, 0' })).toContain('axis is “batch”, a size known only when the model runs');
    expect(bad({ input: '4, batch, 3', linear: 'MatMul' })).toContain('axis is “batch”');
    expect(bad({ input: 'batch, 3', out: '8', between: 'reshape', reshape: '2, 2, 4' })).toContain('for one value of batch only');
    expect(bad({ input: 'batch, 3', out: '8', between: 'reshape', reshape: '2, -1' })).toContain('axis is “batch×4”');
    expect(bad({ input: '2, 3', out: '8', between: 'reshape', reshape: '-1, 0, 0' })).toContain('has no axis 2');
    expect(bad({ input: 'batch, 3', out: '8', between: 'reshape', reshape: '-1, 3' })).toContain('not a multiple of 3');
  });

  it('every form the validator accepts over a grid of small shapes builds a model that runs in onnxruntime', async () => {
    const perms = (r: number): number[][] => (r === 0 ? [[]] : perms(r - 1).flatMap((p) => Array.from({ length: r }, (_, i) => [...p.slice(0, i), r - 1, ...p.slice(i)])));
    const reshapes = ['-1, 2, 3', '0, -1', '-1, 4', '0, 2, -1', '2, -1', '0, 0, -1', '-1, 2, 2, 1', '4, 6', '0, 3, -1', '2, 2, 2', '0, 0, 2, -1', '1, -1, 2', '-1, 1'];
    const specs = new Map<string, PlaygroundSpec>();
    const variants = new Set<string>();
    for (const input of ['batch, 3', '2, 3', '1, 3', 'batch, 4, 3', '2, 4, 3', 'batch, 2, 4, 3', '4, batch, 3', 'batch, 2, 2, 2, 3'])
      for (const linear of ['Gemm', 'MatMul', 'MatMul+Add'] as const)
        for (const out of ['4', '6', '1'])
          for (const channels of ['', '1', '2', '3', '4', '6'])
            for (const [between, extra] of [
              ['none', {}],
              ...perms(list(input).length).map((p) => ['transpose', { perm: p.join(', ') }] as const),
              ...reshapes.map((r) => ['reshape', { reshape: r }] as const),
            ] as const) {
              const p = parsePlayground({ ...DEFAULT_FORM, input, linear, out, channels, between, ...extra });
              if (!p.ok) continue;
              specs.set(JSON.stringify(p.spec), p.spec);
              variants.add(`${linear} ${between} ${input.includes('batch') ? 'symbolic' : 'fixed'}`);
            }
    // The grid reaches every variant: each Linear with each op between, with a fixed and a symbolic batch.
    expect(variants.size).toBe(3 * 3 * 2);
    expect(specs.size).toBeGreaterThan(200);
    const failures: string[] = [];
    for (const spec of specs.values()) {
      // A named dim is run at two sizes: a Reshape that fits one batch size only would fail at one of them.
      for (const named of [1, 3]) {
        const dims = spec.input.map((d) => (typeof d === 'number' ? d : named));
        try {
          const session = await createSession(writeModel(buildPlayground(spec)));
          const n = dims.reduce((a, b) => a * b, 1);
          await session.run({ x: makeOrtTensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i)), dims) });
          await session.release();
        } catch (e) {
          failures.push(`${JSON.stringify(spec)} at [${dims.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (spec.input.every((d) => typeof d === 'number')) break;
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('the URL holds the form: read back the same', () => {
    const f: PlaygroundForm = { input: 'batch, 6, 3', linear: 'MatMul', out: '4', between: 'transpose', perm: '0, 2, 1', reshape: '-1, 5, 1', channels: '4', bias: '1, 4', norm: 'mul-add', affine: '1, 1, 4' };
    const p = new URLSearchParams(playgroundParams(f));
    expect(playgroundFromParams((k) => p.get(k))).toEqual(f);
    // Unknown values fall back to the defaults rather than reaching the builder.
    expect(playgroundFromParams((k) => (k === 'lin' ? 'Conv' : null)).linear).toBe(DEFAULT_FORM.linear);
    expect(playgroundFromParams((k) => (k === 'norm' ? 'LayerNorm' : null)).norm).toBe(DEFAULT_FORM.norm);
  });
});

describe('playground: the bias and BatchNorm as exporters write them', () => {
  const bad = (f: Partial<PlaygroundForm>) => {
    const p = parsePlayground({ ...DEFAULT_FORM, ...f });
    return p.ok ? '' : p.problems.join(' ');
  };

  it('a bias Add of [1, F] folds and verifies; one value per row ([4, 1] on [4, 5]) is BIAS_AXIS; a shape that does not broadcast is refused in words', async () => {
    const f = { input: 'batch, 3', linear: 'MatMul+Add' as const, out: '5', bias: '1, 5' };
    expect(codes(f)).toEqual([['linear-bn', true, '']]);
    const { report } = await fuseAndVerify(model(f));
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(codes({ ...f, input: '4, 3', bias: '4, 1' })).toEqual([['linear-bn', false, 'BIAS_AXIS']]);
    expect(bad({ ...f, bias: '3' })).toContain('does not broadcast against [batch, 5]: lined up from the last axis, its 3 meets axis 1, which has 5');
    expect(bad({ ...f, bias: '2, 1' })).toContain('meets axis 0, which has “batch”');
    expect(bad({ ...f, bias: '1, 1, 5' })).toContain('more axes than the value it meets');
    expect(bad({ ...f, bias: 'x' })).toContain('1 to 5 sizes');
  });

  it('BatchNorm as Mul + Add: per feature folds and verifies at rank 3 (LayerScale-like), per row is BIAS_AXIS, only straight after the Linear', async () => {
    const f = { input: 'batch, 4, 3', linear: 'MatMul+Add' as const, out: '6', norm: 'mul-add' as const, affine: '' };
    expect(codes(f)).toEqual([['linear-affine', true, '']]);
    const { report } = await fuseAndVerify(model(f));
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(codes({ ...f, affine: '4, 1' })).toEqual([['linear-affine', false, 'BIAS_AXIS,BIAS_AXIS']]);
    expect(bad({ ...f, affine: '6, 1' })).toContain('does not broadcast against [batch, 4, 6]');
    expect(bad({ ...f, between: 'transpose', perm: '0, 2, 1' })).toContain('only straight after the Linear');
    expect(bad({ ...f, channels: 'x' })).toBe('');
  });

  it('every accepted bias and Mul + Add shape over a grid builds a model that runs in onnxruntime', async () => {
    const shapes = ['', '1', '4', '6', '1, 4', '2, 1', '3, 1', '1, 1, 4', '2, 1, 1', '1, 2, 1, 4'];
    const specs = new Map<string, PlaygroundSpec>();
    for (const input of ['batch, 3', '2, 3', '3, 3', 'batch, 2, 3', '3, 2, 3'])
      for (const linear of ['Gemm', 'MatMul', 'MatMul+Add'] as const)
        for (const norm of ['batchnorm', 'mul-add'] as const)
          for (const bias of linear === 'MatMul+Add' ? shapes : [''])
            for (const affine of norm === 'mul-add' ? shapes : ['']) {
              const p = parsePlayground({ ...DEFAULT_FORM, input, linear, out: '4', bias, norm, affine });
              if (p.ok) specs.set(JSON.stringify(p.spec), p.spec);
            }
    expect(specs.size).toBeGreaterThan(60);
    const kinds = new Set([...specs.values()].map((s) => `${s.norm.op} ${analyzeModel(buildPlayground(s)).pairs.some((p) => p.reasons.some((r) => r.code === 'BIAS_AXIS'))}`));
    // The grid holds both verdicts for both forms: constants on the features and on another axis.
    expect([...kinds].sort()).toEqual(['batchnorm false', 'batchnorm true', 'mul-add false', 'mul-add true']);
    const failures: string[] = [];
    for (const spec of specs.values()) {
      const dims = spec.input.map((d) => (typeof d === 'number' ? d : 2));
      try {
        const session = await createSession(writeModel(buildPlayground(spec)));
        await session.run({ x: makeOrtTensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), dims) });
        await session.release();
      } catch (e) {
        failures.push(`${JSON.stringify(spec)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
