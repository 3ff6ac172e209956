/**
 * A view that holds some items and as much of the rest as one screen can: Expand all's view of a
 * pair far from the graph's start. Centred on the pair, a ViT's head (six nodes in a column) showed
 * blank canvas on both sides and above it; slid within the room the pair leaves, the same zoom
 * shows the layers beside it. Pure geometry on the layout, in flow coordinates.
 */
import type { LayoutResult, VisibleItem } from './groupLayout';
import { boundsOf, boundsOfLayout } from './viewWindow';
import type { PaneSize, Viewport } from './startView';

/** The zoom controls' corner (bottom left, screen px): what sits under it is not read. */
const CONTROLS = { width: 50, height: 100 };
/** Kept between the targets and the pane's edge, in screen px. */
const MARGIN = 12;
/** Positions tried along each axis within the room the targets leave. */
const STEPS = 16;

/**
 * The viewport at `zoom` that shows `targets` whole (MARGIN px inside the pane) and the most other
 * nodes and closed boxes whole, clear of the controls; the overview takes a corner free of them
 * (overview.ts), so it hides none. Of views showing as many, the highest, centred across the targets.
 * Null when the targets do not fit the pane at this zoom.
 */
export function densestView(layout: LayoutResult, targets: readonly VisibleItem[], pane: PaneSize, zoom: number): Viewport | null {
  if (targets.length === 0) return null;
  const t = boundsOf(targets);
  const w = pane.width / zoom;
  const h = pane.height / zoom;
  const m = MARGIN / zoom;
  if (w - 2 * m < t.width || h - 2 * m < t.height) return null;
  // The view's top-left corner in flow coordinates, from targets at the right/bottom to the left/top,
  // kept within the graph's bounds where it can be (no blank canvas past the graph's edge).
  const b = boundsOfLayout(layout);
  const [x0, x1] = within(t.x + t.width + m - w, t.x - m, b.x - m, b.x + b.width + m - w);
  const [y0, y1] = within(t.y + t.height + m - h, t.y - m, b.y - m, b.y + b.height + m - h);
  const roomX = x1 - x0;
  const roomY = y1 - y0;
  const near = layout.items.filter((it) => it.kind !== 'frame' && it.x >= x0 && it.y >= y0 && it.x + it.width <= x0 + w + roomX && it.y + it.height <= y0 + h + roomY);
  const cw = CONTROLS.width / zoom;
  const ch = CONTROLS.height / zoom;
  let best = { count: -1, off: Infinity, x: 0, y: 0 };
  for (let i = 0; i <= STEPS; i++) {
    for (let j = 0; j <= STEPS; j++) {
      const x = x0 + (roomX * i) / STEPS;
      const y = y0 + (roomY * j) / STEPS;
      let count = 0;
      for (const it of near) {
        if (it.x < x || it.y < y || it.x + it.width > x + w || it.y + it.height > y + h) continue;
        if (it.x < x + cw && it.y + it.height > y + h - ch) continue;
        count++;
      }
      // Of views showing as many: centred across, and as high as can be (a view is read from its top).
      const off = Math.abs(i / STEPS - 0.5) + j / STEPS;
      if (count > best.count || (count === best.count && off < best.off)) best = { count, off, x, y };
    }
  }
  return { x: -best.x * zoom, y: -best.y * zoom, zoom };
}

/**
 * The range [lo, hi] cut to [min, max] (either way round: a graph shorter than the view gives the
 * tops that show all of it), unless the two do not meet.
 */
function within(lo: number, hi: number, min: number, max: number): [number, number] {
  const a = Math.max(lo, Math.min(min, max));
  const b = Math.min(hi, Math.max(min, max));
  return a <= b ? [a, b] : [lo, hi];
}
