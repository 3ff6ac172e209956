/**
 * Shape inference checked against onnxruntime-web: every intermediate value becomes an extra graph
 * output, the model runs, and the real shapes are compared with the inferred ones.
 */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, float, randomValues, seededRandom, type DimSpec } from '../onnx/builder';
import { readModel } from '../onnx/modelIO';
import { buildGraph } from './graph';
import { inferShapes } from './shapeInference';
import { corpusBytes, corpusManifest, corpusIt } from '../testing/corpus';
import { DataType } from '../onnx/types';
import { checkAgainstOrt, otherFeeds, type Unknowns } from '../testing/shapeCheck';

const rand = seededRandom(7);
const w = (dims: number[]) => randomValues(rand, dims.reduce((a, b) => a * b, 1));

/**
 * Real exports whose shapes are not all known yet, with the counts of unknown values allowed (a
 * ratchet: lower them as shape inference learns more). Empty: every corpus export is fully known.
 */
const KNOWN_GAPS: Record<string, Unknowns> = {};

describe('shape inference matches onnxruntime-web', () => {
  it('MLP: Gemm (transB 0/1), MatMul 2-D and batched, Add, activations, BatchNormalization, Softmax', async () => {
    const b = new ModelBuilder().opset(17);
    const batch: DimSpec = 'batch';
    b.input('x', [batch, 6]).output('out');
    b.init('w1', [8, 6], w([8, 6])).init('b1', [8], w([8]));
    b.node('Gemm', ['x', 'w1', 'b1'], ['g1'], { transB: 1, alpha: float(0.5) });
    b.init('w2', [8, 4], w([8, 4]));
    b.node('Gemm', ['g1', 'w2'], ['g2'], {});
    for (const p of ['s', 'bb', 'm']) b.init(p, [4], w([4]));
    b.init('v', [4], w([4]).map(Math.abs));
    b.node('BatchNormalization', ['g2', 's', 'bb', 'm', 'v'], ['bn'], {});
    b.node('Relu', ['bn'], ['r']);
    b.node('Sigmoid', ['r'], ['sg']);
    b.init('w3', [4, 3], w([4, 3]));
    b.node('MatMul', ['sg', 'w3'], ['mm']);
    b.init('b3', [3], w([3]));
    b.node('Add', ['b3', 'mm'], ['a3']);
    b.node('Unsqueeze', ['a3', 'ax'], ['u']);
    b.initInts('ax', [1], [1]);
    b.init('w4', [3, 5], w([3, 5]));
    b.node('MatMul', ['u', 'w4'], ['mm3d']);
    b.init('w5', [1, 5, 7], w([1, 5, 7]));
    b.node('MatMul', ['mm3d', 'w5'], ['mmb']);
    b.init('vec', [7], w([7]));
    b.node('MatMul', ['mmb', 'vec'], ['mm1d']);
    b.node('Softmax', ['mm1d'], ['out'], { axis: -1 });
    await checkAgainstOrt(b.build(), [{ x: [3, 6] }, { x: [5, 6] }]);
  });

  it('Conv, BatchNormalization, pooling, Flatten, Reshape (0 and −1), Transpose, Squeeze, Concat, Identity, Cast, Dropout', async () => {
    const b = new ModelBuilder().opset(13);
    b.input('x', ['n', 3, 17, 15]).output('out');
    b.init('cw', [8, 3, 3, 3], w([8, 3, 3, 3]));
    b.node('Conv', ['x', 'cw'], ['c1'], { pads: [1, 1, 1, 1], strides: [2, 2] });
    for (const p of ['s', 'bb', 'm']) b.init(p, [8], w([8]));
    b.init('v', [8], w([8]).map(Math.abs));
    b.node('BatchNormalization', ['c1', 's', 'bb', 'm', 'v'], ['bn'], { epsilon: float(1e-5) });
    b.init('dw', [8, 1, 3, 3], w([8, 1, 3, 3]));
    b.node('Conv', ['bn', 'dw'], ['dc'], { group: 8, auto_pad: 'SAME_UPPER' });
    b.node('MaxPool', ['dc'], ['mp'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    b.node('AveragePool', ['mp'], ['ap'], { kernel_shape: [2, 2], pads: [1, 0, 1, 0] });
    b.node('GlobalAveragePool', ['ap'], ['gap']);
    b.node('Flatten', ['ap'], ['fl'], { axis: 1 });
    b.initInts('shape', [3], [0, -1, 4]);
    b.node('Reshape', ['fl', 'shape'], ['rs']);
    b.node('Transpose', ['rs'], ['tp'], { perm: [2, 0, 1] });
    b.initInts('sq_axes', [1], [2]);
    b.node('Squeeze', ['gap', 'sq_axes'], ['sq']);
    b.node('Concat', ['sq', 'sq'], ['cat'], { axis: 1 });
    b.node('Identity', ['cat'], ['id']);
    b.node('Cast', ['id'], ['cast'], { to: DataType.DOUBLE });
    b.node('Cast', ['cast'], ['cast2'], { to: DataType.FLOAT });
    b.node('Dropout', ['cast2'], ['drop']);
    b.node('ReduceMean', ['tp'], ['rm'], { axes: [1], keepdims: 0 });
    b.node('Tanh', ['rm'], ['th']);
    b.node('Mul', ['drop', 'drop'], ['out']);
    await checkAgainstOrt(b.build(), [{ x: [2, 3, 17, 15] }]);
  });

  it('a rank known only through Reshape with a shape computed from Shape/Gather/Concat', async () => {
    const b = new ModelBuilder().opset(13);
    b.input('x', ['batch', 4, 5]).output('y');
    b.node('Shape', ['x'], ['sh']);
    b.initInts('zero', [], [0]);
    b.node('Gather', ['sh', 'zero'], ['n'], { axis: 0 });
    b.initInts('one', [1], [0]);
    b.node('Unsqueeze', ['n', 'one'], ['n1']);
    b.initInts('minus', [1], [-1]);
    b.node('Concat', ['n1', 'minus'], ['newshape'], { axis: 0 });
    b.node('Reshape', ['x', 'newshape'], ['flat']);
    b.init('wt', [20, 3], w([20, 3]));
    b.node('MatMul', ['flat', 'wt'], ['y']);
    const compared = await checkAgainstOrt(b.build(), [{ x: [3, 4, 5] }, { x: [7, 4, 5] }]);
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it('unknown stays unknown: Reshape by a computed shape whose length is unknown', async () => {
    const b = new ModelBuilder().opset(13);
    b.input('x', [2, 6]).input('s', null, DataType.INT64).output('y');
    b.node('Reshape', ['x', 's'], ['y']);
    const g = buildGraph(b.build());
    expect(inferShapes(g).types.get('y')!.shape).toBeNull();
  });

  for (const entry of corpusManifest()) {
    corpusIt(`real export ${entry.file}`, async () => {
      const model = readModel(corpusBytes(entry.file));
      await checkAgainstOrt(model, [entry.feeds, otherFeeds(model, entry.feeds)], [], KNOWN_GAPS[entry.file]);
    });
  }
});
