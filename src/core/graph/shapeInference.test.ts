/**
 * Shape inference checked against onnxruntime-web: every intermediate value becomes an extra graph
 * output, the model runs, and the real shapes are compared with the inferred ones.
 */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, float, randomValues, seededRandom, type DimSpec } from '../onnx/builder';
import { readModel, writeModel } from '../onnx/modelIO';
import { buildGraph } from './graph';
import { inferShapes, type Dim } from './shapeInference';
import { evaluateDim } from './symbolic';
import { createSession, makeOrtTensor } from '../verify/ortSession';
import { corpusBytes, corpusManifest, corpusIt } from '../testing/corpus';
import { DataType, type ModelProto } from '../onnx/types';
import { makeValueInfo } from '../onnx/builder';

const rand = seededRandom(7);
const w = (dims: number[]) => randomValues(rand, dims.reduce((a, b) => a * b, 1));

/** Runs the model with every node output exposed; returns real dims per value. */
async function realShapes(model: ModelProto, feeds: Record<string, number[]>): Promise<Map<string, number[]>> {
  const outputs = new Set(model.graph!.output.map((o) => o.name));
  const extra = model.graph!.node.flatMap((n) => n.output).filter((o) => o && !outputs.has(o));
  const g = { ...model.graph!, output: [...model.graph!.output, ...extra.map((name) => makeValueInfo(name, undefined, undefined))] };
  const session = await createSession(writeModel({ ...model, graph: g }));
  const ortFeeds: Record<string, ReturnType<typeof makeOrtTensor>> = {};
  for (const [name, dims] of Object.entries(feeds)) {
    const n = dims.reduce((a, b) => a * b, 1);
    ortFeeds[name] = makeOrtTensor('float32', new Float32Array(n).map(() => rand()), dims);
  }
  const result = await session.run(ortFeeds);
  const out = new Map<string, number[]>();
  for (const [name, t] of Object.entries(result)) out.set(name, [...t.dims]);
  await session.release();
  return out;
}

interface Unknowns {
  /** Values onnxruntime computes whose rank we do not know. */
  rank: number;
  /** Values whose rank we know but with at least one unknown dim. */
  dims: number;
}

/** The same feeds with every symbolic input dim one larger: a second batch size (or sequence length). */
function otherFeeds(model: ModelProto, feeds: Record<string, number[]>): Record<string, number[]> {
  const info = inferShapes(buildGraph(model));
  return Object.fromEntries(Object.entries(feeds).map(([name, dims]) => [name, dims.map((d, i) => (typeof info.types.get(name)?.shape?.[i] === 'string' ? d + 1 : d))]));
}

/**
 * Runs the model for each set of feeds and compares every value's inferred shape with the runtime's:
 * a number must match every run; a symbolic dim (`batch`, `batch*3`) must equal its expression
 * evaluated with that run's symbol values. A value left unknown fails, unless `allowed` admits that
 * many (a ratchet: the count may fall, never grow; what we do state must still be right).
 */
async function checkAgainstOrt(model: ModelProto, feedSets: Record<string, number[]>[], expectUnknown: string[] = [], allowed: Unknowns = { rank: 0, dims: 0 }) {
  const g = buildGraph(model);
  const info = inferShapes(g);
  let compared = 0;
  const unknown: Unknowns = { rank: 0, dims: 0 };
  for (const [run, feeds] of feedSets.entries()) {
    const real = await realShapes(model, feeds);
    const symbols = new Map<string, number>();
    for (const [name, dims] of Object.entries(feeds)) {
      const declared = info.types.get(name)!.shape!;
      declared.forEach((d, i) => typeof d === 'string' && symbols.set(d, dims[i]));
    }
    for (const [name, dims] of real) {
      const inferred = info.types.get(name)?.shape ?? null;
      if (expectUnknown.includes(name)) {
        expect(inferred === null || inferred.some((d) => d === null), `${name} should be unknown`).toBe(true);
        continue;
      }
      if (inferred === null) {
        if (run === 0) unknown.rank++;
        continue;
      }
      expect(inferred.length, `rank of ${name}`).toBe(dims.length);
      let partly = false;
      inferred.forEach((d: Dim, i) => {
        if (typeof d === 'number') expect(d, `${name} dim ${i} (run ${run})`).toBe(dims[i]);
        else if (typeof d === 'string') expect(evaluateDim(d, symbols), `${name} dim ${i} = ${d} (run ${run})`).toBe(dims[i]);
        else partly = true;
      });
      if (partly && run === 0) unknown.dims++;
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(0);
  expect(unknown.rank, 'values whose rank is unknown').toBeLessThanOrEqual(allowed.rank);
  expect(unknown.dims, 'values with an unknown dim').toBeLessThanOrEqual(allowed.dims);
  return compared;
}

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
