/**
 * The view across a Compact / Detailed switch: the same graph laid out again moves every item, so
 * the selected node (when on screen), else the item nearest the middle of the screen, is kept where
 * it was on screen, at the same zoom.
 */
import type { LayoutResult, VisibleItem } from './groupLayout';
import { viewRect, type PaneSize, type Viewport } from './startView';

const centreOf = (i: VisibleItem) => ({ x: i.x + i.width / 2, y: i.y + i.height / 2 });

/** The item of `before` the view is kept on: `selected` if its centre is in view, else the node or closed box nearest the view's centre. */
function anchorOf(before: LayoutResult, v: Viewport, pane: PaneSize, selected: string | null): VisibleItem | null {
  const view = viewRect(v.x, v.y, v.zoom, pane);
  const chosen = selected === null ? undefined : before.items.find((i) => i.id === selected);
  if (chosen) {
    const c = centreOf(chosen);
    if (c.x >= view.x && c.x <= view.x + view.width && c.y >= view.y && c.y <= view.y + view.height) return chosen;
  }
  const mid = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
  let best: VisibleItem | null = null;
  let bestD = Infinity;
  // A frame holds what is read: its nodes and closed boxes are the anchors.
  for (const i of before.items) {
    if (i.kind === 'frame') continue;
    const c = centreOf(i);
    const d = (c.x - mid.x) ** 2 + (c.y - mid.y) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  }
  return best;
}

/** The transform that puts `before`'s anchor (anchorOf) at the same place on screen in `after`; null when `after` does not draw it. */
export function keptTransform(before: LayoutResult, after: LayoutResult, v: Viewport, pane: PaneSize, selected: string | null): Viewport | null {
  const was = anchorOf(before, v, pane, selected);
  const now = was && after.items.find((i) => i.id === was.id && i.kind === was.kind);
  if (!was || !now) return null;
  const a = centreOf(was);
  const b = centreOf(now);
  return { x: v.x + (a.x - b.x) * v.zoom, y: v.y + (a.y - b.y) * v.zoom, zoom: v.zoom };
}
