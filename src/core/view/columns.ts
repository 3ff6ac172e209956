/** A path of children laid out as a column, wrapped into columns side by side when too tall. */
import type { ChildBoxes, Size } from './childBoxes';
import type { Spacing } from './groupSpacing';

/** Between wrapped columns: room for the shape labels, wider than the narrowest nodes. */
const COLUMN_GAP = 32;
/**
 * Children narrower than a column are centred on its first AXIS_SPAN px, not on its whole width: a
 * graph input above a model's block wrapped into many columns stays above the first of them.
 */
const AXIS_SPAN = 320;

/**
 * A path's children as dagre lays out a path — one column, centred, ranks `rankSep` apart — cut
 * into columns side by side when taller than `spacing.column` (`order` holds child positions in
 * path order). Each column is filled up to that height (a child taller than it has a column of its
 * own, unless what comes before it is short — a graph input above the model's first block — as a
 * column of its own would waste the pane's width), and its children are centred in it.
 */
export function columns(order: readonly number[], sizes: readonly Size[], spacing: Pick<Spacing, 'rankSep' | 'column'>): ChildBoxes {
  const { rankSep } = spacing;
  const limit = spacing.column ?? Infinity;
  const runs: number[][] = [[]];
  let y = 0;
  for (const i of order) {
    const run = runs[runs.length - 1];
    if (run.length > 0 && y + rankSep + sizes[i].height > limit && y >= limit / 5) {
      runs.push([i]);
      y = sizes[i].height;
    } else {
      y += (run.length > 0 ? rankSep : 0) + sizes[i].height;
      run.push(i);
    }
  }
  const boxes = new Array<number>(4 * sizes.length);
  let x = 0;
  let height = 0;
  for (const run of runs) {
    const width = Math.max(...run.map((i) => sizes[i].width));
    const axis = spacing.column === null ? width / 2 : Math.min(width, AXIS_SPAN) / 2;
    let cy = 0;
    for (const i of run) {
      const s = sizes[i];
      boxes[4 * i] = x + Math.max(0, Math.round(axis - s.width / 2));
      boxes[4 * i + 1] = cy;
      boxes[4 * i + 2] = s.width;
      boxes[4 * i + 3] = s.height;
      cy += s.height + rankSep;
    }
    height = Math.max(height, cy - rankSep);
    x += width + COLUMN_GAP;
  }
  return { width: x - COLUMN_GAP, height, boxes };
}
