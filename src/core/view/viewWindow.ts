/**
 * Which drawn items the interactive layer mounts: those in a window around the viewport (a
 * viewport's size of margin on each side), plus both ends of every edge crossing it, so edges
 * leaving the window still draw. Pure, so it is tested without a browser; the page recomputes it
 * only when the viewport nears the window's edge.
 */
import type { LayoutResult, VisibleItem } from './groupLayout';
import type { VisibleEdge } from './viewEdges';
import { indexById, type ById } from './idIndex';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box around these items (a 1×1 box at the origin when there are none). A loop, not Math.min(...items): a spread of 300,000 arguments overflows the stack. */
export function boundsOf(items: readonly VisibleItem[]): Rect {
  if (items.length === 0) return { x: 0, y: 0, width: 1, height: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const i of items) {
    if (i.x < minX) minX = i.x;
    if (i.y < minY) minY = i.y;
    if (i.x + i.width > maxX) maxX = i.x + i.width;
    if (i.y + i.height > maxY) maxY = i.y + i.height;
  }
  return { x: minX, y: minY, width: Math.max(1, maxX - minX), height: Math.max(1, maxY - minY) };
}

const layoutBounds = new WeakMap<readonly VisibleItem[], Rect>();

/**
 * A layout's extent, computed once per layout: the canvas, the overview, the start view and Fit all
 * ask for it, and at 10,000 nodes each pass over the items was a few ms of the task drawing it.
 */
export function boundsOfLayout(layout: Pick<LayoutResult, 'items'>): Rect {
  let b = layoutBounds.get(layout.items);
  if (!b) {
    b = boundsOf(layout.items);
    layoutBounds.set(layout.items, b);
  }
  return b;
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The window for a viewport: the viewport grown by its own size on every side. */
export function windowAround(view: Rect): Rect {
  return { x: view.x - view.width, y: view.y - view.height, width: view.width * 3, height: view.height * 3 };
}

/** Whether the viewport is still well inside the window (at least half a viewport from its edges). */
export function stillInside(view: Rect, win: Rect): boolean {
  const mx = view.width / 2;
  const my = view.height / 2;
  return view.x - mx >= win.x && view.y - my >= win.y && view.x + view.width + mx <= win.x + win.width && view.y + view.height + my <= win.y + win.height;
}

/** Each edge's bounding box from its ends' boxes, computed once per layout: [x0, y0, x1, y1] per edge. */
export function edgeBoxes(layout: LayoutResult, byId: ById<VisibleItem>): Float64Array {
  const out = new Float64Array(layout.edges.length * 4).fill(NaN);
  layout.edges.forEach((e, i) => {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) return;
    out[4 * i] = Math.min(s.x, t.x);
    out[4 * i + 1] = Math.min(s.y, t.y);
    out[4 * i + 2] = Math.max(s.x + s.width, t.x + t.width);
    out[4 * i + 3] = Math.max(s.y + s.height, t.y + t.height);
  });
  return out;
}

const layoutBoxes = new WeakMap<readonly VisibleEdge[], { items: readonly VisibleItem[]; boxes: Float64Array }>();

/** `edgeBoxes` of a layout, computed once per layout (the canvas asks on every render); again if the same edges come with other items. */
export function layoutEdgeBoxes(layout: LayoutResult): Float64Array {
  const kept = layoutBoxes.get(layout.edges);
  if (kept && kept.items === layout.items) return kept.boxes;
  const boxes = edgeBoxes(layout, indexById(layout.items));
  layoutBoxes.set(layout.edges, { items: layout.items, boxes });
  return boxes;
}

/**
 * Makes the canvas's lookups of a layout now — its items by id, its bounds, its edges' boxes — so
 * that the task drawing a large layout is the drawing only (at 10,000 nodes they are ~5 ms of passes
 * over every item and edge, more before the page's code is warm).
 */
export function prepareLayout(layout: LayoutResult): void {
  boundsOfLayout(layout);
  layoutEdgeBoxes(layout);
}

/**
 * What to mount for a window: the items (those in the window in layout order, then the far ends of
 * edges crossing it) and the edges crossing it (indices into `layout.edges`), found in the one pass
 * that finds the ids: picking the mounted ones out of the whole layout again cost a pass over every
 * item and edge per window (a few ms of each expand's task at 10,000 nodes).
 */
export interface MountedWindow {
  ids: Set<string>;
  items: VisibleItem[];
  edges: number[];
}

/** What to mount for this window, or null when more than `limit` items would be (the caller draws a far view instead). */
export function itemsInWindow(layout: LayoutResult, boxes: Float64Array, win: Rect, limit: number, byId: ById<VisibleItem>): MountedWindow | null {
  const ids = new Set<string>();
  const items: VisibleItem[] = [];
  const wx1 = win.x + win.width;
  const wy1 = win.y + win.height;
  // overlaps(it, win), inline: a pass over every item of the layout.
  for (const it of layout.items) {
    if (it.x < wx1 && win.x < it.x + it.width && it.y < wy1 && win.y < it.y + it.height) {
      ids.add(it.id);
      items.push(it);
    }
  }
  if (ids.size > limit) return null;
  const edges: number[] = [];
  const es = layout.edges;
  for (let i = 0; i < es.length; i++) {
    // NaN (an end not drawn) fails every comparison.
    if (!(boxes[4 * i] < wx1 && win.x < boxes[4 * i + 2] && boxes[4 * i + 1] < wy1 && win.y < boxes[4 * i + 3])) continue;
    edges.push(i);
    const e = es[i];
    for (const end of [e.source, e.target]) {
      if (ids.has(end)) continue;
      ids.add(end);
      const it = byId.get(end);
      if (it) items.push(it);
    }
    if (ids.size > limit) return null;
  }
  return { ids, items, edges };
}
