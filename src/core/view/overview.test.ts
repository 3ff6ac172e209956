import { describe, expect, it } from 'vitest';
import type { VisibleItem } from './groupLayout';
import { CORNERS, freeCorner, onScreen, overviewRect } from './overview';
import { overlaps } from './viewWindow';

const pane = { width: 1000, height: 600 };
/** Zoomed in twice, moved right and up: the corners are tested in flow coordinates, the items given in them. */
const t = { x: 100, y: -50, zoom: 2 };
/** A 4×4 node whose screen position is (sx, sy) under `t`. */
const at = (id: string, sx: number, sy: number, kind: VisibleItem['kind'] = 'node'): VisibleItem => ({ id, kind, x: (sx - t.x) / t.zoom, y: (sy - t.y) / t.zoom, width: 4, height: 4, depth: 0 });

describe('the overview takes the first free corner', () => {
  it('past nodes and boxes in the corners, not past frames; avoided items count; null when all are taken', () => {
    const inBottomRight = at('a', 900, 520);
    const inTopRight = at('b', 900, 50, 'box');
    const frame: VisibleItem = { id: 'f', kind: 'frame', x: -1000, y: -1000, width: 5000, height: 5000, depth: 0 };
    expect(freeCorner([frame], [], t, pane)).toBe('bottom-right');
    expect(freeCorner([frame, inBottomRight], [], t, pane)).toBe('top-right');
    expect(freeCorner([inBottomRight, inTopRight], [], t, pane)).toBe('top-left');
    expect(freeCorner([inBottomRight, inTopRight], [at('c', 100, 100)], t, pane)).toBeNull();
    // Touching the bottom-right corner's left edge (the node ends at 808 px, where the corner starts): not covered.
    expect(freeCorner([at('d', 800, 520)], [], t, pane)).toBe('bottom-right');
  });

  it('agrees with the corners tested on screen, over random layouts and views', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 200; k++) {
      const view = { x: rnd() * 800 - 400, y: rnd() * 800 - 400, zoom: 0.1 + rnd() * 2 };
      const items: VisibleItem[] = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) => ({ id: `n${i}`, kind: rnd() < 0.2 ? 'frame' : 'node', x: rnd() * 1500 - 300, y: rnd() * 1000 - 300, width: 5 + rnd() * 300, height: 5 + rnd() * 100, depth: 0 }));
      const onScreenFree = CORNERS.filter((c) => !items.some((it) => it.kind !== 'frame' && overlaps(onScreen(it, view), overviewRect(c, pane))));
      expect(freeCorner(items, [], view, pane)).toBe(onScreenFree[0] ?? null);
    }
  });
});
