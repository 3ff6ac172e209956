/** How far apart a group layout sets things, per density. */
import type { Density } from './layout';

/** A frame's padding (sides and bottom) and header, the gap between ranks, and how tall a column may grow. */
export interface Spacing {
  pad: number;
  header: number;
  rankSep: number;
  /**
   * A chain taller than this wraps into columns side by side, read top to bottom, then left to right
   * (null: one column, however tall): about a 900 px pane's height at the readable zoom, so a column
   * is read without scrolling and the pane's width shows several.
   */
  column: number | null;
}

export const SPACING: Record<Density, Spacing> = {
  detailed: { pad: 14, header: 36, rankSep: 40, column: null },
  // The rank gap holds an edge's 17 px shape label; the header one 14 px line and a verdict chip.
  compact: { pad: 6, header: 24, rankSep: 20, column: 860 },
};
