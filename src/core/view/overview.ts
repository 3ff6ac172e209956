/**
 * Where the overview sits: its size for a pane, its corners, and the first corner where it covers
 * no drawn node or box (nor the selection). The start view leaves room for it (`startTransform`).
 * Pure geometry: the overview's corners in screen pixels, tested against items in flow coordinates.
 */
import type { VisibleItem } from './groupLayout';
import { overlaps, type Rect } from './viewWindow';

const MAX_W = 180;
export const OVERVIEW_MIN_W = 80;
const MARGIN = 12;
/** The controls sit in the bottom-left corner: the overview never goes there. */
export const CORNERS = ['bottom-right', 'top-right', 'top-left'] as const;
export type Corner = (typeof CORNERS)[number];

/** At most 30 % of the pane's width (180 px at most); below OVERVIEW_MIN_W it is not shown. */
export function overviewSize(paneWidth: number): { width: number; height: number } {
  const width = Math.min(MAX_W, Math.round(paneWidth * 0.3));
  return { width, height: Math.round((width * 2) / 3) };
}

export function overviewRect(corner: Corner, pane: { width: number; height: number }): Rect {
  const { width, height } = overviewSize(pane.width);
  return { x: corner.endsWith('right') ? pane.width - width - MARGIN : MARGIN, y: corner.startsWith('bottom') ? pane.height - height - MARGIN : MARGIN, width, height };
}

/** An item's box on screen under a transform. */
export function onScreen(r: Rect, t: { x: number; y: number; zoom: number }): Rect {
  return { x: r.x * t.zoom + t.x, y: r.y * t.zoom + t.y, width: r.width * t.zoom, height: r.height * t.zoom };
}

/**
 * The first corner whose overview covers none of the drawn nodes and boxes (frames are outlines
 * around them, and may pass under it) nor the `avoid` rects, or null when every corner is taken.
 */
export function freeCorner(items: readonly VisibleItem[], avoid: readonly Rect[], t: { x: number; y: number; zoom: number }, pane: { width: number; height: number }): Corner | null {
  const rects = CORNERS.map((c) => overviewRect(c, pane));
  const taken = rects.map((r) => avoid.some((a) => overlaps(onScreen(a, t), r)));
  let free = taken.filter((x) => !x).length;
  if (free === 0) return null;
  // The corners in flow coordinates, tested inline with overlaps()'s strict comparisons: this runs on
  // every pan and zoom step, over every item of the layout.
  const flow = rects.map((r) => ({ x0: (r.x - t.x) / t.zoom, y0: (r.y - t.y) / t.zoom, x1: (r.x + r.width - t.x) / t.zoom, y1: (r.y + r.height - t.y) / t.zoom }));
  for (const it of items) {
    if (it.kind === 'frame') continue;
    for (let i = 0; i < flow.length; i++) {
      const f = flow[i];
      if (taken[i] || !(it.x < f.x1 && f.x0 < it.x + it.width && it.y < f.y1 && f.y0 < it.y + it.height)) continue;
      taken[i] = true;
      if (--free === 0) return null;
    }
  }
  const i = taken.indexOf(false);
  return i < 0 ? null : CORNERS[i];
}
