/** A group's children laid out by dagre, top to bottom: for the groups that are no simple path. */
import dagre from '@dagrejs/dagre';
import type { ChildBoxes, Size } from './childBoxes';

export function dagreLayout(children: readonly string[], edges: readonly (readonly [string, string])[], sizes: readonly Size[], rankSep: number): ChildBoxes {
  const dg = new dagre.graphlib.Graph();
  dg.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: rankSep, marginx: 0, marginy: 0 });
  dg.setDefaultEdgeLabel(() => ({}));
  children.forEach((c, i) => dg.setNode(c, { width: sizes[i].width, height: sizes[i].height }));
  for (const [a, b] of edges) dg.setEdge(a, b);
  dagre.layout(dg);
  const boxes = new Array<number>(4 * children.length);
  let width = 0;
  let height = 0;
  children.forEach((c, i) => {
    const p = dg.node(c);
    const s = sizes[i];
    // Whole pixels: small integers are stored in place, fractions each take a heap number.
    const x = Math.round(p.x - s.width / 2);
    const y = Math.round(p.y - s.height / 2);
    boxes[4 * i] = x;
    boxes[4 * i + 1] = y;
    boxes[4 * i + 2] = s.width;
    boxes[4 * i + 3] = s.height;
    width = Math.max(width, x + s.width);
    height = Math.max(height, y + s.height);
  });
  return { width, height, boxes };
}
