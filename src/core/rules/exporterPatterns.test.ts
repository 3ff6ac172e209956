/**
 * The folds as exporters write them (issue 35): Conv/ConvTranspose → Add(constant) → BN, the bias
 * Add after a Linear, and BN → Conv. Every model is built here, every fold run in onnxruntime-web
 * against the original model's outputs; every refusal names the axis (or the padding) and shapes.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder, randomValues, seededRandom, type AttrValue } from '../onnx/builder';
import type { ModelProto } from '../onnx/types';
import { writeModel } from '../onnx/modelIO';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import { fuse } from '../rewrite/fuse';
import { naiveFoldProblem } from '../rewrite/naiveFold';
import { verify } from '../verify/verify';
import type { Pair } from './pair';

type Rand = () => number;

function bn(b: ModelBuilder, r: Rand, p: string, x: string, y: string, c: number): void {
  b.init(`${p}.s`, [c], randomValues(r, c, 0.5, 1.5)).init(`${p}.b`, [c], randomValues(r, c, -0.5, 0.5));
  b.init(`${p}.m`, [c], randomValues(r, c, -0.5, 0.5)).init(`${p}.v`, [c], randomValues(r, c, 0.2, 2));
  b.node('BatchNormalization', [x, `${p}.s`, `${p}.b`, `${p}.m`, `${p}.v`], [y], {}, `/${p}/BatchNormalization`);
}

interface ConvSpec {
  op?: 'Conv' | 'ConvTranspose';
  cin: number;
  cout: number;
  k?: number;
  group?: number;
  bias?: boolean;
  attrs?: Record<string, AttrValue>;
}

/** Adds a Conv (or ConvTranspose) reading x and writing y. */
function conv(b: ModelBuilder, r: Rand, p: string, x: string, y: string, s: ConvSpec): void {
  const op = s.op ?? 'Conv';
  const k = s.k ?? 3;
  const g = s.group ?? 1;
  const wd = op === 'Conv' ? [s.cout, s.cin / g, k, k] : [s.cin, s.cout / g, k, k];
  b.init(`${p}.w`, wd, randomValues(r, wd.reduce((a, d) => a * d, 1), -0.5, 0.5));
  const ins = [x, `${p}.w`];
  if (s.bias) {
    b.init(`${p}.bias`, [s.cout], randomValues(r, s.cout, -0.3, 0.3));
    ins.push(`${p}.bias`);
  }
  b.node(op, ins, [y], { kernel_shape: [k, k], group: g, ...(s.attrs ?? {}) }, `/${p}/${op}`);
}

/** x [input] → Conv → Add(constant of `dims`) → BN → y. */
function convAddBn(input: number[], s: ConvSpec, dims: number[], seed = 7, constantFirst = false): ModelProto {
  const r = seededRandom(seed);
  const b = new ModelBuilder().opset(17);
  b.input('x', input).output('y');
  conv(b, r, 'conv', 'x', 'c', s);
  b.init('add.c', dims, randomValues(r, dims.reduce((a, d) => a * d, 1), -1, 1));
  b.node('Add', constantFirst ? ['add.c', 'c'] : ['c', 'add.c'], ['a'], {}, '/add/Add');
  bn(b, r, 'bn', 'a', 'y', s.cout);
  return b.build();
}

const codes = (p: Pair) => p.reasons.map((r) => r.code);
const opsOf = (m: ModelProto) => m.graph!.node.map((n) => n.opType);

async function foldsExactly(m: ModelProto): Promise<void> {
  const pairs = analyzeModel(m).pairs;
  expect(pairs.length).toBeGreaterThan(0);
  for (const p of pairs) expect(p.reasons, p.id).toEqual([]);
  const { res, report } = await fuseAndVerify(m);
  expect(res.skipped).toEqual([]);
  expect(opsOf(res.model)).not.toContain('BatchNormalization');
  expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
}

describe('Conv/ConvTranspose → Add(constant) → BatchNormalization', () => {
  const valid: [string, number[], ConvSpec, number[]][] = [
    ['[1, C, 1, 1] (as paddle2onnx writes a bias)', [1, 3, 6, 6], { cin: 3, cout: 4, attrs: { pads: [1, 1, 1, 1] } }, [1, 4, 1, 1]],
    ['[C, 1, 1]', [2, 3, 6, 6], { cin: 3, cout: 4 }, [4, 1, 1]],
    ['a scalar', [1, 3, 6, 6], { cin: 3, cout: 4 }, []],
    ['one value [1]', [1, 3, 6, 6], { cin: 3, cout: 4 }, [1]],
    ['[1, C, 1, 1] on a Conv with its own bias', [1, 3, 6, 6], { cin: 3, cout: 4, bias: true }, [1, 4, 1, 1]],
    ['[1, C, 1, 1] on a grouped Conv', [1, 4, 6, 6], { cin: 4, cout: 6, group: 2 }, [1, 6, 1, 1]],
    ['[1, C, 1, 1] on a Conv1d', [1, 3, 9], { cin: 3, cout: 5 } as ConvSpec, [1, 5, 1]],
  ];
  for (const [name, input, spec, dims] of valid) {
    it(`${name} folds into the bias, and onnxruntime agrees`, async () => {
      // Conv1d: a 1-D kernel.
      const m = input.length === 3 ? conv1d(input, spec, dims) : convAddBn(input, spec, dims);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.map((p) => p.pattern)).toEqual(['conv-add-bn']);
      await foldsExactly(m);
      const res = fuse(m);
      expect(opsOf(res.model)).toEqual(['Conv']);
      // The Add's constant is gone with the Add.
      expect(res.model.graph!.initializer.map((t) => t.name)).not.toContain('add.c');
    });
  }

  it('the PP-OCR shape: ConvTranspose (stride 2, no bias) → Add [1, C, 1, 1] → BN folds; the constant first in the Add too', async () => {
    for (const constantFirst of [false, true]) {
      const m = convAddBn([1, 8, 5, 5], { op: 'ConvTranspose', cin: 8, cout: 4, k: 2, attrs: { strides: [2, 2] } }, [1, 4, 1, 1], 11, constantFirst);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.map((p) => `${p.pattern} ${p.linear.kind}`)).toEqual(['conv-add-bn ConvTranspose']);
      await foldsExactly(m);
      expect(opsOf(fuse(m).model)).toEqual(['ConvTranspose']);
    }
  });

  it('a grouped ConvTranspose → Add [1, C, 1, 1] → BN folds', async () => {
    await foldsExactly(convAddBn([1, 4, 5, 5], { op: 'ConvTranspose', cin: 4, cout: 6, k: 2, group: 2, attrs: { strides: [2, 2] } }, [1, 6, 1, 1]));
  });

  it('[C] on [N, C, H, W] with W == C acts on W: BIAS_AXIS says which axis and that the sizes match by coincidence', () => {
    const m = convAddBn([1, 3, 6, 6], { cin: 3, cout: 4, attrs: { pads: [0, 0, 0, 0] } }, [4]);
    const [p] = analyzeModel(m).pairs;
    expect(p.linear.outputShape).toEqual([1, 4, 4, 4]);
    expect(codes(p)).toEqual(['BIAS_AXIS']);
    const msg = p.reasons[0].message;
    expect(msg).toContain('"add.c" of shape [4] to [1, 4, 4, 4]');
    expect(msg).toContain('along axis 3 (size 4)');
    expect(msg).toContain('not along the 4 output channels on axis 1');
    expect(msg).toContain('coincidence');
    expect(msg).toContain('[4, 1, 1] or [1, 4, 1, 1]');
  });

  it('[W] on a Conv whose W differs from C: BIAS_AXIS, no coincidence claimed', () => {
    const m = convAddBn([1, 3, 8, 8], { cin: 3, cout: 4 }, [6]);
    const [p] = analyzeModel(m).pairs;
    expect(codes(p)).toEqual(['BIAS_AXIS']);
    expect(p.reasons[0].message).toContain('along axis 3 (size 6)');
    expect(p.reasons[0].message).not.toContain('coincidence');
    expect(naiveFoldProblem(p)).toMatch(/6 values/);
  });

  it('[1, 1, 1, C] and [1, 1, H, 1] act on W and H: refused, and fuse leaves them', () => {
    for (const [dims, axis] of [
      [[1, 1, 1, 4], 'axis 3'],
      [[1, 1, 4, 1], 'axis 2'],
    ] as const) {
      const m = convAddBn([1, 3, 6, 6], { cin: 3, cout: 4 }, [...dims]);
      const [p] = analyzeModel(m).pairs;
      expect(codes(p)).toEqual(['BIAS_AXIS']);
      expect(p.reasons[0].message).toContain(`along ${axis} (size 4)`);
      const res = fuse(m);
      expect(res.folded).toEqual([]);
      expect(res.skipped.map((s) => s.reasons[0].code)).toEqual(['BIAS_AXIS']);
    }
  });

  it('apply anyway on the [C]-on-W coincidence forms the size-only fold, and onnxruntime shows it is wrong', async () => {
    const m = convAddBn([1, 3, 6, 6], { cin: 3, cout: 4 }, [4]);
    const [p] = analyzeModel(m).pairs;
    expect(naiveFoldProblem(p)).toBeNull();
    const res = fuse(m, { ignoreAxisRule: true });
    expect(res.incorrect).toBe(true);
    expect(opsOf(res.model)).toEqual(['Conv']);
    const report = await verify(writeModel(m), writeModel(res.model), { runs: 1 });
    expect(report.pass).toBe(false);
  });

  it('a computed operand (a residual) is no pair, as before', () => {
    const r = seededRandom(3);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 4, 6, 6]).output('y');
    conv(b, r, 'conv', 'x', 'c', { cin: 4, cout: 4, attrs: { pads: [1, 1, 1, 1] } });
    b.node('Add', ['c', 'x'], ['a'], {}, '/res/Add');
    bn(b, r, 'bn', 'a', 'y', 4);
    expect(analyzeModel(b.build()).pairs).toEqual([]);
  });

  it('the Conv output read elsewhere is PRE_BN_VALUE_SHARED', () => {
    const r = seededRandom(4);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 3, 6, 6]).output('y').output('c');
    conv(b, r, 'conv', 'x', 'c', { cin: 3, cout: 4 });
    b.init('add.c', [1, 4, 1, 1], randomValues(r, 4));
    b.node('Add', ['c', 'add.c'], ['a'], {}, '/add/Add');
    bn(b, r, 'bn', 'a', 'y', 4);
    const [p] = analyzeModel(b.build()).pairs;
    expect(codes(p)).toEqual(['PRE_BN_VALUE_SHARED']);
    expect(p.reasons[0].message).toContain('the Conv output "c"');
  });
});

function conv1d(input: number[], s: ConvSpec, dims: number[]): ModelProto {
  const r = seededRandom(9);
  const b = new ModelBuilder().opset(17);
  b.input('x', input).output('y');
  b.init('conv.w', [s.cout, s.cin, 3], randomValues(r, s.cout * s.cin * 3, -0.5, 0.5));
  b.node('Conv', ['x', 'conv.w'], ['c'], { kernel_shape: [3] }, '/conv/Conv');
  b.init('add.c', dims, randomValues(r, dims.reduce((a, d) => a * d, 1)));
  b.node('Add', ['c', 'add.c'], ['a'], {}, '/add/Add');
  bn(b, r, 'bn', 'a', 'y', s.cout);
  return b.build();
}

describe("a Linear's bias Add that is not one value per feature", () => {
  /** x [input] → MatMul [k, n] → Add(constant of `dims`) → BN(c) → y. */
  function linearAdd(input: number[], k: number, n: number, dims: number[], c: number): ModelProto {
    const r = seededRandom(21);
    const b = new ModelBuilder().opset(17);
    b.input('x', input).output('y');
    b.init('fc.w', [k, n], randomValues(r, k * n));
    b.node('MatMul', ['x', 'fc.w'], ['mm'], {}, '/fc/MatMul');
    b.init('fc.b', dims, randomValues(r, dims.reduce((a, d) => a * d, 1)));
    b.node('Add', ['mm', 'fc.b'], ['h'], {}, '/fc/Add');
    bn(b, r, 'bn', 'h', 'y', c);
    return b.build();
  }

  it('[N, F] on a rank-2 output acts on the batch axis: BIAS_AXIS (was NOT_A_LINEAR)', () => {
    const [p] = analyzeModel(linearAdd([2, 3], 3, 5, [2, 5], 5)).pairs;
    expect(p.pattern).toBe('linear-bn');
    expect(codes(p)).toEqual(['BIAS_AXIS']);
    expect(p.reasons[0].message).toContain('"fc.b" of shape [2, 5] to [2, 5]');
    expect(p.reasons[0].message).toContain('along axis 0 (size 2), not along the 5 output features on axis 1');
  });

  it('[L, 1] on a rank-3 output acts on axis 1: BIAS_AXIS beside the axis rule', () => {
    const [p] = analyzeModel(linearAdd([2, 4, 3], 3, 5, [4, 1], 4)).pairs;
    expect(codes(p)).toContain('BIAS_AXIS');
    expect(codes(p)).toContain('LINEAR_OUTPUT_RANK');
    expect(p.reasons.find((r) => r.code === 'BIAS_AXIS')!.message).toContain('along axis 1 (size 4)');
  });

  it('[1, 1, F] on a rank-3 output is one value per feature: not refused for the bias (the single-channel BN folds, and onnxruntime agrees)', async () => {
    const m = linearAdd([2, 1, 3], 3, 5, [1, 1, 5], 1);
    const [p] = analyzeModel(m).pairs;
    expect(p.reasons).toEqual([]);
    await foldsExactly(m);
  });

  it('[1, F] and [F] stay fusable on a rank-2 output', async () => {
    for (const dims of [[5], [1, 5]]) await foldsExactly(linearAdd([2, 3], 3, 5, dims, 5));
  });
});

describe('BatchNormalization → Conv', () => {
  /** x → BN(cin) → Conv → y. */
  function bnConv(input: number[], s: ConvSpec, seed = 13): ModelProto {
    const r = seededRandom(seed);
    const b = new ModelBuilder().opset(17);
    b.input('x', input).output('y');
    bn(b, r, 'bn', 'x', 'n', s.cin);
    conv(b, r, 'conv', 'n', 'y', s);
    return b.build();
  }

  const valid: [string, ConvSpec][] = [
    ['no padding', { cin: 3, cout: 4 }],
    ['no padding, with a bias', { cin: 3, cout: 4, bias: true }],
    ['explicit zero pads and strides', { cin: 3, cout: 4, attrs: { pads: [0, 0, 0, 0], strides: [2, 2] } }],
    ['auto_pad VALID', { cin: 3, cout: 4, attrs: { auto_pad: 'VALID' } }],
    ['grouped (each input channel’s scale on its group’s filters)', { cin: 4, cout: 6, group: 2, bias: true }],
    ['depthwise', { cin: 4, cout: 4, group: 4 }],
  ];
  for (const [name, spec] of valid) {
    it(`${name}: folds, and onnxruntime agrees`, async () => {
      const m = bnConv([2, spec.cin, 7, 7], spec);
      expect(analyzeModel(m).pairs.map((p) => p.pattern)).toEqual(['bn-conv']);
      await foldsExactly(m);
      expect(opsOf(fuse(m).model)).toEqual(['Conv']);
    });
  }

  const padded: [string, Record<string, AttrValue>, string][] = [
    ['pads [1, 1, 1, 1]', { pads: [1, 1, 1, 1] }, 'pads [1, 1, 1, 1]'],
    ['auto_pad SAME_UPPER', { auto_pad: 'SAME_UPPER' }, 'auto_pad=SAME_UPPER'],
  ];
  for (const [name, attrs, said] of padded) {
    it(`${name}: CONV_PADDING, and apply anyway's fold is wrong at the border in onnxruntime`, async () => {
      const m = bnConv([1, 3, 6, 6], { cin: 3, cout: 4, attrs });
      const [p] = analyzeModel(m).pairs;
      expect(codes(p)).toEqual(['CONV_PADDING']);
      expect(p.reasons[0].message).toContain(said);
      expect(p.reasons[0].message).toContain('β − γ·μ/√(σ² + ε)');
      expect(p.reasons[0].message).toContain('border weights');
      expect(fuse(m).folded).toEqual([]);
      expect(naiveFoldProblem(p)).toBeNull();
      const res = fuse(m, { ignoreAxisRule: true });
      expect(res.incorrect).toBe(true);
      const report = await verify(writeModel(m), writeModel(res.model), { runs: 1 });
      expect(report.pass).toBe(false);
    });
  }

  it('BN channels that do not match the Conv’s input channels: CHANNEL_MISMATCH in input channels', () => {
    const r = seededRandom(2);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 3, 6, 6]).output('y');
    bn(b, r, 'bn', 'x', 'n', 2);
    conv(b, r, 'conv', 'n', 'y', { cin: 3, cout: 4 });
    const [p] = analyzeModel(b.build()).pairs;
    expect(codes(p)).toContain('CHANNEL_MISMATCH');
    expect(p.reasons.find((x) => x.code === 'CHANNEL_MISMATCH')!.message).toContain('input channels');
  });
});

describe('chains with the existing patterns fold in one call', () => {
  it('Conv → Add → BN → Conv (no padding): the BN folds into the Conv before it, BN → Conv is not listed beside it; no BN left', async () => {
    const r = seededRandom(17);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 3, 8, 8]).output('y');
    conv(b, r, 'c1', 'x', 'c', { cin: 3, cout: 4 });
    b.init('add.c', [1, 4, 1, 1], randomValues(r, 4));
    b.node('Add', ['c', 'add.c'], ['a'], {}, '/add/Add');
    bn(b, r, 'bn', 'a', 'n', 4);
    conv(b, r, 'c2', 'n', 'y', { cin: 4, cout: 2 });
    const m = b.build();
    expect(analyzeModel(m).pairs.map((p) => p.pattern)).toEqual(['conv-add-bn']);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.length).toBe(1);
    expect(opsOf(res.model)).toEqual(['Conv', 'Conv']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('pre-activation: Conv → Add(residual) → BN → Conv lists BN → Conv (nothing before takes the BN), and it folds', async () => {
    const r = seededRandom(23);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 4, 8, 8]).output('y');
    conv(b, r, 'c1', 'x', 'c', { cin: 4, cout: 4, attrs: { pads: [1, 1, 1, 1] } });
    b.node('Add', ['c', 'x'], ['a'], {}, '/res/Add');
    bn(b, r, 'bn', 'a', 'n', 4);
    conv(b, r, 'c2', 'n', 'y', { cin: 4, cout: 2, k: 1 });
    const m = b.build();
    expect(analyzeModel(m).pairs.map((p) => p.pattern)).toEqual(['bn-conv']);
    await foldsExactly(m);
  });

  it('BN → Conv → Add → BN: two BNs share the Conv; both fold over two passes in one call', async () => {
    const r = seededRandom(19);
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 3, 8, 8]).output('y');
    bn(b, r, 'bn1', 'x', 'n', 3);
    conv(b, r, 'c1', 'n', 'c', { cin: 3, cout: 4 });
    b.init('add.c', [4, 1, 1], randomValues(r, 4));
    b.node('Add', ['add.c', 'c'], ['a'], {}, '/add/Add');
    bn(b, r, 'bn2', 'a', 'y', 4);
    const m = b.build();
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.length).toBe(2);
    expect(opsOf(res.model)).toEqual(['Conv']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(fuse(res.model).folded).toEqual([]);
  });
});

describe('Linear or Conv → Mul(constant) [→ Add(constant)], no BatchNormalization', () => {
  type Before = 'gemm' | 'matmul' | 'matmul+add' | 'conv' | 'convT';
  /** x [input] → op → Mul(scale of `mulDims`) [→ Add(shift of `addDims`)] → y. */
  function affine(input: number[], before: Before, out: number, mulDims: number[], addDims: number[] | null, seed = 31): ModelProto {
    const r = seededRandom(seed);
    const b = new ModelBuilder().opset(17);
    b.input('x', input).output('y');
    const k = input[input.length - 1];
    switch (before) {
      case 'gemm':
        b.init('fc.w', [out, k], randomValues(r, out * k)).init('fc.c', [out], randomValues(r, out));
        b.node('Gemm', ['x', 'fc.w', 'fc.c'], ['h'], { transB: 1 }, '/fc/Gemm');
        break;
      case 'matmul':
      case 'matmul+add':
        b.init('fc.w', [k, out], randomValues(r, k * out));
        b.node('MatMul', ['x', 'fc.w'], [before === 'matmul' ? 'h' : 'mm'], {}, '/fc/MatMul');
        if (before === 'matmul+add') b.init('fc.b', [out], randomValues(r, out)).node('Add', ['fc.b', 'mm'], ['h'], {}, '/fc/Add');
        break;
      case 'conv':
        conv(b, r, 'conv', 'x', 'h', { cin: input[1], cout: out, bias: true });
        break;
      case 'convT':
        conv(b, r, 'up', 'x', 'h', { op: 'ConvTranspose', cin: input[1], cout: out, k: 2, attrs: { strides: [2, 2] } });
        break;
    }
    b.init('scale', mulDims, randomValues(r, mulDims.reduce((a, d) => a * d, 1), 0.5, 1.5));
    b.node('Mul', ['h', 'scale'], [addDims ? 'm' : 'y'], {}, '/ls/Mul');
    if (addDims) b.init('shift', addDims, randomValues(r, addDims.reduce((a, d) => a * d, 1))).node('Add', ['m', 'shift'], ['y'], {}, '/ls/Add');
    return b.build();
  }

  const valid: [string, number[], Before, number, number[], number[] | null][] = [
    ['Gemm transB=1 → Mul [F] → Add [F]', [2, 3], 'gemm', 4, [4], [4]],
    ['MatMul → Mul [1, F] → Add [1, F]', [2, 3], 'matmul', 4, [1, 4], [1, 4]],
    ['MatMul+Add → Mul [F] (no Add after)', [2, 3], 'matmul+add', 4, [4], null],
    ['LayerScale: MatMul on [N, L, F] → Mul [F] (the last axis at any rank)', [2, 5, 3], 'matmul', 4, [4], null],
    ['MatMul on [N, L, F] → Mul [1, 1, F] → Add [F]', [2, 5, 3], 'matmul+add', 4, [1, 1, 4], [4]],
    ['Gemm → Mul of one value → Add [F]', [2, 3], 'gemm', 4, [], [4]],
    ['Conv → Mul [1, C, 1, 1] → Add [1, C, 1, 1] (BatchNorm decomposed)', [1, 3, 6, 6], 'conv', 4, [1, 4, 1, 1], [1, 4, 1, 1]],
    ['Conv → Mul [C, 1, 1] → Add [C, 1, 1]', [1, 3, 6, 6], 'conv', 4, [4, 1, 1], [4, 1, 1]],
    ['Conv → Mul of one value', [1, 3, 6, 6], 'conv', 4, [1], null],
    ['ConvTranspose → Mul [1, C, 1, 1] → Add [1, C, 1, 1]', [1, 4, 3, 3], 'convT', 6, [1, 6, 1, 1], [1, 6, 1, 1]],
  ];
  for (const [name, input, before, out, mulDims, addDims] of valid) {
    it(`${name}: folds into the op, and onnxruntime agrees`, async () => {
      const m = affine(input, before, out, mulDims, addDims);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.map((p) => p.pattern)).toEqual(['linear-affine']);
      expect(pairs[0].reasons).toEqual([]);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.length).toBe(1);
      expect(opsOf(res.model)).not.toContain('Mul');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    });
  }

  it('Conv → Mul [C] with W == C acts on W: BIAS_AXIS quotes both shapes and the coincidence; apply anyway is wrong in onnxruntime', async () => {
    const m = affine([1, 3, 6, 6], 'conv', 4, [4], [1, 4, 1, 1]);
    const [p] = analyzeModel(m).pairs;
    expect(codes(p)).toEqual(['BIAS_AXIS']);
    expect(p.reasons[0].message).toContain('Mul "/ls/Mul" multiplies "scale" of shape [4] to [1, 4, 4, 4]');
    expect(p.reasons[0].message).toContain('along axis 3 (size 4)');
    expect(p.reasons[0].message).toContain('coincidence');
    expect(naiveFoldProblem(p)).toBeNull();
    const res = fuse(m, { ignoreAxisRule: true });
    expect(res.incorrect).toBe(true);
    const report = await verify(writeModel(m), writeModel(res.model), { runs: 1 });
    expect(report.pass).toBe(false);
  });

  it('after a Linear, a constant on another axis is refused: the Mul [N, 1] on the batch axis, an Add [L, 1] on rank 3', () => {
    const [p1] = analyzeModel(affine([2, 3], 'gemm', 4, [2, 1], null)).pairs;
    expect(codes(p1)).toEqual(['BIAS_AXIS']);
    expect(p1.reasons[0].message).toContain('along axis 0 (size 2), not along the 4 output features on axis 1');
    const [p2] = analyzeModel(affine([2, 5, 3], 'matmul', 4, [4], [5, 1])).pairs;
    expect(codes(p2)).toEqual(['BIAS_AXIS']);
    expect(p2.reasons[0].message).toContain('Add "/ls/Add" adds "shift" of shape [5, 1]');
    expect(p2.reasons[0].message).toContain('along axis 1 (size 5)');
  });

  it('not a candidate: a Mul by a computed value, or after a MatMul by a computed operand (attention’s Q·Kᵀ scale)', () => {
    const r = seededRandom(5);
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).input('g', [2, 4]).input('q', [2, 4, 3]).input('k', [2, 3, 4]).output('y').output('z');
    b.init('fc.w', [3, 4], randomValues(r, 12)).node('MatMul', ['x', 'fc.w'], ['h']);
    b.node('Mul', ['h', 'g'], ['y']);
    b.node('MatMul', ['q', 'k'], ['qk']).init('scale', [], [0.125]).node('Mul', ['qk', 'scale'], ['z']);
    expect(analyzeModel(b.build()).pairs).toEqual([]);
  });

  it('the Linear output read elsewhere is PRE_BN_VALUE_SHARED, naming the Mul', () => {
    const r = seededRandom(6);
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y').output('h');
    b.init('fc.w', [3, 4], randomValues(r, 12)).node('MatMul', ['x', 'fc.w'], ['h'], {}, '/fc/MatMul');
    b.init('scale', [4], randomValues(r, 4)).node('Mul', ['h', 'scale'], ['y'], {}, '/ls/Mul');
    const [p] = analyzeModel(b.build()).pairs;
    expect(codes(p)).toEqual(['PRE_BN_VALUE_SHARED']);
    expect(p.reasons[0].message).toContain('Folding the Mul into the Linear');
  });

  it('BN → Gemm → Mul [F] → Add [F]: two pairs share the Gemm and both fold in one call', async () => {
    const r = seededRandom(8);
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    bn(b, r, 'bn', 'x', 'n', 3);
    b.init('fc.w', [4, 3], randomValues(r, 12)).init('fc.c', [4], randomValues(r, 4)).node('Gemm', ['n', 'fc.w', 'fc.c'], ['h'], { transB: 1 }, '/fc/Gemm');
    b.init('scale', [4], randomValues(r, 4)).node('Mul', ['h', 'scale'], ['m'], {}, '/ls/Mul');
    b.init('shift', [4], randomValues(r, 4)).node('Add', ['shift', 'm'], ['y'], {}, '/ls/Add');
    const m = b.build();
    expect(analyzeModel(m).pairs.map((p) => p.pattern).sort()).toEqual(['bn-linear', 'linear-affine']);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.length).toBe(2);
    expect(opsOf(res.model)).toEqual(['Gemm']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });
});
