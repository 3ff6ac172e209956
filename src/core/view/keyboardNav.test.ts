import { describe, expect, it } from 'vitest';
import type { LayoutResult, VisibleItem } from './groupLayout';
import { frameOf, navigate } from './keyboardNav';

const item = (id: string, x: number, y: number, kind: VisibleItem['kind'] = 'node', w = 100, h = 40, depth = 1): VisibleItem => ({ id, kind, x, y, width: w, height: h, depth });

/** in → a → (b | c) → out, with b and c side by side inside the open group g. */
const layout = {
  items: [item('in', 100, 0), item('g', 0, 80, 'frame', 320, 200, 0), item('a', 100, 110), item('b', 20, 200), item('c', 200, 200), item('out', 100, 320)],
  edges: [
    { id: '1', source: 'in', target: 'a', label: '' },
    { id: '2', source: 'a', target: 'b', label: '' },
    { id: '3', source: 'a', target: 'c', label: '' },
    { id: '4', source: 'b', target: 'out', label: '' },
    { id: '5', source: 'c', target: 'out', label: '' },
  ],
} as unknown as LayoutResult;

describe('keyboard navigation', () => {
  it('walks down the edges, sideways along a row and back up', () => {
    expect(navigate(layout, null, 'down')).toBe('in');
    expect(navigate(layout, 'in', 'down')).toBe('a');
    expect(['b', 'c']).toContain(navigate(layout, 'a', 'down'));
    expect(navigate(layout, 'b', 'right')).toBe('c');
    expect(navigate(layout, 'c', 'left')).toBe('b');
    expect(navigate(layout, 'c', 'right')).toBeNull();
    expect(navigate(layout, 'c', 'down')).toBe('out');
    expect(navigate(layout, 'out', 'up')).toMatch(/^[bc]$/);
    expect(navigate(layout, 'a', 'up')).toBe('in');
  });

  it('goes into an open group and out of it', () => {
    expect(navigate(layout, 'g', 'down')).toBe('a');
    expect(navigate(layout, 'b', 'out')).toBe('g');
    expect(frameOf(layout, layout.items[2])?.id).toBe('g');
    expect(navigate(layout, 'in', 'out')).toBeNull();
    expect(navigate(layout, 'a', 'last')).toBe('out');
  });
});
