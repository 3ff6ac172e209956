/**
 * Sizes of drawn nodes, shared by the layout (worker) and the page. The page's node text is 13 px
 * or more and its chosen zooms are ≥ 0.85, so text on screen stays ≥ 11 px; each node is as tall
 * as the text it holds, so a column of nodes shows as much of the graph as it can.
 */
import { pairRole, type ViewNode } from './graphView';

export const NODE_WIDTH = 240;

/** Op, name and shape: three 13 px lines with the card's padding and border. */
const BASE = 68;
/** One more line: a verdict badge or a "part of a fold" tag. */
const TAG_LINE = 22;
const LINE = 17;
/** Characters of the bold 13 px reason that fit one line of the 240 px card (kept low: a line too many costs space, one too few hides text). */
const REASON_CHARS = 26;
/** The badge shows at most three lines: the verdict and two of the reason. */
const REASON_LINES = 2;

/** A plain node's height when `n` is not given. */
export function nodeHeight(n?: Pick<ViewNode, 'opType' | 'pair'>): number {
  const pair = n?.pair;
  if (!n || !pair) return BASE;
  if (pairRole(n) !== 'bn' || pair.fusable) return BASE + TAG_LINE;
  return BASE + TAG_LINE + LINE * Math.min(REASON_LINES, Math.max(1, Math.ceil(pair.short.length / REASON_CHARS)));
}
