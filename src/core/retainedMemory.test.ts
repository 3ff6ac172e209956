/**
 * What a parsed model and its graph index keep on the heap, per node. Lists grown by `push` keep
 * V8's spare capacity (16 slots from the first push); the reader and the index copy them to fit.
 * Without that a 5,000-node model kept ~1,700 bytes per node parsed and ~1,160 indexed (measured),
 * against ~1,190 and ~740 with it. Shapes and the view reuse the model's strings and lists (weight
 * dims as shapes, one string per node id and per shape text, no per-edge id): ~1,090 bytes per node
 * before, ~650 after. Op types, domains and attribute names are decoded once per distinct text
 * (one copy per node: ~4 MB more for 5,000 nodes with 300-character names). Readers packed in one
 * table of numbers (8 bytes a reader, outside the JS heap) instead of an object each in a list per
 * value: index ~605 → ~415 bytes per node;
 * types held on the values instead of a map by name: shapes, pairs and view ~520 → ~415. The lists
 * few messages have (a tensor's typed data lists, an attribute's value lists, metadata) left out
 * when absent instead of each set to the shared empty list: parsed ~1,045 → ~920 bytes per node
 * (~1,160 before dims lists were shared). Nodes look up the values they read by name when asked
 * instead of keeping a list of them: index ~385 → ~315 bytes per node. A weight's raw data found
 * in the file's bytes when read, and a message's end read from the length before it, instead of a
 * view and a field each: parsed ~870 → ~670. A value's numbers and flags in a table shared by the
 * graph (valueTable.ts), and a node's op type, domain and label read from its proto: index ~276 →
 * ~140. Each budget sits between.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readModel, writeModel } from './onnx/modelIO';
import { syntheticModel } from '../examples/synthetic';
import { buildGraph } from './graph/graph';
import { analyzeModel } from './analysis';
import { findPairs } from './patterns/findPairs';
import { inferShapes } from './graph/shapeInference';
import { buildGraphView } from './view/graphView';
import { ModelBuilder } from './onnx/builder';
import { InspectorSession } from './session/inspectorSession';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function usedHeap(): number {
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size;
}

describe('retained memory', () => {
  it('a parsed model and its graph index hold no spare list capacity', () => {
    const bytes = writeModel(syntheticModel({ nodes: 5000 }));
    // Compiled code and caches of a first run are not the model's.
    buildGraph(readModel(writeModel(syntheticModel({ nodes: 200 }))));
    // The least of three, all kept: a collection's timing moves one reading by up to ±80 bytes a node.
    const keep: unknown[] = [];
    let parsedBytes = Infinity;
    let indexBytes = Infinity;
    let nodes = 0;
    for (let i = 0; i < 3; i++) {
      const before = usedHeap();
      const model = readModel(bytes);
      const parsed = usedHeap();
      const graph = buildGraph(model);
      const indexed = usedHeap();
      keep.push(graph);
      nodes = graph.nodes.length;
      parsedBytes = Math.min(parsedBytes, parsed - before);
      indexBytes = Math.min(indexBytes, indexed - parsed);
    }
    expect(nodes).toBeGreaterThan(4000);
    const parsedPerNode = parsedBytes / nodes;
    const indexPerNode = indexBytes / nodes;
    expect(parsedPerNode, `parsed model: ${parsedPerNode.toFixed(0)} bytes per node`).toBeLessThan(760);
    expect(indexPerNode, `graph index: ${indexPerNode.toFixed(0)} bytes per node`).toBeLessThan(210);
  });

  it('each message type is sized for its own fields', () => {
    // 20,000 attributes of one int each, on 5,000 nodes: with one class for every message type, V8
    // gave each attribute room for the largest message's fields (measured ~198 bytes an attribute,
    // its node's share included, against ~162 with a class per type).
    const b = new ModelBuilder('attributes').opset(14);
    b.input('x', [1]);
    let cur = 'x';
    for (let i = 0; i < 5000; i++) {
      b.node('Custom', [cur], [`v${i}`], { a: 1, b: 2, c: 3, d: 4 }, `n${i}`);
      cur = `v${i}`;
    }
    b.output(cur, [1]);
    const bytes = writeModel(b.build());
    readModel(bytes);
    const keep: unknown[] = [];
    let least = Infinity;
    for (let i = 0; i < 3; i++) {
      const before = usedHeap();
      const model = readModel(bytes);
      keep.push(model);
      least = Math.min(least, usedHeap() - before);
      expect(model.graph!.node[4999].attribute).toHaveLength(4);
    }
    const perAttribute = least / 20000;
    expect(perAttribute, `${perAttribute.toFixed(0)} bytes per attribute`).toBeLessThan(180);
  });

  it("a weight's raw data is found in the file's bytes when read, not kept as a view per weight", () => {
    // 20,000 one-float weights: measured ~208 bytes a weight with a view each, ~104 without.
    const b = new ModelBuilder('raw').opset(14);
    b.input('x', [1]);
    for (let i = 0; i < 20000; i++) b.init(`w${i}`, [1], [i]);
    b.node('Identity', ['x'], ['y'], {}, 'n').output('y', [1]);
    const bytes = writeModel(b.build());
    readModel(bytes);
    const keep: unknown[] = [];
    let least = Infinity;
    for (let i = 0; i < 3; i++) {
      const before = usedHeap();
      const model = readModel(bytes);
      keep.push(model);
      least = Math.min(least, usedHeap() - before);
      expect(new Float32Array(model.graph!.initializer[19999].rawData!.slice().buffer)[0]).toBe(19999);
    }
    const perWeight = least / 20000;
    expect(perWeight, `${perWeight.toFixed(0)} bytes per weight`).toBeLessThan(150);
  });

  it('op types, domains and attribute names are kept once per distinct text, not once per node', () => {
    // Two models alike but for the length of those three texts: 3 × 300 characters longer on each of
    // 5,000 nodes is ~4.5 MB more if every node keeps its own copies, and ~1 KB if they are shared.
    const chain = (word: string) => {
      const b = new ModelBuilder('vocabulary').opset(14).opset(1, `com.${word}`);
      b.input('x', [1, 4]);
      let cur = 'x';
      for (let i = 0; i < 5000; i++) {
        b.node(`Op${word}`, [cur], [`v${i}`], { [`attr${word}`]: 1 }, `n${i}`);
        cur = `v${i}`;
      }
      b.output(cur, [1, 4]);
      const m = b.build();
      for (const n of m.graph!.node) n.domain = `com.${word}`;
      return writeModel(m);
    };
    // The least of three readings, all kept: one reading moves by up to ±350 KB.
    const keep: unknown[] = [];
    const held = (bytes: Uint8Array) => {
      readModel(bytes);
      let least = Infinity;
      for (let i = 0; i < 3; i++) {
        const before = usedHeap();
        const model = readModel(bytes);
        keep.push(model);
        least = Math.min(least, usedHeap() - before);
        expect(model.graph!.node).toHaveLength(5000);
      }
      return least;
    };
    const extra = held(chain('x'.repeat(300))) - held(chain('x'));
    expect(extra, `${(extra / 1024).toFixed(0)} KB more for the long texts`).toBeLessThan(400 * 1024);
  });

  it('a value named by many nodes is one string once the graph is indexed', () => {
    // 10,000 nodes read one value; with a 300-character name each reader's copy is ~310 bytes, ~3 MB
    // in all, unless the index gives every reader the value's own string. The budget is a third of
    // that: on a loaded CI machine the difference reached 453 KB with half as many nodes.
    const star = (name: string) => {
      const b = new ModelBuilder('star').opset(14);
      b.input(name, [1, 4]);
      for (let i = 0; i < 10000; i++) b.node('Relu', [name], [`v${i}`], {}, `n${i}`).output(`v${i}`, [1, 4]);
      return writeModel(b.build());
    };
    const keep: unknown[] = [];
    // The least of three readings, all kept: one reading moved by up to ±350 KB between runs.
    const held = (bytes: Uint8Array) => {
      let least = Infinity;
      for (let i = 0; i < 3; i++) {
        const before = usedHeap();
        const model = readModel(bytes);
        const graph = buildGraph(model);
        keep.push(graph);
        least = Math.min(least, usedHeap() - before);
        expect(graph.values.get(graph.nodes[0].proto.input[0])?.readerCount).toBe(10000);
      }
      return least;
    };
    held(star('y'));
    const extra = held(star('x'.repeat(300))) - held(star('x'));
    expect(extra, `${(extra / 1024).toFixed(0)} KB more for the long name`).toBeLessThan(1024 * 1024);
  });

  it('values of one type share one type and one dims list', () => {
    // 5,000 Adds on a rank-32 tensor (broadcasting makes each output's dims anew): ~1.2 MB of dims
    // lists if each value keeps its own, against rank 1.
    const chain = (rank: number) => {
      const b = new ModelBuilder('types').opset(14);
      b.input('x', Array.from({ length: rank }, () => 1));
      let cur = 'x';
      for (let i = 0; i < 5000; i++) {
        b.node('Add', [cur, cur], [`v${i}`], {}, `n${i}`);
        cur = `v${i}`;
      }
      b.output(cur);
      return buildGraph(readModel(writeModel(b.build())));
    };
    const keep: unknown[] = [];
    const held = (graph: ReturnType<typeof buildGraph>) => {
      const before = usedHeap();
      const shapes = inferShapes(graph);
      keep.push(shapes);
      const after = usedHeap();
      expect(shapes.types.get('v4999')?.shape).toHaveLength(graph.proto.input[0].type!.tensorType!.shape!.dim.length);
      return after - before;
    };
    held(chain(2));
    const extra = held(chain(32)) - held(chain(1));
    expect(extra, `${(extra / 1024).toFixed(0)} KB more for rank 32`).toBeLessThan(400 * 1024);
  });

  it('weights of one shape share one dims list, and one type once shapes are inferred', () => {
    // 20,000 weights of one shape, each added to the input. Each weight's own rank-8 dims list is
    // ~1.1 MB more than rank 1 (measured), against ~6 KB shared; shapes take ~0.8 MB with a type per
    // weight, ~0.37 MB with one per shape.
    const weights = (rank: number) => {
      const dims = Array.from({ length: rank }, () => 1);
      const b = new ModelBuilder('weights').opset(14);
      b.input('x', dims);
      for (let i = 0; i < 20000; i++) b.init(`w${i}`, dims, [i]).node('Add', ['x', `w${i}`], [`y${i}`], {}, `n${i}`).output(`y${i}`);
      return writeModel(b.build());
    };
    const keep: unknown[] = [];
    const parsed = (bytes: Uint8Array) => {
      const before = usedHeap();
      const model = readModel(bytes);
      keep.push(model);
      const after = usedHeap();
      expect(model.graph!.initializer).toHaveLength(20000);
      return after - before;
    };
    parsed(weights(2));
    const extra = parsed(weights(8)) - parsed(weights(1));
    expect(extra, `${(extra / 1024).toFixed(0)} KB more parsed for rank 8`).toBeLessThan(400 * 1024);

    const graph = buildGraph(readModel(weights(8)));
    const before = usedHeap();
    const shapes = inferShapes(graph);
    const after = usedHeap();
    expect(shapes.types.get('w19999')?.shape).toEqual(graph.proto.initializer[19999].dims);
    expect(after - before, `shapes: ${((after - before) / 1024).toFixed(0)} KB`).toBeLessThan(560 * 1024);
  });

  it('shapes and the view reuse what the model holds: dims lists, node ids, shape texts', () => {
    const bytes = writeModel(syntheticModel({ nodes: 5000 }));
    buildGraphView(analyzeModel(readModel(writeModel(syntheticModel({ nodes: 200 })))));
    const model = readModel(bytes);
    const graph = buildGraph(model);
    const nodes = graph.nodes.length;
    const before = usedHeap();
    const shapes = inferShapes(graph);
    const view = buildGraphView({ model, graph, shapes, pairs: findPairs(graph, shapes), diagnostics: [] });
    const after = usedHeap();
    expect(view.nodes.length).toBeGreaterThan(4000);
    const perNode = (after - before) / nodes;
    expect(perNode, `shapes, pairs and view: ${perNode.toFixed(0)} bytes per node`).toBeLessThan(470);
  });

  it('an open session keeps what the page draws, not the analysis it was made from', () => {
    const bytes = writeModel(syntheticModel({ nodes: 5000 }));
    new InspectorSession().open('warm.onnx', writeModel(syntheticModel({ nodes: 200 })));
    // The least of three, all kept (see the first test).
    const keep: InspectorSession[] = [];
    let released = Infinity;
    let held = Infinity;
    let nodes = 0;
    for (let i = 0; i < 3; i++) {
      const before = usedHeap();
      const s = new InspectorSession();
      const snap = s.open('m.onnx', bytes);
      keep.push(s);
      nodes = snap.summary.nodeCount;
      released = Math.min(released, usedHeap() - before);
      expect(s.nodeDetails(snap.nodes[1].id)).not.toBeNull();
      held = Math.min(held, usedHeap() - before);
    }
    // Measured: ~410 bytes a node released, ~1,450 with the analysis made again.
    expect(released / nodes, `released ${(released / nodes).toFixed(0)}, held ${(held / nodes).toFixed(0)} bytes per node`).toBeLessThan(700);
    expect(held / nodes).toBeGreaterThan(released / nodes + 500);
  });
});
