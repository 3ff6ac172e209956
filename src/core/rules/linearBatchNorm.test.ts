import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeModel } from '../analysis';
import { EXAMPLES } from '../../examples/catalog';
import { corpusBytes, corpusManifest, corpusIt, corpusDescribe } from '../testing/corpus';
import { ModelBuilder, float, randomValues, seededRandom } from '../onnx/builder';
import { DataType } from '../onnx/types';
import type { Pair } from './pair';

/** Pairs by id: the BN output, or for BN→Linear the Linear's output. */
function byOutput(pairs: Pair[]): Map<string, Pair> {
  return new Map(pairs.map((p) => [p.id, p]));
}

const codes = (p: Pair | undefined) => p?.reasons.map((r) => r.code) ?? [];

describe('verdicts on the built-in examples (one per rule, both sides)', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id}: ${ex.title}`, () => {
      const pairs = byOutput(analyzeModel(ex.build()).pairs);
      expect(pairs.size).toBe(Object.keys(ex.expect).length);
      for (const [out, want] of Object.entries(ex.expect)) {
        const p = pairs.get(out);
        expect(p, `pair for ${out}`).toBeDefined();
        expect(p!.fusable, `${out}: ${JSON.stringify(p!.reasons)}`).toBe(want.fusable);
        if (want.fusable) expect(p!.reasons).toEqual([]);
        if (want.code) expect(codes(p)).toContain(want.code);
      }
    });
  }

  it('explains the seed case in words a student understands, with the real shapes', () => {
    const seed = EXAMPLES.find((e) => e.id === 'seed_3d')!;
    const p = analyzeModel(seed.build()).pairs[0];
    const msg = p.reasons.find((r) => r.code === 'LINEAR_OUTPUT_RANK')!.message;
    expect(msg).toContain('5 features on the last axis (axis 2) of [2, 2, 5]');
    expect(msg).toContain('normalizes axis 1 (2 channels)');
    expect(msg).toContain('γ/√(σ²+ε)');
    // Every reason that applies is listed, not just the first.
    expect(codes(p)).toEqual(['LINEAR_OUTPUT_RANK', 'CHANNEL_MISMATCH']);
  });

  it('the coincidence case says matching sizes are not enough', () => {
    const p = analyzeModel(EXAMPLES.find((e) => e.id === 'coincidence_3d')!.build()).pairs[0];
    expect(codes(p)).toEqual(['LINEAR_OUTPUT_RANK']);
    expect(p.reasons[0].message).toContain('even though both sizes are 5');
  });
});

corpusDescribe('verdicts on real PyTorch exports (../shared/corpus), `expect` and `more` entries', () => {
  for (const entry of corpusManifest()) {
    corpusIt(entry.file, () => {
      const a = analyzeBytes(corpusBytes(entry.file));
      const pairs = byOutput(a.pairs);
      // `expect`: the Linear→BN pairs, each present with its verdict.
      const linear = a.pairs.filter((p) => p.pattern === 'linear-bn');
      expect(linear.length).toBe(Object.keys(entry.expect).length);
      for (const [out, fusable] of Object.entries(entry.expect)) {
        const p = pairs.get(out);
        expect(p, `pair for ${out}`).toBeDefined();
        expect(p!.fusable, `${out}: ${JSON.stringify(p!.reasons)}`).toBe(fusable);
        if (entry.codes[out]) expect(codes(p)).toContain(entry.codes[out]);
      }
      // `more`: every BatchNormalization the other patterns fold (Conv→BN …), and those nothing folds.
      for (const [out, fusable] of Object.entries(entry.more)) {
        const p = pairs.get(out);
        if (fusable) expect(p?.fusable, `${out}: ${JSON.stringify(p?.reasons)}`).toBe(true);
        else expect(p?.fusable ?? false, out).toBe(false);
      }
      const all = { ...entry.expect, ...entry.more };
      expect(a.pairs.filter((p) => p.fusable).length).toBe(Object.values(all).filter(Boolean).length);
    });
  }
});

/** A Gemm→BN model with knobs for each condition. */
function gemmBn(opts: {
  opset?: number;
  inputShape?: (number | string)[];
  weightInput?: boolean;
  dtype?: number;
  transB?: 0 | 1;
  isTest?: number;
  spatial?: number;
  paramDims?: number[];
}) {
  const r = seededRandom(3);
  const b = new ModelBuilder().opset(opts.opset ?? 14);
  const dt = opts.dtype ?? DataType.FLOAT;
  b.input('x', opts.inputShape ?? ['batch', 3], dt).output('y');
  if (opts.weightInput) b.input('w', [4, 3], dt);
  else b.init('w', opts.transB === 0 ? [3, 4] : [4, 3], randomValues(r, 12), dt);
  b.node('Gemm', ['x', 'w'], ['h'], { transB: opts.transB ?? 1 }, 'gemm');
  const pd = opts.paramDims ?? [4];
  for (const p of ['s', 'bb', 'm', 'v']) b.init(p, pd, randomValues(r, pd.reduce((x, y) => x * y, 1), 0.5, 1), dt);
  const attrs: Record<string, number | { float: number }> = { epsilon: float(1e-5) };
  if (opts.isTest !== undefined) attrs.is_test = opts.isTest;
  if (opts.spatial !== undefined) attrs.spatial = opts.spatial;
  b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], attrs, 'bn');
  return analyzeModel(b.build()).pairs[0];
}

describe('each condition, both sides', () => {
  it('symbolic batch is fine; the rank is what matters', () => {
    const p = gemmBn({ inputShape: ['N', 3] });
    expect(p.fusable).toBe(true);
    expect(p.linear.outputShape).toEqual(['N', 4]);
  });

  it('Gemm transB 0 and 1 both fold; non-constant weight does not', () => {
    expect(gemmBn({ transB: 0 }).fusable).toBe(true);
    expect(gemmBn({ transB: 1 }).fusable).toBe(true);
    const p = gemmBn({ weightInput: true });
    expect(codes(p)).toEqual(['NON_CONSTANT_PARAMS']);
    expect(p.reasons[0].message).toContain('weight: "w" is a graph input');
  });

  it('an initializer that is also a graph input can be overridden: not constant', () => {
    const r = seededRandom(1);
    const b = new ModelBuilder().opset(14);
    b.input('x', [2, 3]).input('w', [4, 3]).output('y');
    b.init('w', [4, 3], randomValues(r, 12));
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    const p = analyzeModel(b.build()).pairs[0];
    expect(codes(p)).toEqual(['NON_CONSTANT_PARAMS']);
    expect(p.reasons[0].message).toContain('also a graph input');
  });

  it('dtypes: float16/float64/bfloat16 fold, integers do not', () => {
    expect(gemmBn({ dtype: DataType.FLOAT16 }).fusable).toBe(true);
    expect(gemmBn({ dtype: DataType.DOUBLE }).fusable).toBe(true);
    expect(gemmBn({ dtype: DataType.BFLOAT16 }).fusable).toBe(true);
    const b = new ModelBuilder().opset(14);
    b.input('x', [2, 3], DataType.INT32).output('y');
    b.initInts('w', [4, 3], new Array(12).fill(1), DataType.INT32);
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    for (const p of ['s', 'bb', 'm', 'v']) b.initInts(p, [4], [1, 1, 1, 1], DataType.INT32);
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    expect(codes(analyzeModel(b.build()).pairs[0])).toContain('UNSUPPORTED_DTYPE');
  });

  it('BN parameters must all be present and one value per channel (found by the fuzzer)', () => {
    const build = (bnInputs: string[], meanLen: number) => {
      const r = seededRandom(2);
      const b = new ModelBuilder().opset(14);
      b.input('x', [2, 3]).output('y');
      b.init('w', [4, 3], randomValues(r, 12));
      b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
      for (const p of ['s', 'bb', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
      b.init('m', [meanLen], randomValues(r, meanLen));
      b.node('BatchNormalization', bnInputs, ['y']);
      return analyzeModel(b.build()).pairs[0];
    };
    expect(build(['h', 's', 'bb', 'm', 'v'], 4).fusable).toBe(true);
    const missing = build(['h', 's', 'bb', 'm'], 4);
    expect(codes(missing)).toEqual(['NON_CONSTANT_PARAMS']);
    expect(missing.reasons[0].message).toContain('var is missing');
    const short = build(['h', 's', 'bb', 'm', 'v'], 3);
    expect(codes(short)).toEqual(['CHANNEL_MISMATCH']);
    expect(short.reasons[0].message).toContain('"m" has 3 values but its scale has 4');
  });

  it('a Gemm needs a 2-D weight and a per-feature bias (found by the fuzzer)', () => {
    const build = (wDims: number[], cDims: number[]) => {
      const r = seededRandom(3);
      const b = new ModelBuilder().opset(14);
      b.input('x', [2, 3]).output('y');
      b.init('w', wDims, randomValues(r, wDims.reduce((a, d) => a * d, 1)));
      b.init('c', cDims, randomValues(r, cDims.reduce((a, d) => a * d, 1)));
      b.node('Gemm', ['x', 'w', 'c'], ['h'], { transB: 1 });
      for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
      b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
      return analyzeModel(b.build()).pairs[0];
    };
    expect(build([4, 3], [4]).fusable).toBe(true);
    expect(build([4, 3], [1]).fusable).toBe(true);
    expect(codes(build([3], [4]))).toContain('NOT_A_LINEAR');
    expect(build([4, 3], [2, 4]).fusable).toBe(true);
    const wrong = build([4, 3], [2, 3]);
    expect(codes(wrong)).toEqual(['NOT_A_LINEAR']);
    expect(wrong.reasons[0].message).toContain('[2, 3]');
  });

  it('BN parameters must be 1-D', () => {
    expect(codes(gemmBn({ paramDims: [1, 4] }))).toContain('UNSUPPORTED_DTYPE');
  });

  it('opsets: 7..24 are known, older and newer are not claimed; spatial=0 is refused', () => {
    expect(gemmBn({ opset: 7 }).fusable).toBe(true);
    expect(gemmBn({ opset: 24 }).fusable).toBe(true);
    expect(codes(gemmBn({ opset: 6, isTest: 1 }))).toEqual(['UNSUPPORTED_OPSET']);
    expect(codes(gemmBn({ opset: 6 }))).toEqual(['BN_TRAINING_MODE', 'UNSUPPORTED_OPSET']);
    expect(codes(gemmBn({ opset: 30 }))).toEqual(['UNSUPPORTED_OPSET']);
    expect(codes(gemmBn({ opset: 8, spatial: 0 }))).toEqual(['UNSUPPORTED_OPSET']);
    expect(gemmBn({ opset: 8, spatial: 1 }).fusable).toBe(true);
  });

  it('bias Add in either operand order; a bias that is not per-feature is not a Linear bias', () => {
    const mk = (biasFirst: boolean, biasDims: number[]) => {
      const r = seededRandom(2);
      const b = new ModelBuilder().opset(14);
      b.input('x', ['batch', 3]).output('y');
      b.init('w', [3, 4], randomValues(r, 12));
      b.node('MatMul', ['x', 'w'], ['mm']);
      b.init('bias', biasDims, randomValues(r, biasDims.reduce((a, c) => a * c, 1)));
      b.node('Add', biasFirst ? ['bias', 'mm'] : ['mm', 'bias'], ['h']);
      for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
      b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
      return analyzeModel(b.build()).pairs[0];
    };
    for (const first of [true, false]) {
      const p = mk(first, [4]);
      expect(p.fusable).toBe(true);
      expect(p.linear.kind).toBe('MatMul+Add');
      expect(p.linear.bias).toBe('bias');
      expect(p.linear.weight).toBe('w');
      expect(mk(first, [1, 4]).fusable).toBe(true);
    }
    // Added along the batch axis, not per feature: refused for its axis (issue 35; was NOT_A_LINEAR).
    const bad = mk(false, [2, 4]);
    expect(codes(bad)).toContain('BIAS_AXIS');
    expect(bad.reasons[0].message).toContain('[2, 4]');
  });

  it('a MatMul whose weight is not 2-D is not a Linear', () => {
    const r = seededRandom(2);
    const b = new ModelBuilder().opset(14);
    b.input('x', [2, 3, 3]).output('y');
    b.init('w', [2, 3, 3], randomValues(r, 18));
    b.node('MatMul', ['x', 'w'], ['h']);
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [3], randomValues(r, 3, 0.5, 1));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    expect(codes(analyzeModel(b.build()).pairs[0])).toContain('NOT_A_LINEAR');
  });

  it('a rank known only through Reshape decides the verdict', () => {
    const mk = (target: number[]) => {
      const r = seededRandom(4);
      const b = new ModelBuilder().opset(14);
      b.input('x', ['batch', 12]).output('y');
      b.initInts('shape', [target.length], target);
      b.node('Reshape', ['x', 'shape'], ['xr']);
      b.init('w', [3, 3], randomValues(r, 9));
      b.node('MatMul', ['xr', 'w'], ['h']);
      for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [3], randomValues(r, 3, 0.5, 1));
      b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
      return analyzeModel(b.build()).pairs[0];
    };
    const p3 = mk([0, 4, 3]);
    expect(p3.linear.outputShape).toEqual(['batch', 4, 3]);
    expect(codes(p3)).toContain('LINEAR_OUTPUT_RANK');
    const p2 = mk([-1, 3]);
    expect(p2.linear.outputShape!.length).toBe(2);
    expect(p2.fusable).toBe(true);
  });

  it('a single-channel BatchNorm scales uniformly and folds at any rank', () => {
    const r = seededRandom(5);
    const b = new ModelBuilder().opset(14);
    b.input('x', [2, 1, 3]).output('y');
    b.init('w', [3, 4], randomValues(r, 12));
    b.node('MatMul', ['x', 'w'], ['h']);
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [1], randomValues(r, 1, 0.5, 1));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    expect(analyzeModel(b.build()).pairs[0].fusable).toBe(true);
  });

  it('analysis is linear in graph size', () => {
    const build = (blocks: number) => {
      const r = seededRandom(9);
      const b = new ModelBuilder().opset(14);
      b.input('x', ['batch', 8]);
      let cur = 'x';
      b.init('w', [8, 8], randomValues(r, 64));
      for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [8], randomValues(r, 8, 0.5, 1));
      for (let i = 0; i < blocks; i++) {
        b.node('Gemm', [cur, 'w'], [`h${i}`], { transB: 1 });
        b.node('BatchNormalization', [`h${i}`, 's', 'bb', 'm', 'v'], [`bn${i}`]);
        b.node('Relu', [`bn${i}`], [`r${i}`]);
        cur = `r${i}`;
      }
      b.output(cur);
      return b.build();
    };
    const time = (blocks: number) => {
      const m = build(blocks);
      analyzeModel(m);
      const t0 = performance.now();
      for (let k = 0; k < 3; k++) expect(analyzeModel(m).pairs.length).toBe(blocks);
      return (performance.now() - t0) / 3;
    };
    time(2000);
    const small = time(5000);
    const big = time(20000);
    // 4× the nodes should cost about 4× the time; quadratic would be 16×.
    expect(big / small).toBeLessThan(8);
  });
});
