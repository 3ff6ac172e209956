import { describe, expect, it } from 'vitest';
import { layeredLayout, layoutGraph, DAGRE_MAX_NODES } from './layout';
import type { GraphView } from './graphView';

function chain(n: number): GraphView {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: 'op' as const, opType: 'Relu', name: `r${i}`, outputs: '' }));
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: `n${i}`, target: node.id, value: `v${i}`, label: '' }));
  return { nodes, edges };
}

describe('layout', () => {
  it('lays out a 20,000-node chain without overflowing the stack, producers above consumers', () => {
    const view = chain(20_000);
    const pos = layoutGraph(view);
    expect(pos.size).toBe(20_000);
    for (const e of view.edges) expect(pos.get(e.source)!.y).toBeLessThan(pos.get(e.target)!.y);
  });

  it('small graphs use dagre; both layouts keep every edge pointing down and nodes apart', () => {
    const view: GraphView = chain(10);
    view.nodes.push({ id: 'side', kind: 'op', opType: 'Relu', name: 'side', outputs: '' });
    view.edges.push({ id: 'es', source: 'n2', target: 'side', value: 'x', label: '' });
    view.edges.push({ id: 'es2', source: 'side', target: 'n9', value: 'y', label: '' });
    for (const pos of [layoutGraph(view), layeredLayout(view)]) {
      for (const e of view.edges) expect(pos.get(e.source)!.y).toBeLessThan(pos.get(e.target)!.y);
      const all = [...pos.values()];
      for (const a of all)
        for (const b of all) if (a !== b) expect(Math.abs(a.x - b.x) >= a.width || Math.abs(a.y - b.y) >= a.height).toBe(true);
    }
    expect(DAGRE_MAX_NODES).toBeGreaterThan(view.nodes.length);
  });

  it('nodes on a cycle are still placed', () => {
    const view = chain(3);
    view.edges.push({ id: 'back', source: 'n2', target: 'n1', value: 'z', label: '' });
    expect(layeredLayout(view).size).toBe(3);
  });
});
