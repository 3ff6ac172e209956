/**
 * Where the graph's viewport starts: a model's first view, the Fit button, and the window of items
 * the interactive layer mounts around a view. Pure geometry on the layout, in flow coordinates.
 */
import type { LayoutResult } from './groupLayout';
import { boundsOf, boundsOfLayout, type Rect } from './viewWindow';
import { overviewRect } from './overview';
import type { VisibleItem } from './groupLayout';

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
  const b = boundsOfLayout(layout);
  const [minX, minY, maxX, maxY] = [b.x, b.y, b.x + b.width, b.y + b.height];
  const fit = Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80), 1.1);
  if (fit >= READABLE_ZOOM) {
    // Centred at the zoom it is shown at (clamped first, so the centre is where it is drawn).
    const z = Math.max(READABLE_ZOOM, Math.min(1.1, w / ((maxX - minX) * 1.3), h / ((maxY - minY) * 1.3)));
    return clearOfOverview({ x: w / 2 - ((minX + maxX) / 2) * z, y: h / 2 - ((minY + maxY) / 2) * z, zoom: z }, layout.items, { width: w, height: h });
  }
  const zoom = Math.max(READABLE_ZOOM, Math.min(1, w / (maxX - minX + 80)));
  // What the first screen shows — the items starting within a pane's height of the top — centred
  // when it fits, else from its left edge. Not the whole graph's bounds: a wide part further down
  // pushed a narrow start off a narrow pane (the compare view's halves). Group frames are left out:
  // one can span the whole width.
  const top = layout.items.filter((it) => it.kind !== 'frame' && it.y < minY + h / zoom);
  const t = top.length > 0 ? boundsOf(top) : b;
  const x = t.width * zoom + 80 <= w ? w / 2 - (t.x + t.width / 2) * zoom : 40 - t.x * zoom;
  return clearOfOverview({ x, y: 30 - minY * zoom, zoom }, top, { width: w, height: h });
}

/** The zoom controls' corner (bottom left): what the overview's room pushes left must stay clear of it. */
const CONTROLS_RIGHT = 50;

/**
 * The view moved left so that the overview, in its bottom-right corner, covers none of these items'
 * nodes and boxes — keeping 10 px on the left, and the controls' corner clear; unchanged when they
 * clear the overview already, or when no shift can (it then finds another corner, or is not shown).
 */
function clearOfOverview(v: Viewport, items: readonly VisibleItem[], pane: PaneSize): Viewport {
  const map = overviewRect('bottom-right', pane);
  let right = -Infinity;
  let left = Infinity;
  let bandLeft = Infinity;
  // Screen positions computed in place, not as objects, and overlaps()'s strict test inline: this runs
  // over every item of a new layout.
  for (const it of items) {
    if (it.kind === 'frame') continue;
    const x0 = it.x * v.zoom + v.x;
    const y0 = it.y * v.zoom + v.y;
    const x1 = x0 + it.width * v.zoom;
    const y1 = y0 + it.height * v.zoom;
    if (x1 < 0 || x0 > pane.width || y1 < 0 || y0 > pane.height) continue;
    left = Math.min(left, x0);
    // In the overview's band of height, right of the pane's left edge.
    if (x0 < pane.width && 0 < x1 && y0 < map.y + map.height && map.y < y1) {
      right = Math.max(right, x1);
      bandLeft = Math.min(bandLeft, x0);
    }
  }
  const shift = right - (map.x - 8);
  if (shift <= 0 || left - shift < 10 || bandLeft - shift < CONTROLS_RIGHT) return v;
  return { ...v, x: v.x - shift };
}

/**
 * The Fit button's view: the whole graph, centred, at whatever zoom that takes (at most 1.1). Below
 * READABLE_ZOOM the canvas draws no small text: large labels, then the far view's, stand for it.
 */
export function fitTransform(layout: LayoutResult, pane: PaneSize): Viewport | null {
  const w = pane.width || 800;
  const h = pane.height || 600;
  if (layout.items.length === 0) return null;
  const b = boundsOfLayout(layout);
  const zoom = Math.max(0.001, Math.min(1.1, (w - 40) / b.width, (h - 40) / b.height));
  return { x: w / 2 - (b.x + b.width / 2) * zoom, y: h / 2 - (b.y + b.height / 2) * zoom, zoom };
}

/**
 * A request to move the view to drawn items: centred on them (`centre`), or the layout's start view
 * when it shows them whole (`start`: Expand all, whose new layout is best read from its top left).
 */
export interface ViewFocus {
  nodeIds: string[];
  seq: number;
  animate: boolean;
  place: 'centre' | 'start';
}

/** Whether the view `v` of a pane this size shows every one of these items whole. */
export function showsWhole(v: Viewport, items: readonly VisibleItem[], pane: PaneSize): boolean {
  const r = viewRect(v.x, v.y, v.zoom, pane);
  return items.every((it) => it.x >= r.x && it.y >= r.y && it.x + it.width <= r.x + r.width && it.y + it.height <= r.y + r.height);
}
