/**
 * Where an edge's shape label is drawn: just below the node that produces it (not at the midpoint,
 * where a long edge's label lands on an open group's header or on another node). Shared by the page's
 * edges and the SVG export, so both put it in the same place.
 */
import type { Density } from './layout';

/** Distance of the label below the source, in graph units (the midpoint when the edge is shorter). */
const BELOW: Record<Density, number> = {
  detailed: 22,
  // Compact layouts leave 20 px between ranks: the label fills that gap, clear of a frame header below it.
  compact: 10,
};
/** Width of one character of the 13 px monospace label font (the label's background is sized from it, not measured). */
const EDGE_LABEL_CHAR_W = 7.9;
export const EDGE_LABEL_H = 17;

/** The label's centre on the edge from (sx, sy) to (tx, ty). */
export function edgeLabelAt(sx: number, sy: number, tx: number, ty: number, density: Density): { x: number; y: number } {
  const below = BELOW[density];
  const dy = ty - sy;
  const f = dy > 2 * below ? below / dy : 0.5;
  return { x: sx + (tx - sx) * f, y: sy + dy * f };
}

/** The width of a label's background. */
export function edgeLabelWidth(label: string): number {
  return label.length * EDGE_LABEL_CHAR_W + 8;
}
