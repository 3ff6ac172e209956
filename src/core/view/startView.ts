/**
 * Where the graph's viewport starts: a model's first view, the Fit button, and the window of items
 * the interactive layer mounts around a view. Pure geometry on the layout, in flow coordinates.
 */
import type { LayoutResult } from './groupLayout';
import { boundsOf, type Rect } from './viewWindow';

/** The smallest text drawn in the graph is 13 px: at this zoom it is 11 px on screen. */
export const READABLE_ZOOM = 11 / 13;

/** The least zoom the canvas allows by hand; Fit may go further to show a very tall graph whole. */
export const MIN_ZOOM = 0.05;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface PaneSize {
  width: number;
  height: number;
}

/** The part of the graph a pane of this size shows at this transform; an unmeasured pane counts as 1600×1000, so no more than needed is left out. */
export function viewRect(tx: number, ty: number, z: number, pane: PaneSize): Rect {
  return { x: -tx / z, y: -ty / z, width: (pane.width || 1600) / z, height: (pane.height || 1000) / z };
}

/**
 * The whole graph, centred, when it stays readable (zoom ≥ READABLE_ZOOM); otherwise its start at a
 * readable zoom, the overview showing the rest. Null for an empty layout.
 */
export function startTransform(layout: LayoutResult, pane: PaneSize): Viewport | null {
  const w = pane.width || 800;
  const h = pane.height || 600;
  if (layout.items.length === 0) return null;
  const b = boundsOf(layout.items);
  const [minX, minY, maxX, maxY] = [b.x, b.y, b.x + b.width, b.y + b.height];
  const fit = Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80), 1.1);
  if (fit >= READABLE_ZOOM) {
    // Centred at the zoom it is shown at (clamped first, so the centre is where it is drawn).
    const z = Math.max(READABLE_ZOOM, Math.min(1.1, w / ((maxX - minX) * 1.3), h / ((maxY - minY) * 1.3)));
    return { x: w / 2 - ((minX + maxX) / 2) * z, y: h / 2 - ((minY + maxY) / 2) * z, zoom: z };
  }
  const zoom = Math.max(READABLE_ZOOM, Math.min(1, w / (maxX - minX + 80)));
  // What the first screen shows — the items starting within a pane's height of the top — centred
  // when it fits, else from its left edge. Not the whole graph's bounds: a wide part further down
  // pushed a narrow start off a narrow pane (the compare view's halves). Group frames are left out:
  // one can span the whole width.
  const top = layout.items.filter((it) => it.kind !== 'frame' && it.y < minY + h / zoom);
  const t = top.length > 0 ? boundsOf(top) : b;
  const x = t.width * zoom + 80 <= w ? w / 2 - (t.x + t.width / 2) * zoom : 40 - t.x * zoom;
  return { x, y: 30 - minY * zoom, zoom };
}

/**
 * The Fit button's view: the whole graph, centred, at whatever zoom that takes (at most 1.1). Below
 * READABLE_ZOOM the canvas draws no small text: large labels, then the far view's, stand for it.
 */
export function fitTransform(layout: LayoutResult, pane: PaneSize): Viewport | null {
  const w = pane.width || 800;
  const h = pane.height || 600;
  if (layout.items.length === 0) return null;
  const b = boundsOf(layout.items);
  const zoom = Math.max(0.001, Math.min(1.1, (w - 40) / b.width, (h - 40) / b.height));
  return { x: w / 2 - (b.x + b.width / 2) * zoom, y: h / 2 - (b.y + b.height / 2) * zoom, zoom };
}
