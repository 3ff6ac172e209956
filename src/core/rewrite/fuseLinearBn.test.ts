/** Every fold is checked by running both models in onnxruntime-web, never against our own formula. */
import { describe, expect, it } from 'vitest';
import { fuse } from './fuse';
import { modelProblems } from './validate';
import { analyzeModel } from '../analysis';
import { verify } from '../verify/verify';
import { readModel, writeModel } from '../onnx/modelIO';
import { EXAMPLES, exampleById } from '../../examples/catalog';
import { corpusBytes, corpusManifest, corpusIt, corpusDescribe } from '../testing/corpus';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import { ModelBuilder, float, randomValues, seededRandom } from '../onnx/builder';
import { makeFloatTensor, tensorToFloat64 } from '../onnx/tensor';
import { DataType, type ModelProto } from '../onnx/types';

const FEEDS_FOR: Record<string, Record<string, { dims: number[]; data: number[] }>> = {
  unknown_rank: { shape: { dims: [2], data: [2, 6] } },
};


describe('fuse + verify on the examples', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id}`, async () => {
      const model = ex.build();
      const fusable = Object.entries(ex.expect).filter(([, v]) => v.fusable).map(([k]) => k);
      const { res, report } = await fuseAndVerify(model, { inputs: FEEDS_FOR[ex.id] });
      expect(res.folded.map((f) => f.id).sort()).toEqual(fusable.sort());
      expect(res.incorrect).toBe(false);
      expect(report.problems).toEqual([]);
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      // Graph outputs keep their names.
      expect(res.model.graph!.output.map((o) => o.name)).toEqual(model.graph!.output.map((o) => o.name));
      // Not-fusable pairs are untouched: their BatchNormalization (or the Mul in its place) is still there.
      const bnOutputs = new Set(res.model.graph!.node.filter((n) => n.opType === 'BatchNormalization' || n.opType === 'Mul').map((n) => n.output[0]));
      const pairs = analyzeModel(model).pairs;
      for (const [id, v] of Object.entries(ex.expect)) expect(bnOutputs.has(pairs.find((p) => p.id === id)!.bnOutput)).toBe(!v.fusable);
      expect(res.nodesAfter).toBeLessThanOrEqual(res.nodesBefore);
    });
  }

  it('an unmodified model (nothing fusable) serializes to the same bytes', () => {
    const model = exampleById('seed_3d')!.build();
    const bytes = writeModel(model);
    const again = readModel(bytes);
    const res = fuse(again);
    expect(res.folded).toEqual([]);
    expect(Buffer.from(writeModel(res.model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('never folds a pair that is not fusable, even when asked, and says why', () => {
    const res = fuse(exampleById('coincidence_3d')!.build(), { only: ['y', 'nope'] });
    expect(res.folded).toEqual([]);
    expect(res.skipped[0].reasons.map((r) => r.code)).toContain('LINEAR_OUTPUT_RANK');
    expect(res.unknown).toEqual(['nope']);
  });
});

corpusDescribe('fuse + verify on real PyTorch exports', () => {
  for (const entry of corpusManifest()) {
    corpusIt(entry.file, async () => {
      const bytes = corpusBytes(entry.file);
      const model = readModel(bytes);
      const res = fuse(model);
      // Every fusable BN in `expect` and `more` (Conv→BN in MobileNetV3 and the face head) is folded.
      const want = Object.entries({ ...entry.expect, ...entry.more }).filter(([, v]) => v).map(([k]) => k);
      expect(res.folded.map((f) => f.id).sort()).toEqual(want.sort());
      const bnsLeft = res.model.graph!.node.filter((n) => n.opType === 'BatchNormalization').length;
      expect(bnsLeft).toBe(model.graph!.node.filter((n) => n.opType === 'BatchNormalization').length - want.length);
      expect(modelProblems(res.model)).toEqual([]);
      const fused = writeModel(res.model);
      const report = await verify(bytes, fused, { runs: 1, dims: { batch: entry.feeds.x?.[0] ?? 2 } });
      if (entry.name === 'train_mode_export') {
        // Training-mode Dropout is random: verification must refuse to call that equivalent.
        expect(report.pass).toBe(false);
        expect(report.problems[0]).toContain('Dropout');
      } else {
        expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      }
      // Metadata, opsets and producer are kept.
      const back = readModel(fused);
      expect(back.producerName).toBe(model.producerName);
      expect(back.opsetImport).toEqual(model.opsetImport);
      expect(back.graph!.output.map((o) => o.name)).toEqual(model.graph!.output.map((o) => o.name));
    });
  }
});

describe('the hard cases', () => {
  it('a chain of two pairs folds, and a weight shared by two Linears keeps its values for the other', async () => {
    const r = seededRandom(11);
    const b = new ModelBuilder().opset(14);
    b.input('x', ['batch', 4]).output('y').output('other');
    b.init('w', [4, 4], randomValues(r, 16));
    b.init('b', [4], randomValues(r, 4));
    const bn = (name: string) => {
      b.init(`${name}.s`, [4], randomValues(r, 4, 0.5, 1.5));
      b.init(`${name}.b`, [4], randomValues(r, 4));
      b.init(`${name}.m`, [4], randomValues(r, 4));
      b.init(`${name}.v`, [4], randomValues(r, 4, 0.2, 2));
      return [`${name}.s`, `${name}.b`, `${name}.m`, `${name}.v`];
    };
    b.node('Gemm', ['x', 'w', 'b'], ['h1'], { transB: 1 });
    b.node('BatchNormalization', ['h1', ...bn('bn1')], ['z1']);
    b.node('Gemm', ['z1', 'w', 'b'], ['h2'], { transB: 1 });
    b.node('BatchNormalization', ['h2', ...bn('bn2')], ['y']);
    // A third Linear shares "w" but has no BatchNorm: it must keep the original numbers.
    b.node('Gemm', ['x', 'w'], ['other'], { transB: 1 });
    const model = b.build();
    const { res, report } = await fuseAndVerify(model);
    expect(res.folded.map((f) => f.id)).toEqual(['z1', 'y']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    const inits = new Map(res.model.graph!.initializer.map((t) => [t.name, t]));
    expect(Array.from(tensorToFloat64(inits.get('w')!))).toEqual(Array.from(tensorToFloat64(model.graph!.initializer[0])));
    // The BN parameters are gone; the two folded weights are distinct fresh tensors.
    expect([...inits.keys()].filter((n) => n!.startsWith('bn'))).toEqual([]);
    expect(new Set(res.folded.map((f) => f.weight)).size).toBe(2);
    expect(res.nodesBefore - res.nodesAfter).toBe(2);
  });

  it('a MatMul without bias gets one; the pre-BN value keeps its producer', async () => {
    const r = seededRandom(12);
    const b = new ModelBuilder().opset(14);
    b.input('x', [3, 5]).output('y');
    b.init('w', [5, 4], randomValues(r, 20));
    b.node('MatMul', ['x', 'w'], ['h']);
    for (const [p, lo, hi] of [['s', 0.5, 1.5], ['bb', -1, 1], ['m', -1, 1], ['v', 0.2, 2]] as const) b.init(p, [4], randomValues(r, 4, lo, hi));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], { epsilon: float(1e-3) });
    const { res, report } = await fuseAndVerify(b.build());
    expect(res.model.graph!.node.map((n) => n.opType)).toEqual(['MatMul', 'Add']);
    expect(report.pass).toBe(true);
  });

  it('Gemm with beta=0 and a bias, and Gemm with no bias, fold correctly', async () => {
    for (const variant of ['beta0', 'nobias'] as const) {
      const r = seededRandom(13);
      const b = new ModelBuilder().opset(13);
      b.input('x', [3, 5]).output('y');
      b.init('w', [5, 4], randomValues(r, 20));
      const ins = ['x', 'w'];
      if (variant === 'beta0') {
        b.init('c', [1, 4], randomValues(r, 4));
        ins.push('c');
      }
      b.node('Gemm', ins, ['h'], variant === 'beta0' ? { beta: float(0), alpha: float(1.5) } : {});
      for (const [p, lo, hi] of [['s', 0.5, 1.5], ['bb', -1, 1], ['m', -1, 1], ['v', 0.2, 2]] as const) b.init(p, [4], randomValues(r, 4, lo, hi));
      b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
      const { res, report } = await fuseAndVerify(b.build());
      expect(res.folded.length).toBe(1);
      expect(report.pass, variant).toBe(true);
    }
  });

  it('BN parameters given as Constant nodes (as PyTorch writes affine=False) fold and the Constants go away', async () => {
    const r = seededRandom(14);
    const b = new ModelBuilder().opset(14);
    b.input('x', [3, 5]).output('y');
    b.init('w', [4, 5], randomValues(r, 20));
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    b.constant('s', [4], randomValues(r, 4, 0.5, 1.5));
    b.constant('bb', [4], randomValues(r, 4));
    b.init('m', [4], randomValues(r, 4));
    b.init('v', [4], randomValues(r, 4, 0.2, 2));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    const { res, report } = await fuseAndVerify(b.build());
    expect(res.model.graph!.node.map((n) => n.opType)).toEqual(['Gemm']);
    expect(report.pass).toBe(true);
  });

  it('float64 and bfloat16 weights are stored in their own dtype', () => {
    for (const dt of [DataType.DOUBLE, DataType.BFLOAT16]) {
      const r = seededRandom(15);
      const b = new ModelBuilder().opset(14);
      b.input('x', [3, 5], dt).output('y');
      b.init('w', [4, 5], randomValues(r, 20), dt);
      b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
      for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1), dt);
      b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
      const res = fuse(b.build());
      expect(res.model.graph!.initializer.every((t) => t.dataType === dt)).toBe(true);
    }
  });

  it('float64 folds verify with float64 tolerance', async () => {
    const r = seededRandom(16);
    const b = new ModelBuilder().opset(15);
    b.input('x', [3, 5], DataType.DOUBLE).output('y');
    b.init('w', [4, 5], randomValues(r, 20), DataType.DOUBLE);
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1), DataType.DOUBLE);
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    const { report } = await fuseAndVerify(b.build());
    expect(report.outputs[0].rtol).toBe(1e-10);
    expect(report.pass).toBe(true);
  });
});

describe('memory', () => {
  corpusIt('fusing does not copy untouched weights: they stay the very same tensors, viewing the file', () => {
    const bytes = corpusBytes('face_embedding.onnx');
    const model = readModel(bytes);
    const res = fuse(model, { only: ['y'] });
    expect(res.folded.length).toBe(1);
    const before = new Map(model.graph!.initializer.map((t) => [t.name, t]));
    let same = 0;
    for (const t of res.model.graph!.initializer) {
      const o = before.get(t.name);
      if (!o) continue;
      expect(t).toBe(o);
      if (t.rawData) expect(t.rawData.buffer).toBe(bytes.buffer);
      same++;
    }
    expect(same).toBeGreaterThan(10);
  });
});

describe('verification can fail', () => {
  it('catches a fold that scales by γ without 1/√(σ²+ε)', async () => {
    const model = exampleById('valid_2d')!.build();
    // Fold a copy whose variance is 1−ε, so the fold computes s = γ: the classic mistake.
    const wrongSource: ModelProto = {
      ...model,
      graph: {
        ...model.graph!,
        initializer: model.graph!.initializer.map((t) => (t.name === 'bn.running_var' ? makeFloatTensor(t.name, [5], new Array(5).fill(1 - 1e-5)) : t)),
      },
    };
    const wrong = fuse(wrongSource).model;
    const report = await verify(writeModel(model), writeModel(wrong), { runs: 1 });
    expect(report.pass).toBe(false);
    expect(report.outputs[0].maxRelError).toBeGreaterThan(1e-2);
  });

  it('“apply anyway” on the coincidence case produces a model that verification rejects', async () => {
    const model = exampleById('coincidence_3d')!.build();
    const res = fuse(analyzeModel(model), { ignoreAxisRule: true });
    expect(res.incorrect).toBe(true);
    expect(res.folded.map((f) => f.id)).toEqual(['y']);
    const report = await verify(writeModel(model), writeModel(res.model), { runs: 1 });
    expect(report.pass).toBe(false);
    expect(report.outputs[0].maxRelError).toBeGreaterThan(0.05);
  });

  it('reports named defaults for dynamic dims and honours --dim', async () => {
    const model = exampleById('valid_2d')!.build();
    const bytes = writeModel(model);
    const fused = writeModel(fuse(model).model);
    const a = await verify(bytes, fused, { runs: 1 });
    expect(a.dims).toEqual([{ name: 'batch', value: 2, defaulted: true, setBy: 'default' }]);
    expect(a.inputs[0].dims).toEqual([2, 3]);
    const b = await verify(bytes, fused, { runs: 1, dims: { batch: 7 } });
    expect(b.dims).toEqual([{ name: 'batch', value: 7, defaulted: false, setBy: 'option' }]);
    expect(b.outputs[0].dims).toEqual([7, 5]);
    expect(b.original.createMs).toBeGreaterThan(0);
    expect(b.fused.runMs).toBeGreaterThan(0);
  });

  it('uses user-supplied inputs', async () => {
    const model = exampleById('valid_2d')!.build();
    const bytes = writeModel(model);
    const report = await verify(bytes, bytes, { runs: 1, inputs: { x: { dims: [1, 3], data: [1, 2, 3] } } });
    expect(report.inputs[0].source).toBe('user');
    expect(report.outputs[0].dims).toEqual([1, 5]);
    expect(report.outputs[0].maxAbsError).toBe(0);
  });
});
