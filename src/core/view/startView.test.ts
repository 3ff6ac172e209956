import { describe, expect, it } from 'vitest';
import type { LayoutResult, VisibleItem } from './groupLayout';
import { READABLE_ZOOM, startTransform, viewRect } from './startView';
import { overviewRect } from './overview';

const node = (id: string, x: number, y: number): VisibleItem => ({ id, kind: 'node', x, y, width: 160, height: 40, depth: 0 });
const layoutOf = (items: VisibleItem[]): LayoutResult => ({ items, edges: [], laidOut: [], density: 'compact' });
/** Where a flow point lands on screen under a transform. */
const onScreen = (v: { x: number; y: number; zoom: number }, fx: number, fy: number) => [fx * v.zoom + v.x, fy * v.zoom + v.y];

describe('startTransform', () => {
  const pane = { width: 1000, height: 800 };

  it('centres a small graph in the pane at a readable zoom', () => {
    const v = startTransform(layoutOf([node('a', 0, 0), node('b', 0, 100), node('c', 200, 200)]), pane)!;
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(v.zoom).toBeLessThanOrEqual(1.1);
    // The layout's bounds are [0, 360] × [0, 240]: their centre is the pane's centre.
    const [sx, sy] = onScreen(v, 180, 120);
    expect(sx).toBeCloseTo(500, 6);
    expect(sy).toBeCloseTo(400, 6);
  });

  it('centres at the zoom it shows when the readable floor lifts the zoom', () => {
    // Fits at the readable zoom with its 80 px margin, but not with the 1.3 breathing room: the zoom is
    // raised to READABLE_ZOOM, and the centre must be computed at that zoom, not the smaller one.
    const width = 1000 / READABLE_ZOOM - 100;
    const v = startTransform(layoutOf([node('a', 0, 0), node('b', width - 160, 0)]), pane)!;
    expect(v.zoom).toBeCloseTo(READABLE_ZOOM, 9);
    const [sx] = onScreen(v, width / 2, 20);
    expect(sx).toBeCloseTo(500, 6);
  });

  it('starts a graph too big to read whole at its top, readable', () => {
    const items = Array.from({ length: 200 }, (_, i) => node(`n${i}`, (i % 2) * 200, i * 80));
    const v = startTransform(layoutOf(items), pane)!;
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // The top row sits 30 px below the pane's top.
    expect(onScreen(v, 0, 0)[1]).toBeCloseTo(30, 6);
  });

  it("centres a too-big graph's start on what the first screen shows, not on the whole graph's bounds", () => {
    // A narrow column at x 600–760 on top; far below, a row reaching from x 0 to 1,760.
    const column = Array.from({ length: 40 }, (_, i) => node(`c${i}`, 600, i * 80));
    const row = Array.from({ length: 12 }, (_, i) => node(`r${i}`, i * 160, 4000));
    const narrow = { width: 400, height: 600 };
    const v = startTransform(layoutOf([...column, ...row]), narrow)!;
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // The column's centre is the pane's centre (it was at the whole graph's left edge + 640 px, off the pane),
    // moved left just enough that the overview in the bottom-right corner covers none of it.
    const centre = onScreen(v, 680, 0)[0];
    const [right] = onScreen(v, 760, 0);
    expect(right).toBeLessThanOrEqual(overviewRect('bottom-right', narrow).x);
    expect(centre).toBeLessThanOrEqual(200);
    expect(centre).toBeGreaterThan(200 - 12);
    // A first screen too wide for the pane starts at its own left edge.
    const wide = Array.from({ length: 12 }, (_, i) => node(`w${i}`, 500 + i * 200, 0));
    const w = startTransform(layoutOf([...wide, ...column.map((n) => ({ ...n, y: n.y + 2000 })), node('far', -300, 3000)]), narrow)!;
    expect(onScreen(w, 500, 0)[0]).toBeCloseTo(40, 6);
  });

  it('has nothing to show for an empty layout', () => {
    expect(startTransform(layoutOf([]), pane)).toBeNull();
  });
});

describe('viewRect', () => {
  it('is the part of the graph the pane shows', () => {
    // Shifted by (100, 50) on screen at zoom 2: the pane's top-left corner shows flow point (-50, -25).
    expect(viewRect(100, 50, 2, { width: 800, height: 600 })).toEqual({ x: -50, y: -25, width: 400, height: 300 });
  });
  it('counts an unmeasured pane as 1600 × 1000', () => {
    expect(viewRect(-10, -20, 1, { width: 0, height: 0 })).toEqual({ x: 10, y: 20, width: 1600, height: 1000 });
  });
});
