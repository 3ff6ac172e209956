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
 * A child a skip edge passes (a residual connection's block) sits this far right of the column's
 * axis, where that edge runs straight down; one skipping a skip, SKIP_STEP further.
 */
const SKIP_CLEAR = 16;
const SKIP_STEP = 20;

/**
 * A path's children as dagre lays out a path — one column, centred, ranks `rankSep` apart — cut
 * into columns side by side when taller than `spacing.column` (`order` holds child positions in
 * path order). Each column is filled up to that height (a child taller than it has a column of its
 * own, unless what comes before it is short — a graph input above the model's first block — as a
 * column of its own would waste the pane's width), and its children are centred in it — but for
 * those a skip edge within the column passes (`skips`: from and to as indices into `order`), set
 * right of the axis the edge runs down, so it is seen beside them, not hidden behind them.
 */
export function columns(order: readonly number[], sizes: readonly Size[], spacing: Pick<Spacing, 'rankSep' | 'column'>, skips: readonly (readonly [number, number])[] = []): ChildBoxes {
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
  // Likewise a short tail after a child taller than a column (a transformer's last norm after its
  // last layer) goes under that child, not in a column of its own beside it — when the column then
  // stays within a tenth over the limit (which is below a pane's height: there is that room).
  if (runs.length > 1) {
    const [tail, last] = [runHeight(runs[runs.length - 1], sizes, rankSep), runHeight(runs[runs.length - 2], sizes, rankSep)];
    if (last > limit && last + rankSep + tail <= limit * 1.1) runs[runs.length - 2].push(...runs.pop()!);
  }
  const passed = skipsPassed(order, runs, skips);
  const boxes = new Array<number>(4 * sizes.length);
  let x = 0;
  let height = 0;
  for (const run of runs) {
    const free = run.filter((i) => !passed.has(i));
    const axisWidth = Math.max(...(free.length > 0 ? free : run).map((i) => sizes[i].width));
    const axis = spacing.column === null ? axisWidth / 2 : Math.min(axisWidth, AXIS_SPAN) / 2;
    const left = (i: number) => {
      const level = passed.get(i);
      return level === undefined ? Math.max(0, Math.round(axis - sizes[i].width / 2)) : Math.round(axis) + SKIP_CLEAR + (level - 1) * SKIP_STEP;
    };
    const width = Math.max(...run.map((i) => left(i) + sizes[i].width));
    let cy = 0;
    for (const i of run) {
      const s = sizes[i];
      boxes[4 * i] = x + left(i);
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

/** For each child a skip edge within its column passes, how many such edges pass it. */
function skipsPassed(order: readonly number[], runs: readonly (readonly number[])[], skips: readonly (readonly [number, number])[]): Map<number, number> {
  const passed = new Map<number, number>();
  if (skips.length === 0) return passed;
  const runOf = new Map<number, number>();
  runs.forEach((run, r) => run.forEach((i) => runOf.set(i, r)));
  for (const [from, to] of skips) {
    // One between columns leaves the column anyway: it passes nothing.
    if (runOf.get(order[from]) !== runOf.get(order[to])) continue;
    for (let k = from + 1; k < to; k++) passed.set(order[k], (passed.get(order[k]) ?? 0) + 1);
  }
  return passed;
}

function runHeight(run: readonly number[], sizes: readonly Size[], rankSep: number): number {
  return run.reduce((h, i) => h + sizes[i].height, 0) + rankSep * (run.length - 1);
}
