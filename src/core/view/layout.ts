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

export function layoutGraph(view: GraphView): Map<string, Positioned> {
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
