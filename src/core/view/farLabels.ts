/**
 * Where the far view writes its labels: each on its item when it fits there, else beside it (right,
 * then left) — a group far out is a thin strip — and never over another label or off the pane.
 * Candidates go in order of importance (the biggest groups first); one that finds no free place is
 * dropped. Pure geometry in screen pixels; the page measures the texts.
 */
import { overlaps, type Rect } from './viewWindow';

export interface LabelCandidate {
  id: string;
  /** The item on screen. */
  anchor: Rect;
  /** The text's size on screen. */
  width: number;
  height: number;
  /** Larger first. */
  priority: number;
  /** Whether the label may stand beside its item (groups) or only on it (nodes). */
  beside: boolean;
}

export interface PlacedLabel extends Rect {
  id: string;
}

/** Space kept around each label and between a label and the item it stands beside. */
const GAP = 4;

export function placeLabels(candidates: readonly LabelCandidate[], pane: { width: number; height: number }, limit = 400): PlacedLabel[] {
  const order = [...candidates].sort((a, b) => b.priority - a.priority);
  const placed: PlacedLabel[] = [];
  const free = (r: Rect): boolean => {
    if (r.x < 0 || r.y < 0 || r.x + r.width > pane.width || r.y + r.height > pane.height) return false;
    const grown = { x: r.x - GAP, y: r.y - GAP, width: r.width + 2 * GAP, height: r.height + 2 * GAP };
    return !placed.some((p) => overlaps(p, grown));
  };
  for (const c of order) {
    if (placed.length >= limit) break;
    const a = c.anchor;
    const spots: Rect[] = [];
    if (c.width + 2 * GAP <= a.width && c.height + 2 * GAP <= a.height) spots.push({ x: a.x + GAP, y: a.y + GAP, width: c.width, height: c.height });
    if (c.beside) {
      // Level with the item's top, or with the pane's top when the item starts above it.
      const y = Math.max(a.y, 0);
      spots.push({ x: a.x + a.width + GAP, y, width: c.width, height: c.height }, { x: a.x - GAP - c.width, y, width: c.width, height: c.height });
    }
    const spot = spots.find(free);
    if (spot) placed.push({ id: c.id, ...spot });
  }
  return placed;
}
