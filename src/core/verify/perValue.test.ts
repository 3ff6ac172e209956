/**
 * Per-value divergence: both models run with their shared values as outputs; the report names the
 * first value beyond tolerance and its producers. The numbers are onnxruntime's own.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import { fuse } from '../rewrite/fuse';
import { exampleById } from '../../examples/catalog';
import { planChunks, verifyPerValue } from './perValue';
import { verify } from './verify';

/** x → Relu → Mul(k) → Tanh → Add(c) → y; `k` differs between the two, so they part at the Mul. */
function chain(k: number[], extra: 'none' | 'extra-node' | 'other-shape'): Uint8Array {
  const b = new ModelBuilder('chain').opset(17).input('x', [4, 3]).output('y');
  b.init('k', [3], k).init('c', [3], [0.1, -0.2, 0.3]);
  b.node('Relu', ['x'], ['r'], {}, 'relu');
  b.node('Mul', ['r', 'k'], ['m'], {}, 'mul');
  b.node('Tanh', ['m'], ['t'], {}, 'tanh');
  if (extra === 'extra-node') {
    b.node('Identity', ['t'], ['t2'], {}, 'copy');
    b.node('Add', ['t2', 'c'], ['y'], {}, 'add');
  } else {
    b.node('Add', ['t', 'c'], ['y'], {}, 'add');
  }
  if (extra === 'other-shape') {
    // A value named like the other model's, but of another shape: a different tensor.
    b.initInts('axes', [1], [1]).node('ReduceSum', ['r', 'axes'], ['side'], { keepdims: 1 }, 'side').output('side');
  } else {
    b.node('Identity', ['r'], ['side'], {}, 'side').output('side');
  }
  return writeModel(b.build());
}

describe('verifyPerValue', () => {
  it('names the first value that differs, with its producer in each model, in topological order', async () => {
    const a = chain([1, 2, 3], 'none');
    const b = chain([1.5, 2.5, 3.5], 'extra-node');
    const r = await verifyPerValue(a, b);
    expect(r.pass).toBe(false);
    expect(r.firstDivergent?.name).toBe('m');
    expect(r.firstDivergent?.a).toMatchObject({ node: 'mul', opType: 'Mul' });
    expect(r.firstDivergent?.b).toMatchObject({ node: 'mul', opType: 'Mul' });
    // Before the Mul nothing differs; after it everything does.
    const byName = new Map(r.values.map((v) => [v.name, v]));
    expect(byName.get('r')).toMatchObject({ kind: 'compared', comparison: { pass: true } });
    expect(byName.get('t')).toMatchObject({ kind: 'compared', comparison: { pass: false } });
    expect(byName.get('y')).toMatchObject({ kind: 'compared', comparison: { pass: false } });
    expect(r.values.map((v) => v.name)).toEqual(['r', 'm', 't', 'y', 'side', 't2']);
    // t2 exists only in the second model.
    expect(byName.get('t2')).toMatchObject({ kind: 'unmatched', a: null, why: { kind: 'only-in-b' } });
    // The divergence agrees with verify on the outputs.
    const whole = await verify(a, b, { runs: 1 });
    const y = whole.outputs.find((o) => o.name === 'y')!;
    expect(byName.get('y')).toMatchObject({ comparison: { maxAbsError: y.maxAbsError } });
  });

  it('lists a same-named value of another shape as having no counterpart, and compares nothing it cannot match', async () => {
    const r = await verifyPerValue(chain([1, 2, 3], 'none'), chain([1, 2, 3], 'other-shape'));
    const side = r.values.find((v) => v.name === 'side');
    expect(side).toMatchObject({ kind: 'unmatched', why: { kind: 'type-differs', a: 'float32 [4, 3]', b: 'float32 [4, 1]' } });
    expect(r.pass).toBe(true);
    expect(r.firstDivergent).toBeNull();
    expect(r.counts.compared).toBe(4);
  });

  it('Apply anyway on the Transpose trap: the first divergent value is the folded pair’s output', async () => {
    const model = exampleById('transpose_wrong_axis')!.build();
    const analysis = analyzeModel(model);
    const pair = analysis.pairs[0];
    const res = fuse(analysis, { ignoreAxisRule: true });
    expect(res.incorrect).toBe(true);
    const r = await verifyPerValue(writeModel(model), writeModel(res.model));
    expect(r.pass).toBe(false);
    expect(r.firstDivergent?.name).toBe(pair.id);
    expect(r.firstDivergent?.a.opType).toBe('BatchNormalization');
    expect(r.firstDivergent?.comparison.maxRelError).toBeGreaterThan(0.1);
    // The rewritten MatMul output holds another quantity under the same name: listed, not compared.
    expect(r.values.find((v) => v.name === '/fc/MatMul_output_0')).toMatchObject({ kind: 'unmatched', why: { kind: 'rewritten' } });
  });

  for (const id of ['valid_2d', 'linear_reshape_bn', 'linear_transpose_bn', 'conv_bn', 'bn_linear']) {
    it(`a valid fold (${id}): nothing diverges`, async () => {
      const model = exampleById(id)!.build();
      const res = fuse(analyzeModel(model));
      expect(res.folded.length).toBeGreaterThan(0);
      const r = await verifyPerValue(writeModel(model), writeModel(res.model));
      expect(r.firstDivergent, JSON.stringify(r.firstDivergent)).toBeNull();
      expect(r.pass).toBe(true);
      expect(r.counts.compared).toBeGreaterThan(0);
    });
  }

  it('a small budget forces several chunks and gives the same result as one chunk', async () => {
    const model = exampleById('mlp')!.build();
    const res = fuse(analyzeModel(model));
    const a = writeModel(model);
    const b = writeModel(res.model);
    const one = await verifyPerValue(a, b);
    expect(one.chunks).toBe(1);
    // The largest value here is batch(2)·4·8 floats = 256 bytes, 512 for both runs.
    const stages: string[] = [];
    const many = await verifyPerValue(a, b, { budgetBytes: 600, onProgress: (s) => stages.push(s) });
    expect(many.chunks).toBeGreaterThan(2);
    expect(many.peakBytes).toBeLessThanOrEqual(600);
    expect(stages.some((s) => s.includes(`chunk 2 of ${many.chunks}`))).toBe(true);
    expect(many.values).toEqual(one.values);
    // A budget below one value's size: that value is not compared, and the report says how many were.
    const tiny = await verifyPerValue(a, b, { budgetBytes: 300 });
    expect(tiny.counts.tooBig).toBeGreaterThan(0);
    expect(tiny.counts.compared + tiny.counts.tooBig).toBe(one.counts.compared);
  });

  it('stops when cancelled', async () => {
    const bytes = writeModel(exampleById('mlp')!.build());
    const ctl = new AbortController();
    const run = verifyPerValue(bytes, bytes, { budgetBytes: 600, signal: ctl.signal, onProgress: (s) => s.includes('chunk 2') && ctl.abort() });
    await expect(run).rejects.toThrow(/abort/i);
  });
});

describe('planChunks', () => {
  it('fills each chunk up to the budget (two outputs per value), sets aside what alone exceeds it', () => {
    expect(planChunks([10, 10, 10, 60, 10], 50)).toEqual({ chunks: [[0, 1], [2, 4]], tooBig: [3] });
    // An unknown size counts as the largest known one.
    expect(planChunks([20, null, 5], 50)).toEqual({ chunks: [[0], [1, 2]], tooBig: [] });
  });
});
