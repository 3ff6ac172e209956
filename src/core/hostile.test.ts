/** Broken and hostile models: each is handled with a clear message, never a crash or a hang. */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, emptyGraph, makeNode, randomValues, seededRandom } from './onnx/builder';
import { analyzeModel } from './analysis';
import { InspectorSession } from './session/inspectorSession';
import { readModel, writeModel } from './onnx/modelIO';
import { OnnxReadError } from './onnx/errors';
import { makeTensor } from './onnx/tensor';
import { DataType, type ModelProto } from './onnx/types';

function open(m: ModelProto) {
  const s = new InspectorSession();
  return s.open('hostile.onnx', writeModel(m));
}

const codes = (m: ModelProto) => analyzeModel(m).diagnostics.map((d) => d.code);

describe('hostile and inconsistent models', () => {
  it('a cycle: reported, shapes unknown there, the page still lays it out', () => {
    const b = new ModelBuilder();
    b.input('x', [2, 3]).output('y');
    b.node('Add', ['x', 'c'], ['a'], {}, 'first');
    b.node('Relu', ['a'], ['c'], {}, 'second');
    b.node('Identity', ['a'], ['y'], {}, 'out');
    const m = b.build();
    const a = analyzeModel(m);
    expect(a.diagnostics[0].code).toBe('CYCLE');
    expect(a.diagnostics[0].message).toContain('"first"');
    expect(a.shapes.types.get('a')?.shape ?? null).toBeNull();
    const snap = open(m);
    expect(snap.layout.items.length).toBeGreaterThan(0);
  });

  it('a Conv (and BN) on a tensor of rank < 3: shapes unknown there, no crash (found by npm run fuzz, seed 20261127)', () => {
    const r = seededRandom(5);
    for (const rank of [0, 1, 2]) {
      const b = new ModelBuilder();
      b.input('x', new Array(rank).fill(4)).output('y');
      b.init('w', [2, 4, 3], randomValues(r, 24, -1, 1));
      b.node('Conv', ['x', 'w'], ['c'], {}, 'conv');
      for (const [n, v] of [['g', 1], ['b', 0], ['m', 0], ['v', 1]] as const) b.init(n, [2], [v, v]);
      b.node('BatchNormalization', ['c', 'g', 'b', 'm', 'v'], ['y'], {}, 'bn');
      const a = analyzeModel(b.build());
      expect(a.shapes.types.get('c')?.shape ?? null, `rank ${rank}`).toBeNull();
      // The pair is still found and judged; nothing claims it fusable without knowing its shape.
      expect(a.pairs).toHaveLength(1);
      expect(open(b.build()).layout.items.length).toBeGreaterThan(0);
    }
  });

  it('a Reshape whose shape input claims billions of axes: rank unknown, no allocation', () => {
    for (const len of [1e10, -3, 2.5]) {
      const b = new ModelBuilder();
      b.input('x', [2, 3]).input('shape', [len]).output('y');
      b.node('Reshape', ['x', 'shape'], ['y'], {}, 'reshape');
      expect(analyzeModel(b.build()).shapes.types.get('y')?.shape ?? null, `${len}`).toBeNull();
    }
    const b = new ModelBuilder();
    b.input('x', [2, 3]).input('shape', [3]).output('y');
    b.node('Reshape', ['x', 'shape'], ['y'], {}, 'reshape');
    expect(analyzeModel(b.build()).shapes.types.get('y')?.shape).toEqual([null, null, null]);
  });

  it('two nodes writing the same tensor, and a node reading a tensor nobody defines', () => {
    const b = new ModelBuilder();
    b.input('x', [2]).output('y');
    b.node('Relu', ['x'], ['y'], {}, 'one');
    b.node('Neg', ['ghost'], ['y'], {}, 'two');
    const c = codes(b.build());
    expect(c).toContain('DUPLICATE_PRODUCER');
    expect(c).toContain('UNDEFINED_INPUT');
    expect(open(b.build()).diagnostics.find((d) => d.code === 'UNDEFINED_INPUT')!.message).toContain('"ghost"');
  });

  it('an initializer whose dims disagree with its data, and dims claiming billions of elements', () => {
    const r = seededRandom(1);
    const b = new ModelBuilder().opset(14);
    b.input('x', [2, 3]).output('y');
    b.initTensor(makeTensor('w', DataType.FLOAT, [100000, 100000], new Uint8Array(48)));
    b.node('Gemm', ['x', 'w'], ['h'], { transB: 1 });
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [4], randomValues(r, 4, 0.5, 1));
    b.node('BatchNormalization', ['h', 's', 'bb', 'm', 'v'], ['y']);
    const m = b.build();
    const a = analyzeModel(m);
    expect(a.diagnostics.map((d) => d.code)).toContain('BAD_INITIALIZER');
    expect(a.diagnostics[0].message).toContain('[100000,100000]');
    expect(a.pairs[0].fusable).toBe(false);
    expect(a.pairs[0].reasons.map((x) => x.code)).toContain('NON_CONSTANT_PARAMS');
    const s = new InspectorSession();
    const snap = s.open('big-dims.onnx', writeModel(m));
    const gemm = snap.nodes.find((n) => n.opType === 'Gemm')!;
    expect(s.nodeDetails(gemm.id)!.inputs[1].problem).toContain('need');
  });

  it('enormous names and strings are kept and do not break anything', () => {
    const b = new ModelBuilder();
    const long = 'n'.repeat(1_000_000);
    b.input('x', [2]).output('y');
    b.node('Relu', ['x'], ['y'], { note: 'é'.repeat(200_000) }, long);
    const back = readModel(writeModel(b.build()));
    expect(back.graph!.node[0].name!.length).toBe(1_000_000);
    expect(open(back).nodes.some((n) => n.name === long)).toBe(true);
  });

  it('deeply nested subgraphs are refused with a clear error', () => {
    let g = emptyGraph('leaf');
    for (let i = 0; i < 100; i++) {
      const outer = emptyGraph(`level${i}`);
      // One branch per level: sharing g in both would double the written size at every level.
      outer.node.push(makeNode('If', ['c'], ['o'], { then_branch: g }));
      g = outer;
    }
    const b = new ModelBuilder();
    b.graph.node.push(makeNode('If', ['c'], ['o'], { then_branch: g }));
    const bytes = writeModel(b.build());
    let err: unknown;
    try {
      readModel(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OnnxReadError);
    expect((err as OnnxReadError).code).toBe('TOO_DEEP');
    expect((err as OnnxReadError).message).toMatch(/levels deep/);
  });

  it('unknown domains and opsets are shown; analysis says what it cannot judge', () => {
    const b = new ModelBuilder().opset(1, 'com.example');
    b.input('x', [2, 3]).output('y');
    b.graph.node.push(makeNode('Mystery', ['x'], ['h'], {}, 'mystery', 'com.example'));
    b.node('Relu', ['h'], ['y']);
    const a = analyzeModel(b.build());
    expect(a.diagnostics.find((d) => d.code === 'UNKNOWN_DOMAIN')!.message).toContain('"com.example"');
    expect(a.shapes.types.get('y')?.shape ?? null).toBeNull();
  });
});
