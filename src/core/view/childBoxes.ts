/** What laying out one group's children yields, whichever way it was laid out. */

export interface Size {
  width: number;
  height: number;
}

export interface ChildBoxes {
  width: number;
  height: number;
  /**
   * Each child's box relative to the group's content origin, in the order of the group's children:
   * x, y, width, height, … — whole pixels, so small integers held in place: a map of one object per
   * child was 0.5 MB of the worker's heap at 10,000 nodes.
   */
  boxes: readonly number[];
}
