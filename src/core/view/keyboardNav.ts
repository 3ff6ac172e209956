/**
 * Moving through the drawn graph with the keyboard: from an item to the next along its edges
 * (down to what reads it, up to what it reads), sideways to its neighbours on the same row, into
 * an open group (its first item) and out of it (the group). Pure geometry over the layout, so the
 * canvas only maps keys to these moves.
 */
import type { LayoutResult, VisibleItem } from './groupLayout';
import { indexById } from './idIndex';

export type NavMove = 'down' | 'up' | 'left' | 'right' | 'first' | 'last' | 'out';

const centreX = (i: VisibleItem) => i.x + i.width / 2;
const centreY = (i: VisibleItem) => i.y + i.height / 2;

/** Items in reading order: top to bottom, then left to right. */
function reading(items: readonly VisibleItem[]): VisibleItem[] {
  return [...items].sort((a, b) => a.y - b.y || a.x - b.x);
}

const inside = (item: VisibleItem, f: VisibleItem) => item.x >= f.x && item.y >= f.y && item.x + item.width <= f.x + f.width && item.y + item.height <= f.y + f.height;

/** The open group (frame) that directly holds `item` (one level up: the layout places a frame's children at its depth + 1), or null. */
export function frameOf(layout: LayoutResult, item: VisibleItem): VisibleItem | null {
  return layout.items.find((f) => f.kind === 'frame' && f.id !== item.id && f.depth === item.depth - 1 && inside(item, f)) ?? null;
}

/** The first item inside an open group (one pass over the items, not a frameOf per item). */
function firstInside(layout: LayoutResult, frame: VisibleItem): VisibleItem | null {
  return reading(layout.items.filter((i) => i.depth === frame.depth + 1 && inside(i, frame)))[0] ?? null;
}

function closestByX(from: VisibleItem, candidates: VisibleItem[]): VisibleItem | null {
  let best: VisibleItem | null = null;
  for (const c of candidates) if (!best || Math.abs(centreX(c) - centreX(from)) < Math.abs(centreX(best) - centreX(from))) best = c;
  return best;
}

/** Where `move` goes from the item `id` (the first item when `id` is null or gone); null when nowhere. */
export function navigate(layout: LayoutResult, id: string | null, move: NavMove): string | null {
  const items = layout.items;
  if (items.length === 0) return null;
  const byId = indexById(items);
  const cur = id ? byId.get(id) : undefined;
  if (!cur || move === 'first' || move === 'last') {
    const order = reading(items);
    return move === 'last' && cur ? order[order.length - 1].id : order[0].id;
  }
  switch (move) {
    case 'down': {
      if (cur.kind === 'frame') return firstInside(layout, cur)?.id ?? null;
      const next = layout.edges.filter((e) => e.source === cur.id).map((e) => byId.get(e.target)).filter((i): i is VisibleItem => i !== undefined);
      if (next.length > 0) return closestByX(cur, next)!.id;
      const after = reading(items.filter((i) => i.y > cur.y + cur.height / 2 && i.kind !== 'frame'));
      return after[0]?.id ?? null;
    }
    case 'up': {
      const prev = layout.edges.filter((e) => e.target === cur.id).map((e) => byId.get(e.source)).filter((i): i is VisibleItem => i !== undefined);
      if (prev.length > 0) return closestByX(cur, prev)!.id;
      return frameOf(layout, cur)?.id ?? null;
    }
    case 'left':
    case 'right': {
      const sign = move === 'right' ? 1 : -1;
      const row = items.filter((i) => i.id !== cur.id && i.kind !== 'frame' && Math.abs(centreY(i) - centreY(cur)) < Math.max(i.height, cur.height) / 2 && sign * (centreX(i) - centreX(cur)) > 0);
      return closestByX(cur, row)?.id ?? null;
    }
    case 'out':
      return frameOf(layout, cur)?.id ?? null;
  }
}
