import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelCandidate } from './farLabels';
import { overlaps } from './viewWindow';
import { fitTransform } from './startView';
import type { VisibleItem } from './groupLayout';

const pane = { width: 800, height: 600 };
const cand = (id: string, x: number, y: number, w: number, h: number, priority: number, beside = true): LabelCandidate => ({ id, anchor: { x, y, width: w, height: h }, width: 100, height: 17, priority, beside });

describe('far view labels', () => {
  it('a label goes on its item when it fits, else beside it', () => {
    const [wide] = placeLabels([cand('wide', 10, 10, 300, 100, 1)], pane);
    expect(wide.x).toBeGreaterThan(10);
    expect(wide.x + wide.width).toBeLessThanOrEqual(310);
    const [thin] = placeLabels([cand('thin', 400, 50, 12, 400, 1)], pane);
    expect(thin.x).toBeGreaterThanOrEqual(412);
  });

  it('labels never overlap: of two that would, the bigger group keeps its label', () => {
    // Two thin groups side by side at the same height: both want the same spots.
    const out = placeLabels([cand('small', 400, 100, 10, 50, 1), cand('big', 405, 100, 10, 300, 9), cand('other', 400, 104, 10, 50, 5)], pane);
    expect(out[0].id).toBe('big');
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) expect(overlaps(out[i], out[j]), `${out[i].id} / ${out[j].id}`).toBe(false);
    // A strip of many groups: every placed label is on the pane and clear of the others.
    const many = Array.from({ length: 200 }, (_, i) => cand(`g${i}`, 390, i * 7, 20, 30, i % 13));
    const placed = placeLabels(many, pane);
    expect(placed.length).toBeGreaterThan(20);
    expect(placed.length).toBeLessThan(200);
    for (const p of placed) expect(p.x >= 0 && p.y >= 0 && p.x + p.width <= pane.width && p.y + p.height <= pane.height).toBe(true);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i], placed[j])).toBe(false);
  });

  it('a node’s label only goes on the node', () => {
    expect(placeLabels([cand('n', 10, 10, 40, 10, 1, false)], pane)).toEqual([]);
  });
});

describe('fitTransform', () => {
  it('shows a very tall graph whole, whatever zoom that takes', () => {
    const items: VisibleItem[] = Array.from({ length: 300 }, (_, i) => ({ id: `n${i}`, kind: 'node', x: 0, y: i * 110, width: 240, height: 68, depth: 0 }));
    const v = fitTransform({ items, edges: [], laidOut: [], density: 'compact' }, pane)!;
    const bottom = (299 * 110 + 68) * v.zoom + v.y;
    expect(v.y).toBeGreaterThanOrEqual(0);
    expect(bottom).toBeLessThanOrEqual(pane.height);
    expect(v.x).toBeGreaterThanOrEqual(0);
    expect(240 * v.zoom + v.x).toBeLessThanOrEqual(pane.width);
  });
});
