/** Sizes of drawn nodes, shared by the layout (worker) and the page. */
export const NODE_WIDTH = 210;

export function nodeHeight(hasPair: boolean): number {
  return hasPair ? 78 : 56;
}
