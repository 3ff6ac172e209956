/**
 * Constants as ONNX Runtime sees them: initializers listed as graph inputs before IR version 4, and
 * parameters computed from constants only (ConstantOfShape, Identity/Cast/Reshape/Unsqueeze/Squeeze/
 * Transpose/Concat chains). Folds checked against onnxruntime-web; quantized weights stay refused.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { makeValueInfo, ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { makeFloatTensor, makeTensor, encodeInts } from '../onnx/tensor';
import { DataType, type ModelProto } from '../onnx/types';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import { buildGraph } from './graph';
import { inferShapes } from './shapeInference';

const r = seededRandom(99);

/** Conv → BN at opset 9 with every initializer also listed as a graph input (as IR 3 required). */
function listedInitializers(ir: number): ModelProto {
  const b = new ModelBuilder().opset(9);
  b.input('x', [1, 2, 5, 5]).output('y');
  b.init('w', [3, 2, 3, 3], randomValues(r, 54)).init('cb', [3], randomValues(r, 3));
  b.init('s', [3], randomValues(r, 3, 0.5, 1.5)).init('bb', [3], randomValues(r, 3));
  b.init('m', [3], randomValues(r, 3)).init('v', [3], randomValues(r, 3, 0.2, 2));
  for (const t of b.graph.initializer) b.graph.input.push(makeValueInfo(t.name!, DataType.FLOAT, t.dims.map(Number)));
  b.node('Conv', ['x', 'w', 'cb'], ['h'], { pads: [1, 1, 1, 1] }, 'conv');
  b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], {}, 'bn');
  return { ...b.build(), irVersion: ir };
}

describe('initializers listed as graph inputs', () => {
  it('before IR 4 they are constants: the pair folds, the fused model lists its new initializers, onnxruntime agrees', async () => {
    const m = listedInitializers(3);
    const [pair] = analyzeModel(m).pairs;
    expect(pair.fusable, JSON.stringify(pair.reasons)).toBe(true);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.length).toBe(1);
    const g = res.model.graph!;
    const inputs = new Set(g.input.map((v) => v.name));
    for (const t of g.initializer) expect(inputs.has(t.name), `${t.name} listed as an input`).toBe(true);
    expect(inputs.has('s')).toBe(false);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('from IR 4 on a caller may override them: NON_CONSTANT_PARAMS, and the message says why', () => {
    const [pair] = analyzeModel(listedInitializers(4)).pairs;
    expect(pair.fusable).toBe(false);
    const reason = pair.reasons.find((x) => x.code === 'NON_CONSTANT_PARAMS')!;
    expect(reason.message).toContain('from IR version 4 on (this model is IR 4) a caller may override it');
  });
});

/** Gemm → BN whose weight, bias and BN parameters are computed from constants in chains. */
function computedParams(): ModelProto {
  const b = new ModelBuilder().opset(17);
  b.input('x', ['batch', 3]).output('y');
  // weight [3, 4] = Transpose(Reshape(Concat(a, b))) with a, b Constant nodes.
  b.constant('wa', [6], randomValues(r, 6));
  b.constant('wb', [6], randomValues(r, 6));
  b.node('Concat', ['wa', 'wb'], ['wflat'], { axis: 0 }, '/w/Concat');
  b.constantInts('wshape', [2], [4, 3]);
  b.node('Reshape', ['wflat', 'wshape'], ['w43'], {}, '/w/Reshape');
  b.node('Transpose', ['w43'], ['w'], { perm: [1, 0] }, '/w/Transpose');
  // bias [4] = Squeeze(Unsqueeze(Cast(float64 initializer))).
  b.init('c64', [4], randomValues(r, 4), DataType.DOUBLE);
  b.node('Cast', ['c64'], ['c32'], { to: DataType.FLOAT }, '/c/Cast');
  b.initInts('ax0', [1], [0]);
  b.node('Unsqueeze', ['c32', 'ax0'], ['c1'], {}, '/c/Unsqueeze');
  b.node('Squeeze', ['c1', 'ax0'], ['c'], {}, '/c/Squeeze');
  b.node('MatMul', ['x', 'w'], ['mm'], {}, '/fc/MatMul');
  b.node('Add', ['c', 'mm'], ['h'], {}, '/fc/Add');
  // scale = ConstantOfShape([4]) filled with 1.25; mean through Identity; var from ConstantOfShape of a computed shape.
  b.constantInts('four', [1], [4]);
  b.node('ConstantOfShape', ['four'], ['s'], { value: makeFloatTensor('', [1], [1.25]) }, '/bn/scale');
  b.init('bb', [4], randomValues(r, 4));
  b.init('m0', [4], randomValues(r, 4));
  b.node('Identity', ['m0'], ['m'], {}, '/bn/mean');
  b.node('Identity', ['four'], ['four2'], {}, '/bn/shape');
  b.node('ConstantOfShape', ['four2'], ['v'], { value: makeFloatTensor('', [1], [0.7]) }, '/bn/var');
  b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], {}, '/bn/BatchNormalization');
  return b.build();
}

describe('parameters computed from constants', () => {
  it('are folded, judged on their values, and the fused model holds the folded weight with no computing nodes left', async () => {
    const m = computedParams();
    const a = analyzeModel(m);
    const [pair] = a.pairs;
    expect(pair.fusable, JSON.stringify(pair.reasons)).toBe(true);
    expect(pair.linear.weightShape).toEqual([3, 4]);
    const { res, report } = await fuseAndVerify(m, { dims: { batch: 3 } });
    expect(res.folded.length).toBe(1);
    const ops = res.model.graph!.node.map((n) => n.opType);
    expect(ops.sort()).toEqual(['Add', 'MatMul']);
    const inits = res.model.graph!.initializer.map((t) => t.name);
    expect(inits).toContain(res.folded[0].weight);
    expect(inits).not.toContain('m0');
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('shape inference knows ConstantOfShape from its constant input, and symbolically from Shape', () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['batch', 3]).output('z').output('k');
    b.node('Shape', ['x'], ['sh']);
    b.node('ConstantOfShape', ['sh'], ['z'], { value: makeTensor('', DataType.INT64, [1], encodeInts([2], DataType.INT64)) });
    b.constantInts('dims', [3], [2, 5, 7]);
    b.node('ConstantOfShape', ['dims'], ['k']);
    const info = inferShapes(buildGraph(b.build()));
    expect(info.types.get('z')).toEqual({ dtype: DataType.INT64, shape: ['batch', 3] });
    expect(info.types.get('k')).toEqual({ dtype: DataType.FLOAT, shape: [2, 5, 7] });
  });

  it('folding is bounded: a ConstantOfShape of a billion elements is left unfolded, quickly', () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    b.init('w', [3, 4], randomValues(r, 12));
    b.node('MatMul', ['x', 'w'], ['h']);
    b.constantInts('huge', [2], [1_000_000, 1000]);
    b.node('ConstantOfShape', ['huge'], ['big']);
    b.init('s', [4], [1, 1, 1, 1]).init('bb', [4], [0, 0, 0, 0]).init('m', [4], [0, 0, 0, 0]);
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'big'], ['y']);
    const t = performance.now();
    const [pair] = analyzeModel(b.build()).pairs;
    expect(performance.now() - t).toBeLessThan(2000);
    expect(pair.reasons.map((x) => x.code)).toContain('NON_CONSTANT_PARAMS');
  });

  it('a weight from DequantizeLinear is not folded into a float weight: QUANTIZED_WEIGHT', () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    b.initTensor(makeTensor('wq', DataType.INT8, [4, 3], encodeInts([1, -2, 3, 4, 5, -6, 7, 8, 9, 10, -11, 12], DataType.INT8)));
    b.init('wscale', [], [0.05]);
    b.initTensor(makeTensor('wzero', DataType.INT8, [], encodeInts([0], DataType.INT8)));
    b.node('DequantizeLinear', ['wq', 'wscale', 'wzero'], ['wdq'], {}, '/w/DequantizeLinear');
    b.node('Transpose', ['wdq'], ['w'], { perm: [1, 0] });
    b.node('MatMul', ['x', 'w'], ['h'], {}, '/fc/MatMul');
    b.init('s', [4], [1, 2, 3, 4]).init('bb', [4], [0, 0, 0, 0]).init('m', [4], [0, 0, 0, 0]).init('v', [4], [1, 1, 1, 1]);
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y'], {}, '/bn/BatchNormalization');
    const [pair] = analyzeModel(b.build()).pairs;
    expect(pair.fusable).toBe(false);
    expect(pair.reasons.map((x) => x.code), JSON.stringify(pair.reasons)).toEqual(['QUANTIZED_WEIGHT']);
    expect(pair.reasons[0].message).toContain('weight "w" is computed by DequantizeLinear "/w/DequantizeLinear" from "wq"');
  });
});
