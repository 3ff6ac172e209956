/**
 * Sizes of drawn nodes, shared by the layout (worker) and the page. The page's node text is 13 px
 * or more and its chosen zooms are ≥ 0.85, so text on screen stays ≥ 11 px; these sizes hold that
 * text (a verdict badge may take up to three lines).
 */
export const NODE_WIDTH = 240;

export function nodeHeight(hasPair: boolean): number {
  return hasPair ? 124 : 68;
}
