import { describe, expect, it } from 'vitest';
import type { LayoutResult, VisibleItem } from './groupLayout';
import { boundsOf, boundsOfLayout, edgeBoxes, layoutEdgeBoxes, itemsInWindow, overlaps, stillInside, windowAround } from './viewWindow';

/** A column of 100 nodes, 100 apart, with an edge between neighbours and one long skip edge 0 → 99. */
const items: VisibleItem[] = Array.from({ length: 100 }, (_, i) => ({ id: `n${i}`, kind: 'node', x: 0, y: i * 100, width: 50, height: 40, depth: 0 }));
const edges = [...items.slice(1).map((it, i) => ({ source: `n${i}`, target: it.id, label: '' })), { source: 'n0', target: 'n99', label: '' }];
const layout = { items, edges, laidOut: [] } as unknown as LayoutResult;
const byId = new Map(items.map((i) => [i.id, i]));
const boxes = edgeBoxes(layout, byId);

describe('the mounted window', () => {
  it('holds the items near the viewport and both ends of edges crossing it', () => {
    const win = windowAround({ x: 0, y: 4000, width: 200, height: 300 });
    const w = itemsInWindow(layout, boxes, win, 1000, byId)!;
    const ids = w.ids;
    expect(ids.has('n40')).toBe(true);
    expect(ids.has('n37')).toBe(true);
    expect(ids.has('n20')).toBe(false);
    // The skip edge crosses the window: both its ends are mounted so it draws.
    expect(ids.has('n0')).toBe(true);
    expect(ids.has('n99')).toBe(true);
    expect(ids.size).toBeLessThan(20);
    // The items to mount are those ids, each once.
    expect(w.items.map((it) => it.id).sort()).toEqual([...ids].sort());
    // The edges drawn: those crossing the window, the skip edge among them; none far from it.
    const drawn = w.edges.map((i) => `${edges[i].source}->${edges[i].target}`);
    expect(drawn).toContain('n39->n40');
    expect(drawn).toContain('n0->n99');
    expect(drawn).not.toContain('n10->n11');
    for (const i of w.edges) expect(ids.has(edges[i].source) && ids.has(edges[i].target)).toBe(true);
  });

  it('is recomputed only when the viewport nears its edge, and gives up past the limit', () => {
    const view = { x: 0, y: 4000, width: 200, height: 300 };
    const win = windowAround(view);
    expect(stillInside({ ...view, y: 4100 }, win)).toBe(true);
    expect(stillInside({ ...view, y: 4200 }, win)).toBe(false);
    expect(itemsInWindow(layout, boxes, windowAround({ x: 0, y: 0, width: 200, height: 10000 }), 50, byId)).toBeNull();
  });

  it('bounds any number of items (300,000: more than a spread into Math.min can take) and tells overlaps', () => {
    expect(boundsOf(items)).toEqual({ x: 0, y: 0, width: 50, height: 9940 });
    const many: VisibleItem[] = Array.from({ length: 300_000 }, (_, i) => ({ id: `n${i}`, kind: 'node', x: -i, y: i, width: 10, height: 10, depth: 0 }));
    expect(boundsOf(many)).toEqual({ x: -299_999, y: 0, width: 300_009, height: 300_009 });
    expect(boundsOf([])).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    // A layout's edge boxes likewise, and again when the same edges come with items placed elsewhere.
    expect(layoutEdgeBoxes(layout)).toEqual(boxes);
    expect(layoutEdgeBoxes(layout)).toBe(layoutEdgeBoxes(layout));
    const moved = { ...layout, items: items.map((it) => ({ ...it, x: it.x + 1000 })) };
    expect(layoutEdgeBoxes(moved)[0]).toBe(boxes[0] + 1000);
    // A layout's bounds are computed once and shared by whoever asks (the canvas, the overview, Fit).
    expect(boundsOfLayout(layout)).toEqual(boundsOf(items));
    expect(boundsOfLayout({ items: layout.items })).toBe(boundsOfLayout(layout));
    expect(boundsOfLayout({ items: [...items.slice(0, 10)] })).toEqual({ x: 0, y: 0, width: 50, height: 940 });
    expect(overlaps({ x: 0, y: 0, width: 10, height: 10 }, { x: 9, y: 9, width: 5, height: 5 })).toBe(true);
    expect(overlaps({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 })).toBe(false);
  });
});
