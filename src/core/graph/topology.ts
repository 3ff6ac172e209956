/** Topological order of a graph's nodes (Kahn's algorithm), and the nodes caught in cycles. */
import type { Graph } from './graphTypes';
import { readerNode } from './readers';

export interface Topology {
  /** Node indices, producers before consumers; stable (file order) among independent nodes. */
  order: number[];
  /** Nodes that never became ready: they sit on or behind a cycle. */
  cyclic: number[];
}

export function topologicalOrder(g: Graph): Topology {
  const n = g.nodes.length;
  if (g.sorted) return { order: Array.from({ length: n }, (_, i) => i), cyclic: [] };
  const pending = new Int32Array(n);
  // Every read counts, subgraph reads of outer values included; a node reading its own output never runs.
  for (const v of g.values.values()) {
    if (v.producer < 0) continue;
    for (let k = 0; k < v.readerCount; k++) pending[readerNode(g, v, k)]++;
  }
  // A min-heap would keep file order exactly; a FIFO seeded in file order is close and linear.
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let qi = 0; qi < queue.length; qi++) {
    const i = queue[qi];
    order.push(i);
    for (const name of g.nodes[i].proto.output) {
      if (!name) continue;
      const v = g.values.get(name);
      if (!v || v.producer !== i) continue;
      for (let k = 0; k < v.readerCount; k++) {
        const r = readerNode(g, v, k);
        if (r === i) continue;
        if (--pending[r] === 0) queue.push(r);
      }
    }
  }
  const placed = new Uint8Array(n);
  for (const i of order) placed[i] = 1;
  const cyclic: number[] = [];
  for (let i = 0; i < n; i++) if (!placed[i]) cyclic.push(i);
  return { order, cyclic };
}
