/** Top-to-bottom layered layout of a GraphView (dagre), run in the worker. */
import dagre from '@dagrejs/dagre';
import type { GraphView } from './graphView';

export interface Positioned {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const NODE_WIDTH = 210;

export function nodeHeight(hasPair: boolean): number {
  return hasPair ? 78 : 56;
}

/**
 * dagre recurses along the graph's depth and overflows the stack past ~1,800 nodes of a chain
 * (../shared/STACK.md); bigger graphs use the iterative layered layout below.
 */
export const DAGRE_MAX_NODES = 1500;

export function layoutGraph(view: GraphView): Map<string, Positioned> {
  if (view.nodes.length > DAGRE_MAX_NODES) return layeredLayout(view);
  try {
    return dagreLayout(view);
  } catch (e) {
    if (e instanceof RangeError) return layeredLayout(view);
    throw e;
  }
}

function dagreLayout(view: GraphView): Map<string, Positioned> {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of view.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: nodeHeight(n.pair !== undefined) });
  for (const e of view.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, Positioned>();
  for (const n of view.nodes) {
    const p = g.node(n.id);
    // dagre gives centres; React Flow wants top-left corners.
    out.set(n.id, { id: n.id, x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height });
  }
  return out;
}

const GAP_X = 28;
const GAP_Y = 46;

/**
 * Linear-time layered layout: rank = longest path from a source, order within a rank by the mean
 * position of the node's parents. No recursion, so any depth works.
 */
export function layeredLayout(view: GraphView): Map<string, Positioned> {
  const index = new Map(view.nodes.map((n, i) => [n.id, i]));
  const n = view.nodes.length;
  const parents: number[][] = Array.from({ length: n }, () => []);
  const children: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Int32Array(n);
  for (const e of view.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    parents[t].push(s);
    children[s].push(t);
    indeg[t]++;
  }
  const rank = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  const seen = new Uint8Array(n);
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi];
    seen[v] = 1;
    for (const c of children[v]) {
      rank[c] = Math.max(rank[c], rank[v] + 1);
      if (--indeg[c] === 0) queue.push(c);
    }
  }
  let maxRank = 0;
  for (let i = 0; i < n; i++) if (seen[i]) maxRank = Math.max(maxRank, rank[i]);
  // Nodes on a cycle never became ready: put them below everything else.
  for (let i = 0; i < n; i++) if (!seen[i]) rank[i] = ++maxRank;
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const v of [...queue, ...Array.from({ length: n }, (_, i) => i).filter((i) => !seen[i])]) layers[rank[v]].push(v);
  const slot = new Float64Array(n);
  const out = new Map<string, Positioned>();
  let y = 20;
  for (const layer of layers) {
    const keyed = layer.map((v) => {
      const ps = parents[v];
      const key = ps.length ? ps.reduce((a, p) => a + slot[p], 0) / ps.length : v;
      return { v, key };
    });
    keyed.sort((a, b) => a.key - b.key || a.v - b.v);
    let height = 0;
    keyed.forEach(({ v }, i) => {
      slot[v] = i - (keyed.length - 1) / 2;
      const node = view.nodes[v];
      const h = nodeHeight(node.pair !== undefined);
      height = Math.max(height, h);
      out.set(node.id, { id: node.id, x: slot[v] * (NODE_WIDTH + GAP_X), y, width: NODE_WIDTH, height: h });
    });
    y += height + GAP_Y;
  }
  return out;
}
