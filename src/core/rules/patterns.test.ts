/**
 * The patterns beyond Linear→BN — Conv/ConvTranspose→BN, Linear→Transpose→BN, BN→Linear — on both
 * sides of every condition. Every fold is checked against onnxruntime-web.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder, float, randomValues, seededRandom } from '../onnx/builder';
import type { ModelProto } from '../onnx/types';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import type { Pair } from './pair';
import * as ort from 'onnxruntime-web';
import { writeModel } from '../onnx/modelIO';
import { exampleById } from '../../examples/catalog';

const codes = (p: Pair | undefined) => p?.reasons.map((r) => r.code) ?? [];

function bnParams(b: ModelBuilder, r: () => number, name: string, c: number): string[] {
  b.init(`${name}.s`, [c], randomValues(r, c, 0.5, 1.5));
  b.init(`${name}.b`, [c], randomValues(r, c));
  b.init(`${name}.m`, [c], randomValues(r, c));
  b.init(`${name}.v`, [c], randomValues(r, c, 0.2, 2));
  return [`${name}.s`, `${name}.b`, `${name}.m`, `${name}.v`];
}

/** x [2, cin, 5, 5] → Conv/ConvTranspose (group g) → BN(bnC) → y. */
function convBn(opts: { op?: 'Conv' | 'ConvTranspose'; cin?: number; cout?: number; group?: number; bias?: boolean; bnC?: number; sharedOut?: boolean; weightInput?: boolean; training?: boolean; rank?: 1 | 2 }): ModelProto {
  const r = seededRandom(21);
  const op = opts.op ?? 'Conv';
  const cin = opts.cin ?? 4;
  const cout = opts.cout ?? 6;
  const g = opts.group ?? 1;
  const spatial = opts.rank === 1 ? [7] : [5, 5];
  const k = spatial.map(() => 3);
  const b = new ModelBuilder().opset(17);
  b.input('x', [2, cin, ...spatial]).output('y');
  const wDims = op === 'Conv' ? [cout, cin / g, ...k] : [cin, cout / g, ...k];
  if (opts.weightInput) b.input('w', wDims);
  else b.init('w', wDims, randomValues(r, wDims.reduce((a, d) => a * d, 1)));
  const ins = ['x', 'w'];
  if (opts.bias) {
    b.init('cb', [cout], randomValues(r, cout));
    ins.push('cb');
  }
  b.node(op, ins, ['h'], { group: g, pads: [...k.map(() => 1), ...k.map(() => 1)] }, '/conv/Conv');
  if (opts.sharedOut) b.output('h');
  const bnAttrs: Record<string, number | { float: number }> = { epsilon: float(1e-5) };
  if (opts.training) bnAttrs.training_mode = 1;
  b.node('BatchNormalization', ['h', ...bnParams(b, r, 'bn', opts.bnC ?? cout)], ['y'], bnAttrs, '/bn/BatchNormalization');
  return b.build();
}

describe('Conv → BatchNormalization', () => {
  const cases: [string, Parameters<typeof convBn>[0]][] = [
    ['Conv2d with bias', { bias: true }],
    ['Conv2d without bias (a bias is added)', {}],
    ['Conv1d', { rank: 1, bias: true }],
    ['grouped Conv (group 2)', { group: 2, bias: true }],
    ['depthwise Conv (group = channels)', { cin: 6, cout: 6, group: 6 }],
    ['ConvTranspose', { op: 'ConvTranspose', bias: true }],
    ['grouped ConvTranspose (group 2)', { op: 'ConvTranspose', group: 2 }],
  ];
  for (const [name, opts] of cases) {
    it(`${name}: fusable, and the fold matches onnxruntime`, async () => {
      const m = convBn(opts);
      const p = analyzeModel(m).pairs[0];
      expect(p.pattern).toBe('conv-bn');
      expect(p.fusable, JSON.stringify(p.reasons)).toBe(true);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.map((f) => f.id)).toEqual(['y']);
      expect(res.model.graph!.node.map((n) => n.opType)).toEqual([opts.op ?? 'Conv']);
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      expect(report.outputs[0].maxRelError).toBeLessThan(1e-5);
    });
  }

  it('the other side of each condition', () => {
    const mismatch = analyzeModel(convBn({ bnC: 4 })).pairs[0];
    expect(codes(mismatch)).toEqual(['CHANNEL_MISMATCH']);
    expect(mismatch.reasons[0].message).toContain('4 channels but Conv "/conv/Conv" has 6 output channels');
    expect(codes(analyzeModel(convBn({ sharedOut: true })).pairs[0])).toEqual(['PRE_BN_VALUE_SHARED']);
    expect(codes(analyzeModel(convBn({ weightInput: true })).pairs[0])).toEqual(['NON_CONSTANT_PARAMS']);
    expect(codes(analyzeModel(convBn({ training: true })).pairs[0])).toContain('BN_TRAINING_MODE');
    // One channel scales every output channel alike: foldable.
    expect(analyzeModel(convBn({ bnC: 1 })).pairs[0].fusable).toBe(true);
  });

  it('a malformed convolution is not folded: a weight below 3-D, or a group that does not divide it (found by npm run fuzz)', () => {
    for (const op of ['Conv', 'ConvTranspose'] as const) {
      // The weight input replaced by a 1-D tensor, as a bit flip in an exported file did.
      const flat = convBn({ op, bias: true });
      flat.graph!.node[0].input[1] = 'cb';
      const p = analyzeModel(flat).pairs[0];
      expect(codes(p), op).toEqual(['NOT_A_LINEAR']);
      expect(p.reasons[0].message).toContain('of shape [6]');
      expect(p.reasons[0].message).toContain('at least 3-D');
      // A group that does not divide the weight's first axis (Conv: 6 output channels, group 4; ConvTranspose: 4 input channels, group 3).
      const grouped = convBn({ op, bias: true });
      const groupAttr = grouped.graph!.node[0].attribute.find((a) => a.name === 'group')!;
      groupAttr.i = op === 'Conv' ? 4 : 3;
      const q = analyzeModel(grouped).pairs[0];
      expect(codes(q), op).toContain('NOT_A_LINEAR');
      expect(q.reasons.find((r) => r.code === 'NOT_A_LINEAR')!.message).toContain(`group=${op === 'Conv' ? 4 : 3}`);
      groupAttr.i = 0;
      expect(codes(analyzeModel(grouped).pairs[0]), `${op} group 0`).toContain('NOT_A_LINEAR');
    }
  });
});

/** x [2, L, K] → MatMul(+Add) → [2, L, F] → Transpose(perm) → BN → y. */
function linearTransposeBn(opts: { shape?: number[]; perm?: number[] | null; bias?: boolean; bnC?: number; gemm?: boolean }): ModelProto {
  const r = seededRandom(31);
  const shape = opts.shape ?? [2, 3, 5];
  const kIn = shape[shape.length - 1];
  const f = 4;
  const b = new ModelBuilder().opset(17);
  b.input('x', shape).output('y');
  if (opts.gemm) {
    b.init('w', [f, kIn], randomValues(r, f * kIn));
    b.init('bias', [f], randomValues(r, f));
    b.node('Gemm', ['x', 'w', 'bias'], ['h'], { transB: 1 }, '/fc/Gemm');
  } else {
    b.init('w', [kIn, f], randomValues(r, kIn * f));
    b.node('MatMul', ['x', 'w'], [opts.bias ? 'mm' : 'h'], {}, '/fc/MatMul');
    if (opts.bias) {
      b.init('bias', [f], randomValues(r, f));
      b.node('Add', ['bias', 'mm'], ['h'], {}, '/fc/Add');
    }
  }
  const perm = opts.perm === undefined ? [0, shape.length - 1, ...shape.slice(1, -1).map((_, i) => i + 1)] : opts.perm;
  b.node('Transpose', ['h'], ['t'], perm === null ? {} : { perm }, '/Transpose');
  const outShape = perm === null ? [...shape.slice(0, -1), f].reverse() : perm.map((a) => [...shape.slice(0, -1), f][a]);
  b.node('BatchNormalization', ['t', ...bnParams(b, r, 'bn', opts.bnC ?? outShape[1])], ['y'], { epsilon: float(1e-5) }, '/bn/BatchNormalization');
  return b.build();
}

describe('Linear → Transpose → BatchNormalization', () => {
  const valid: [string, Parameters<typeof linearTransposeBn>[0]][] = [
    ['[N, L, F] perm (0, 2, 1), MatMul without bias', {}],
    ['[N, L, F] perm (0, 2, 1), MatMul + bias Add', { bias: true }],
    ['[N, H, W, F] perm (0, 3, 1, 2)', { shape: [2, 3, 2, 5], bias: true }],
  ];
  for (const [name, opts] of valid) {
    it(`${name}: fusable across the permutation, and onnxruntime agrees`, async () => {
      const m = linearTransposeBn(opts);
      const p = analyzeModel(m).pairs[0];
      expect(p.pattern).toBe('linear-transpose-bn');
      expect(p.fusable, JSON.stringify(p.reasons)).toBe(true);
      const { res, report } = await fuseAndVerify(m);
      expect(res.model.graph!.node.map((n) => n.opType)).not.toContain('BatchNormalization');
      expect(res.model.graph!.node.map((n) => n.opType)).toContain('Transpose');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    });
  }

  it("where ONNX Runtime's optimizer folds across the wrong axis, we refuse — and its output really changes", async () => {
    const ex = exampleById('transpose_wrong_axis')!;
    const bytes = writeModel(ex.build());
    expect(codes(analyzeModel(ex.build()).pairs[0])).toEqual(['TRANSPOSE_AXIS']);
    const x = new ort.Tensor('float32', Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [4, 3]);
    const plain = await (await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' })).run({ x });
    const optimized = await (await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' })).run({ x });
    const a = plain.y.data as Float32Array;
    const b = optimized.y.data as Float32Array;
    const maxRef = Math.max(...Array.from(a, Math.abs));
    const maxErr = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    expect(maxErr / maxRef).toBeGreaterThan(0.1);
  });

  it('a permutation that does not move the feature axis to axis 1 is refused, even when sizes match', () => {
    const square = analyzeModel(linearTransposeBn({ shape: [4, 4], perm: [1, 0], gemm: true })).pairs[0];
    expect(codes(square)).toEqual(['TRANSPOSE_AXIS']);
    expect(square.reasons[0].message).toContain('perm [1,0]');
    expect(square.reasons[0].message).toContain('matching sizes are not enough');
    // No perm attribute: ONNX reverses the axes, so axis 1 stays axis 1 — not the features.
    // (3 channels against 4 features: the sizes differ too.)
    expect(codes(analyzeModel(linearTransposeBn({ shape: [2, 3, 5], perm: null, bnC: 3 })).pairs[0])).toEqual(['TRANSPOSE_AXIS', 'CHANNEL_MISMATCH']);
    // Identity permutation on rank 3: axis 1 is not the feature axis either.
    expect(codes(analyzeModel(linearTransposeBn({ perm: [0, 1, 2], bnC: 3 })).pairs[0])).toEqual(['TRANSPOSE_AXIS', 'CHANNEL_MISMATCH']);
  });
});

/** x [shape] → BN(c) → Gemm / MatMul (+Add) → y. */
function bnLinear(opts: { shape?: number[]; kind?: 'Gemm' | 'MatMul' | 'MatMul+Add'; transB?: 0 | 1; gemmBias?: boolean; alpha?: number; beta?: number; bnC?: number; shared?: boolean }): ModelProto {
  const r = seededRandom(41);
  const shape = opts.shape ?? [3, 5];
  const k = shape[shape.length - 1];
  const n = 4;
  const b = new ModelBuilder().opset(17);
  b.input('x', shape).output('y');
  b.node('BatchNormalization', ['x', ...bnParams(b, r, 'bn', opts.bnC ?? shape[1])], ['z'], { epsilon: float(1e-5) }, '/bn/BatchNormalization');
  if (opts.shared) b.output('z');
  const kind = opts.kind ?? 'Gemm';
  if (kind === 'Gemm') {
    const tb = opts.transB ?? 1;
    b.init('w', tb ? [n, k] : [k, n], randomValues(r, n * k));
    const ins = ['z', 'w'];
    if (opts.gemmBias !== false) {
      b.init('c', [n], randomValues(r, n));
      ins.push('c');
    }
    b.node('Gemm', ins, ['y'], { transB: tb, alpha: float(opts.alpha ?? 1), beta: float(opts.beta ?? 1) }, '/fc/Gemm');
  } else {
    b.init('w', [k, n], randomValues(r, n * k));
    b.node('MatMul', ['z', 'w'], [kind === 'MatMul' ? 'y' : 'mm'], {}, '/fc/MatMul');
    if (kind === 'MatMul+Add') {
      b.init('c', [n], randomValues(r, n));
      b.node('Add', ['mm', 'c'], ['y'], {}, '/fc/Add');
    }
  }
  return b.build();
}

/** x [rows…, K] → MatMul(+Add) → [rows…, F] → Reshape(target) → BN(bnC) → y. */
function linearReshapeBn(opts: { inShape: number[]; f: number; target: number[]; bias?: boolean; bnC?: number }): ModelProto {
  const r = seededRandom(41);
  const k = opts.inShape[opts.inShape.length - 1];
  const b = new ModelBuilder().opset(17);
  b.input('x', opts.inShape).output('y');
  b.init('w', [k, opts.f], randomValues(r, k * opts.f));
  if (opts.bias) {
    b.init('bias', [opts.f], randomValues(r, opts.f));
    b.node('MatMul', ['x', 'w'], ['mm'], {}, '/fc/MatMul');
    b.node('Add', ['bias', 'mm'], ['h'], {}, '/fc/Add');
  } else b.node('MatMul', ['x', 'w'], ['h'], {}, '/fc/MatMul');
  b.initInts('target', [opts.target.length], opts.target);
  b.node('Reshape', ['h', 'target'], ['t'], {}, '/Reshape');
  b.node('BatchNormalization', ['t', ...bnParams(b, r, 'bn', opts.bnC ?? opts.target[1])], ['y'], { epsilon: float(1e-5) }, '/bn/BatchNormalization');
  return b.build();
}

describe('Linear → Reshape → BatchNormalization', () => {
  const valid: [string, Parameters<typeof linearReshapeBn>[0]][] = [
    ['[3, 8] → [3, 2, 4]: each channel holds 4 whole features', { inShape: [3, 5], f: 8, target: [3, 2, 4], bias: true }],
    ['[3, 8] → [6, 2, 2]: C·R = 4 divides 8, channel 0 holds features 0, 1, 4, 5', { inShape: [3, 5], f: 8, target: [6, 2, 2], bias: true }],
    ['[2, 3, 8] → [6, 2, 2, 2]: a rank-3 Linear output into a 4-D BatchNorm', { inShape: [2, 3, 5], f: 8, target: [6, 2, 2, 2], bias: true }],
    ['MatMul without bias (an Add is placed before the Reshape)', { inShape: [3, 5], f: 8, target: [3, 2, 4] }],
    ['[4, 6] → [4, 1, 6]: one channel', { inShape: [4, 3], f: 6, target: [4, 1, 6] }],
  ];
  for (const [name, opts] of valid) {
    it(`${name}: fusable, and the fold matches onnxruntime`, async () => {
      const m = linearReshapeBn(opts);
      const p = analyzeModel(m).pairs[0];
      expect(p.pattern).toBe('linear-reshape-bn');
      expect(p.fusable, JSON.stringify(p.reasons)).toBe(true);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.map((f) => f.id)).toEqual(['y']);
      expect(res.model.graph!.node.map((n) => n.opType)).not.toContain('BatchNormalization');
      expect(res.model.graph!.node.map((n) => n.opType)).toContain('Reshape');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      expect(report.outputs[0].maxRelError).toBeLessThan(1e-5);
    });
  }

  it('the gallery example with a dynamic batch folds and verifies', async () => {
    const m = exampleById('linear_reshape_bn')!.build();
    const [pair] = analyzeModel(m).pairs;
    expect(pair.pattern === 'linear-reshape-bn' && pair.reshape.shape).toEqual(['batch', 2, 4]);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.map((f) => f.id)).toEqual(['y']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('a Reshape that puts one feature in different channels in different rows is refused, even when sizes match', () => {
    // FUSION_RULES.md's measured cases: [4, 4] → [2, 4, 2] → BN(4) and [10, 5] → [2, 5, 5] → BN(5).
    for (const opts of [
      { inShape: [4, 3], f: 4, target: [2, 4, 2] },
      { inShape: [10, 3], f: 5, target: [2, 5, 5], bias: true },
    ]) {
      const p = analyzeModel(linearReshapeBn(opts)).pairs[0];
      expect(codes(p), JSON.stringify(opts)).toEqual(['RESHAPE_AXIS']);
      expect(p.reasons[0].message).toContain(`turns that into [${opts.target.join(', ')}]`);
      expect(p.reasons[0].message).toContain('matching sizes are not enough');
    }
    // BN's channel count must be the Reshape's axis 1.
    const wrongC = analyzeModel(linearReshapeBn({ inShape: [3, 5], f: 8, target: [3, 2, 4], bnC: 4 })).pairs[0];
    expect(codes(wrongC)).toContain('CHANNEL_MISMATCH');
    // Unknown target shape (computed at run time): not claimed.
    const m = linearReshapeBn({ inShape: [3, 5], f: 8, target: [3, 2, 4] });
    m.graph!.initializer = m.graph!.initializer.filter((t) => t.name !== 'target');
    m.graph!.input.push({ name: 'target', metadataProps: [] } as never);
    expect(codes(analyzeModel(m).pairs[0])).toContain('UNKNOWN_RANK');
  });

  it('BatchNorm1d per token through a computed view(batch·T, C): a real verdict (not UNKNOWN_RANK), folded and verified', async () => {
    const m = exampleById('bn_per_token')!.build();
    const [pair] = analyzeModel(m).pairs;
    expect(pair.pattern).toBe('linear-reshape-bn');
    expect(pair.pattern === 'linear-reshape-bn' && pair.reshape.shape).toEqual(['batch*6', 8]);
    expect(pair.fusable, JSON.stringify(pair.reasons)).toBe(true);
    const { res, report } = await fuseAndVerify(m, { dims: { batch: 3 } });
    expect(res.folded.map((f) => f.id)).toEqual(['/bn/BatchNormalization_output_0']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('a Shape reading the value the fold deletes still blocks it (Linear → BN directly); one reading a value the fold keeps does not', () => {
    const r = seededRandom(9);
    const b = new ModelBuilder().opset(17);
    b.input('x', ['batch', 3]).output('y').output('s');
    b.init('w', [4, 3], randomValues(r, 12));
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    b.node('Shape', ['h'], ['s']);
    b.node('BatchNormalization', ['h', ...bnParams(b, r, 'bn', 4)], ['y']);
    const [pair] = analyzeModel(b.build()).pairs;
    expect(codes(pair)).toEqual(['PRE_BN_VALUE_SHARED']);
    expect(pair.reasons[0].message).toContain('read by Shape');
  });

  it("ONNX Runtime's optimizer folds reshape_wrong_axis and its output changes; we refuse it", async () => {
    const ex = exampleById('reshape_wrong_axis')!;
    const bytes = writeModel(ex.build());
    expect(codes(analyzeModel(ex.build()).pairs[0])).toEqual(['RESHAPE_AXIS']);
    const x = new ort.Tensor('float32', Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [4, 3]);
    const plain = await (await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' })).run({ x });
    const optimized = await (await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' })).run({ x });
    const a = plain.y.data as Float32Array;
    const b = optimized.y.data as Float32Array;
    const maxRef = Math.max(...Array.from(a, Math.abs));
    const maxErr = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    expect(maxErr / maxRef).toBeGreaterThan(0.1);
  });
});

describe('BatchNormalization → Linear', () => {
  const valid: [string, Parameters<typeof bnLinear>[0]][] = [
    ['Gemm transB=1 with bias', {}],
    ['Gemm transB=0, alpha 0.5, beta 2', { transB: 0, alpha: 0.5, beta: 2 }],
    ['Gemm without bias', { gemmBias: false }],
    ['Gemm with beta 0', { beta: 0 }],
    ['MatMul (a bias Add is added)', { kind: 'MatMul' }],
    ['MatMul + Add', { kind: 'MatMul+Add' }],
    ['single-channel BN before a rank-3 MatMul', { kind: 'MatMul', shape: [2, 1, 5], bnC: 1 }],
  ];
  for (const [name, opts] of valid) {
    it(`${name}: fusable, and onnxruntime agrees`, async () => {
      const m = bnLinear(opts);
      const p = analyzeModel(m).pairs.find((x) => x.pattern === 'bn-linear')!;
      expect(p.fusable, JSON.stringify(p.reasons)).toBe(true);
      expect(p.id).toBe('y');
      const { res, report } = await fuseAndVerify(m);
      expect(res.model.graph!.node.map((n) => n.opType)).not.toContain('BatchNormalization');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    });
  }

  it('the other side: rank 3, a shared BN output, transA', () => {
    const r3 = analyzeModel(bnLinear({ kind: 'MatMul', shape: [2, 5, 5] })).pairs[0];
    expect(codes(r3)).toEqual(['LINEAR_INPUT_RANK']);
    expect(r3.reasons[0].message).toContain('matching sizes are not enough');
    expect(codes(analyzeModel(bnLinear({ shared: true })).pairs[0])).toEqual(['PRE_BN_VALUE_SHARED']);
    const mism = analyzeModel(bnLinear({ kind: 'MatMul', shape: [2, 3, 5], bnC: 3 })).pairs[0];
    expect(codes(mism)).toEqual(['LINEAR_INPUT_RANK', 'CHANNEL_MISMATCH']);
  });

  it('Linear → BN → Linear: both pairs are valid, one fold removes the BN, the other is superseded', async () => {
    const r = seededRandom(51);
    const b = new ModelBuilder().opset(17);
    b.input('x', ['batch', 3]).output('y');
    b.init('w1', [4, 3], randomValues(r, 12));
    b.node('Gemm', ['x', 'w1'], ['h'], { transB: 1 }, '/fc1/Gemm');
    b.node('BatchNormalization', ['h', ...bnParams(b, r, 'bn', 4)], ['z'], {}, '/bn/BatchNormalization');
    b.init('w2', [2, 4], randomValues(r, 8));
    b.node('Gemm', ['z', 'w2'], ['y'], { transB: 1 }, '/fc2/Gemm');
    const m = b.build();
    const pairs = analyzeModel(m).pairs;
    expect(pairs.map((p) => [p.pattern, p.fusable])).toEqual([
      ['linear-bn', true],
      ['bn-linear', true],
    ]);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.map((f) => f.id)).toEqual(['z']);
    expect(res.superseded).toEqual(['y']);
    expect(report.pass).toBe(true);
  });
});
