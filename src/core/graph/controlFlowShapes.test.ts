/** Shapes through If, Loop and Scan (their bodies inferred as graphs of their own), checked against onnxruntime at two batch sizes. */
import { describe, expect, it } from 'vitest';
import { emptyGraph, makeNode, makeValueInfo, ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { DataType, type GraphProto } from '../onnx/types';
import { buildGraph } from './graph';
import { inferShapes } from './shapeInference';
import { checkAgainstOrt } from '../testing/shapeCheck';

const r = seededRandom(5);
const FEEDS = [{ x: [2, 4] }, { x: [3, 4] }];

/** A body whose outputs carry no declared shape: inference must find them. */
function body(name: string, inputs: [string, number, number[]?][], nodes: ReturnType<typeof makeNode>[], outputs: string[]): GraphProto {
  const g = emptyGraph(name);
  for (const [n, t, shape] of inputs) g.input.push(makeValueInfo(n, t, shape));
  g.node.push(...nodes);
  for (const o of outputs) g.output.push(makeValueInfo(o, undefined, undefined));
  return g;
}

describe('control flow', () => {
  it('If: both branches give [B, 4] (one reads an outer value), so does the If; branches that differ give unknown dims', async () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 4]).output('y').output('z');
    b.init('w', [4, 4], randomValues(r, 16));
    b.node('MatMul', ['x', 'w'], ['h']);
    b.initInts('flag', [], [1], DataType.BOOL);
    b.node('If', ['flag'], ['y'], { then_branch: body('then', [], [makeNode('Relu', ['h'], ['t'])], ['t']), else_branch: body('else', [], [makeNode('Neg', ['x'], ['e'])], ['e']) }, '/If');
    b.initInts('two', [1], [2]);
    b.node('If', ['flag'], ['z'], { then_branch: body('then2', [], [makeNode('Identity', ['h'], ['t2'])], ['t2']), else_branch: body('else2', [], [makeNode('Tile', ['h', 'tw'], ['e2'])], ['e2']) }, '/If_2');
    b.initInts('tw', [2], [1, 2]);
    const m = b.build();
    const info = inferShapes(buildGraph(m));
    expect(info.types.get('y')!.shape).toEqual(['B', 4]);
    expect(info.types.get('z')!.shape).toEqual(['B', null]);
    await checkAgainstOrt(m, FEEDS, ['z']);
  });

  it('Loop: carried values keep their shape, scan outputs gain the trip count; Scan: states and per-step outputs', async () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 4]).output('acc').output('steps').output('state').output('rows');
    b.initInts('trips', [], [3]);
    const loopBody = body(
      'loop',
      [['i', DataType.INT64, []], ['c', DataType.BOOL, []], ['a', DataType.FLOAT]],
      [makeNode('Identity', ['c'], ['c_out']), makeNode('Add', ['a', 'x'], ['a_out']), makeNode('Identity', ['a_out'], ['step'])],
      ['c_out', 'a_out', 'step'],
    );
    b.node('Loop', ['trips', '', 'x'], ['acc', 'steps'], { body: loopBody }, '/Loop');
    b.init('s0', [4], randomValues(r, 4));
    const scanBody = body('scan', [['s', DataType.FLOAT], ['row', DataType.FLOAT]], [makeNode('Add', ['s', 'row'], ['s_out']), makeNode('Mul', ['row', 'row'], ['sq'])], ['s_out', 'sq']);
    b.node('Scan', ['s0', 'x'], ['state', 'rows'], { body: scanBody, num_scan_inputs: 1 }, '/Scan');
    const m = b.build();
    const info = inferShapes(buildGraph(m));
    expect(info.types.get('acc')!.shape).toEqual(['B', 4]);
    expect(info.types.get('steps')!.shape).toEqual([3, 'B', 4]);
    expect(info.types.get('state')!.shape).toEqual([4]);
    expect(info.types.get('rows')!.shape).toEqual(['B', 4]);
    await checkAgainstOrt(m, FEEDS);
  });
});
