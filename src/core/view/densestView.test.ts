import { describe, expect, it } from 'vitest';
import type { LayoutResult, VisibleItem } from './groupLayout';
import { densestView } from './densestView';
import { READABLE_ZOOM, showsWhole, viewRect, type Viewport } from './startView';

const node = (id: string, x: number, y: number): VisibleItem => ({ id, kind: 'node', x, y, width: 120, height: 28, depth: 0 });
const layoutOf = (items: VisibleItem[]): LayoutResult => ({ items, edges: [], laidOut: [], density: 'compact' });
const pane = { width: 1000, height: 826 };

/** Nodes a view shows whole. */
const shown = (layout: LayoutResult, v: Viewport) => {
  const r = viewRect(v.x, v.y, v.zoom, pane);
  return layout.items.filter((it) => it.x >= r.x && it.y >= r.y && it.x + it.width <= r.x + r.width && it.y + it.height <= r.y + r.height).length;
};

describe('densestView', () => {
  // A short column (a model's head, the pair in it) at the top right of a grid of nodes (its last layers).
  const head = Array.from({ length: 6 }, (_, i) => node(`h${i}`, 5000, i * 48));
  const grid = Array.from({ length: 400 }, (_, i) => node(`g${i}`, 5000 - 150 * (1 + (i % 20)), 48 * Math.floor(i / 20)));
  const layout = layoutOf([...head, ...grid]);
  const pair = [head[1], head[2]];

  it('shows the targets whole, and more of the graph than a view centred on them', () => {
    const v = densestView(layout, pair, pane, READABLE_ZOOM)!;
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(showsWhole(v, pair, pane)).toBe(true);
    const c = { x: pane.width / 2 - (5000 + 60) * READABLE_ZOOM, y: pane.height / 2 - (48 + 62) * READABLE_ZOOM, zoom: READABLE_ZOOM };
    expect(shown(layout, v)).toBeGreaterThan(shown(layout, c));
    // No row lost to blank canvas above the graph's top: the view holds the graph's whole height.
    const r = viewRect(v.x, v.y, v.zoom, pane);
    expect(r.y).toBeLessThanOrEqual(0);
    expect(r.y + r.height).toBeGreaterThanOrEqual(48 * 19 + 28);
  });

  it('null when the targets do not fit the pane at this zoom', () => {
    expect(densestView(layout, [head[0], grid[19]], pane, 2)).toBeNull();
    expect(densestView(layout, [], pane, 1)).toBeNull();
  });
});
