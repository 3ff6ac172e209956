/**
 * The generative, differential fold fuzzer: random valid models around every fold pattern, with
 * onnxruntime as the oracle. `npm run fuzz -- --folds` runs the long version.
 */
import { describe, expect, it } from 'vitest';
import { PATTERN_LIST } from '../patterns/registry';
import type { Pair } from '../rules/pair';
import type { FoldCase } from './foldCase';
import { generateCase } from './foldGenerators';
import { runFoldCase } from './foldOracles';
import { failureText, runFoldFuzz, shapeClass, type FoldRunSummary } from './foldRun';
import { shrinkCase } from './shrinkCase';

const base = { opset: 17, dtype: 'float32', symbolic: false, params: 'initializer', reader: { kind: 'none' }, seed: 5 } as const;

/** MatMul [3, 4] · [4, 3] → Transpose [1, 0] → BN: channels are the 3 rows, refused with TRANSPOSE_AXIS, and onnxruntime folds it anyway. */
const transposeTrap: FoldCase = {
  ...base,
  generator: 'test',
  input: [3, 4],
  stages: [
    { op: 'matmul', out: 3, add: 'none' },
    { op: 'transpose', perm: [1, 0] },
    { op: 'bn', training: false, epsilon: 1e-5 },
  ],
};

/** Every generator feature the 2,000-case run must exercise. */
const FEATURES = [
  ...Array.from({ length: 18 }, (_, i) => `opset:${7 + i}`),
  ...['float32', 'float16', 'float64'].map((d) => `dtype:${d}`),
  ...['initializer', 'constant-node', 'ir3-listed', 'computed', 'graph-input'].map((p) => `params:${p}`),
  ...['none', 'node', 'graph-output', 'if-body', 'loop-body'].map((r) => `reader:${r}`),
  'dims:symbolic',
  'dims:fixed',
  'gemm:transA',
  'gemm:transB',
  'gemm:alpha',
  'gemm:beta',
  ...['N', '1N', 'scalar', 'none'].map((b) => `gemm:bias-${b}`),
  ...[2, 3, 4].map((r) => `matmul:rank-${r}`),
  'matmul:add-x+b',
  'matmul:add-b+x',
  ...['conv', 'convtranspose'].flatMap((op) => ['1d', '2d', '3d'].map((d) => `${op}:${d}`)),
  'conv:groups',
  'conv:dilation',
  'conv:pads',
  'conv:strides',
  ...['transpose', 'reshape', 'flatten', 'squeeze', 'unsqueeze', 'add-const', 'mul-const'].map((op) => `op:${op}`),
  'bn:training',
  'bn:several',
  'gen:chain',
  // Every registered pattern, found both fusable and refused.
  ...PATTERN_LIST.flatMap((p) => [`pattern:${p.id}:fusable`, `pattern:${p.id}:refused`]),
];

describe('fold fuzz', () => {
  let summary: FoldRunSummary;

  it('2,000 seeded cases: no miscompile, no false refusal, onnxruntime wrong only where we refuse, deterministic', async () => {
    summary = await runFoldFuzz({ cases: 2000, seed: 20261125 });
    expect(summary.failures.map(failureText)).toEqual([]);
    // The oracles were reached: folds verified, naive folds run, onnxruntime caught folding on the wrong axis.
    expect(summary.folded).toBeGreaterThan(500);
    expect(summary.naiveChecked).toBeGreaterThan(100);
    expect(summary.ortRows.some((r) => r.fusion === 'MatMul → Transpose → BatchNormalization' && r.cause === 'confirmed')).toBe(true);
    expect(summary.ortRows.some((r) => r.fusion === 'MatMul → Reshape → BatchNormalization' && r.cause === 'confirmed')).toBe(true);
    // Under 3 minutes on the 2-core machine with everything else running.
    expect(summary.ms).toBeLessThan(180_000);
  }, 300_000);

  it('each generator feature appears in the 2,000-case run', () => {
    expect(summary, 'runs after the 2,000-case test').toBeDefined();
    expect(FEATURES.filter((f) => !summary.features[f])).toEqual([]);
  });

  it('is seeded: the same seed and index give the same case', () => {
    expect(generateCase(7, 123)).toEqual(generateCase(7, 123));
    expect(generateCase(7, 123)).not.toEqual(generateCase(7, 124));
  });

  it('the miscompile oracle catches a wrong fold (the naive fold of a refused pair)', async () => {
    const right = await runFoldCase(transposeTrap);
    expect(right.failures).toEqual([]);
    const wrong = await runFoldCase(transposeTrap, { fuseOptions: { ignoreAxisRule: true } });
    expect(wrong.failures.map((f) => f.oracle)).toContain('miscompile');
  });

  it('the false-refusal oracle catches a needless refusal', async () => {
    const rank2: FoldCase = { ...base, generator: 'test', input: [2, 3], stages: [{ op: 'matmul', out: 4, add: 'none' }, { op: 'bn', training: false, epsilon: 1e-5 }] };
    // A fusable pair presented as refused by the axis rule alone: its naive fold is the right one.
    const refuse = (pairs: Pair[]): Pair[] => pairs.map((p) => ({ ...p, fusable: false, reasons: [{ code: 'LINEAR_OUTPUT_RANK', message: 'test' }] }));
    const o = await runFoldCase(rank2, { verdicts: refuse });
    expect(o.failures.map((f) => f.oracle)).toEqual(['false-refusal']);
    expect((await runFoldCase(rank2)).failures).toEqual([]);
  });

  it('onnxruntime’s wrong-axis fold is recorded against the pair we refuse, confirmed by our naive fold', async () => {
    const o = await runFoldCase(transposeTrap);
    expect(o.pairs).toEqual([{ pattern: 'linear-transpose-bn', fusable: false, codes: ['TRANSPOSE_AXIS'] }]);
    expect(o.ortMiscompiles.map((m) => [m.level, m.fusion, m.cause])).toEqual([
      ['basic', 'MatMul → Transpose → BatchNormalization', 'confirmed'],
      ['all', 'MatMul → Transpose → BatchNormalization', 'confirmed'],
    ]);
    expect(o.naiveChecked).toBe(1);
  });

  it('shrinks a failing case to a minimal description', async () => {
    const big = generateCase(3, 0).case;
    const chain: FoldCase = { ...big, stages: [...transposeTrap.stages, { op: 'matmul', out: 2, add: 'x+b' }, { op: 'bn', training: true, epsilon: 0.1 }], input: [3, 5], dtype: 'float16', opset: 12, reader: { kind: 'node', at: 1 } };
    const small = await shrinkCase(chain, async (c) => c.stages.some((s) => s.op === 'transpose'));
    expect(small.stages).toEqual([{ op: 'transpose', perm: [1, 0] }]);
    expect(small).toMatchObject({ input: [1, 1], dtype: 'float32', opset: 17, reader: { kind: 'none' } });
  });

  it('groups shapes into forms for the onnxruntime table', () => {
    expect(shapeClass('[5, 5] → [5, 5]')).toBe(shapeClass('[3, 3] → [3, 3]'));
    expect(shapeClass('[2, 4] → [1, 4, 2]')).toBe('[a, b] → [1, b, a]');
    expect(shapeClass('[N, 3] → [3, N]')).toBe('[N, a] → [a, N]');
  });
});

/** Shrunk failures met while building the fuzzer, kept as named cases. */
describe('fold fuzz regressions', () => {
  const training = (opset: number): FoldCase => ({ ...base, opset, generator: 'bn-linear', input: [4, 4], stages: [{ op: 'bn', training: true, epsilon: 1e-3 }, { op: 'matmul', out: 2, add: 'b+x' }] });

  it('a training-mode BatchNormalization from opset 14 is written with its three outputs (onnxruntime refused one)', async () => {
    const o = await runFoldCase(training(17));
    expect(o.failures).toEqual([]);
    expect(o.pairs.map((p) => p.codes)).toEqual([expect.arrayContaining(['BN_TRAINING_MODE'])]);
  });

  it('a training-mode BatchNormalization before opset 14 is written with all five outputs (onnxruntime refused three)', async () => {
    const o = await runFoldCase(training(12));
    expect(o.failures).toEqual([]);
    expect(o.pairs.map((p) => p.codes)).toEqual([expect.arrayContaining(['BN_TRAINING_MODE'])]);
  });

  it('onnxruntime’s optimized model that cannot run (it fused away a Reshape that is also a graph output) is its miscompile, at a pair we refuse', async () => {
    const shared: FoldCase = { ...base, generator: 'ort-matmul-trap', input: [4, 1], stages: [{ op: 'matmul', out: 2, add: 'none' }, { op: 'reshape', shape: [4, 2] }, { op: 'bn', training: false, epsilon: 1e-3 }], reader: { kind: 'graph-output', at: 1 } };
    const o = await runFoldCase(shared);
    expect(o.failures).toEqual([]);
    expect(o.pairs).toEqual([{ pattern: 'linear-reshape-bn', fusable: false, codes: ['PRE_BN_VALUE_SHARED'] }]);
    expect(o.ortMiscompiles.map((m) => [m.fusion, m.maxAbsError])).toEqual([
      ['MatMul → Reshape → BatchNormalization', Infinity],
      ['MatMul → Reshape → BatchNormalization', Infinity],
    ]);
  });

  it('float64 MatMul → Mul differs at onnxruntime’s `all` level: recorded as another fusion, not blamed on a BatchNormalization', async () => {
    const scaled: FoldCase = { ...base, dtype: 'float64', generator: 'linear-affine', opset: 23, seed: 899513, input: [3, 2], stages: [{ op: 'matmul', out: 1, add: 'none' }, { op: 'mul-const', dims: [1] }, { op: 'add-const', dims: [1, 1] }] };
    const o = await runFoldCase(scaled);
    expect(o.failures).toEqual([]);
    expect(o.ortMiscompiles.map((m) => [m.level, m.cause])).toEqual([['all', 'unexplained']]);
  });

  // Found by the 20,000-case run: a stride-2, pad-1 Conv reading only padding on a size-1 axis made the graph's outputs independent of the pair.
  const deadAfter = (stages: FoldCase['stages'], input: number[]): FoldCase => ({ ...base, generator: 'chain', input, seed: 267401, stages: [...stages, { op: 'conv', transpose: false, out: 1, group: 1, kernel: 1, stride: 2, pad: 1, dilation: 1, bias: false }] });

  it('a refused Linear→BN whose outputs a later Conv ignores is judged on the pair’s own value, not called a false refusal', async () => {
    const o = await runFoldCase(deadAfter([{ op: 'matmul', out: 4, add: 'none' }, { op: 'bn', training: false, epsilon: 1e-5 }], [1, 4, 1, 1]));
    expect(o.pairs.find((p) => p.pattern === 'linear-bn')?.codes).toEqual(['LINEAR_OUTPUT_RANK']);
    expect(o.failures).toEqual([]);
    expect(o.coincidences.map((x) => x.why)).toEqual([expect.stringContaining('do not depend on it')]);
  });

  it('likewise a refused BN→Linear (LINEAR_INPUT_RANK) before such a Conv', async () => {
    const o = await runFoldCase(deadAfter([{ op: 'bn', training: false, epsilon: 1e-5 }, { op: 'matmul', out: 1, add: 'none' }], [1, 5, 1, 5]));
    expect(o.pairs.find((p) => p.pattern === 'bn-linear')?.codes).toEqual(['LINEAR_INPUT_RANK']);
    expect(o.failures).toEqual([]);
    expect(o.coincidences).toHaveLength(1);
  });

  // Found by the 100,000-case run (seed 20261207, case 4127, shrunk): the Conv before the pair reads only padding, so its
  // output — and the pair's value — is zero on every input, and a scale on W agrees with a scale on the channels.
  it('a refused Conv → Mul([C]) [→ Add] whose Conv reads only padding is named a coincidence (zero on every input), not a false refusal', async () => {
    for (const tail of [[], [{ op: 'add-const', dims: [] }]] as FoldCase['stages'][]) {
      const zero: FoldCase = { ...base, generator: 'linear-affine', opset: 17, seed: 74601, input: [1, 1, 1, 1, 3], stages: [{ op: 'conv', transpose: false, out: 3, group: 1, kernel: 1, stride: 2, pad: 1, dilation: 1, bias: false }, { op: 'mul-const', dims: [3] }, ...tail] };
      const o = await runFoldCase(zero);
      expect(o.pairs).toEqual([{ pattern: 'linear-affine', fusable: false, codes: ['BIAS_AXIS'] }]);
      expect(o.failures).toEqual([]);
      expect(o.coincidences.map((x) => x.why)).toEqual([expect.stringContaining('zero on every input')]);
    }
  });
});
