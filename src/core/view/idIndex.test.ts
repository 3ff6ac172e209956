import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { writeModel, readModel } from '../onnx/modelIO';
import { syntheticModel } from '../../examples/synthetic';
import { buildGraphView } from './graphView';
import { buildHierarchy } from './hierarchy';
import { GroupLayout } from './groupLayout';
import { IdMap, indexById } from './idIndex';
import { nodeId, nodeIndexOf, parseId } from './ids';

describe('lookup by id', () => {
  it('finds every item of an expanded layout as a map by id does, and nothing else', () => {
    const view = buildGraphView(analyzeModel(readModel(writeModel(syntheticModel({ nodes: 400 })))));
    const h = buildHierarchy(view);
    const layout = new GroupLayout(view, h).layout(h.groups.keys());
    const kinds = new Set(layout.items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['frame', 'node']);
    for (const list of [layout.items, view.nodes] as const) {
      const map = new Map<string, { id: string }>(list.map((i) => [i.id, i]));
      const ix = indexById<{ id: string }>(list);
      for (const id of map.keys()) expect(ix.get(id)).toBe(map.get(id));
    }
    const ix = indexById(layout.items);
    expect(indexById(layout.items)).toBe(ix);
    for (const id of ['n999999', 'n01', 'n', 'n-1', 'g:nope', 'in:nope', '', 'x1', nodeId(2 ** 31 - 1)]) {
      expect(ix.get(id), id).toBeUndefined();
      expect(ix.has(id)).toBe(false);
    }
  });

  it('keeps the last of equal ids, as a map built from the list would', () => {
    const items = [
      { id: 'n3', v: 1 },
      { id: 'g:a', v: 2 },
      { id: 'n3', v: 3 },
      { id: 'g:a', v: 4 },
    ];
    const ix = indexById(items);
    expect(ix.get('n3')?.v).toBe(3);
    expect(ix.get('g:a')?.v).toBe(4);
    expect(ix.get('n0')).toBeUndefined();
  });

  it('holds far-apart node indexes without a list that long', () => {
    const m = new IdMap<number>().set(nodeId(5), 5).set(nodeId(999999999), 1).set('in:x', 2);
    expect([m.get(nodeId(5)), m.get(nodeId(999999999)), m.get('in:x'), m.get(nodeId(6)), m.get(nodeId(999999998))]).toEqual([5, 1, 2, undefined, undefined]);
    expect((m as unknown as { nodes: unknown[] }).nodes.length).toBe(6);
    // Far ahead when set, then passed by the list as nearer indexes fill it.
    const late = new IdMap<number>().set(nodeId(5000), 5000);
    for (let i = 0; i <= 5001; i++) if (i !== 5000) late.set(nodeId(i), i);
    expect([late.get(nodeId(5000)), late.get(nodeId(5001)), late.has(nodeId(5000))]).toEqual([5000, 5001, true]);
  });

  it('reads node ids as nodeId writes them', () => {
    for (const i of [0, 7, 10, 12345, 999999999]) {
      expect(nodeIndexOf(nodeId(i))).toBe(i);
      expect(parseId(nodeId(i))).toEqual({ kind: 'node', index: i });
    }
    for (const id of ['n01', 'n', 'n1a', 'm1', 'in:n1', 'n12345678901']) expect(nodeIndexOf(id), id).toBe(-1);
  });
});
