/**
 * Sizes of drawn nodes, shared by the layout (worker) and the page. The page's node text is 13 px
 * or more and its chosen zooms are ≥ 0.85, so text on screen stays ≥ 11 px; each node is as tall
 * as the text it holds, so a column of nodes shows as much of the graph as it can.
 */
import { pairRole, type ViewNode } from './graphView';
import { textWidth, type Font } from './textWidth';

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

/**
 * How much a node says: `compact` (the default) is one line — op type, short name, a ✓/✗ tag on a
 * pair's Linear side — with a BatchNormalization's verdict on a second line and its reason below;
 * the shape rides on the edge. `detailed` is the four-line card (op, full name, shape, pair state).
 */
export type Density = 'compact' | 'detailed';

export const COMPACT_FONT: Font = { px: 13, bold: false };
export const COMPACT_OP_FONT: Font = { px: 13, bold: true };
/** One 16 px line with 4 px padding above and below and a 2 px border (a pair's; a plain node's is 1 px). */
const COMPACT_LINE = 16;
const COMPACT_BASE = COMPACT_LINE + 2 * 4 + 2 * 2;
/** Left and right: 6 px padding and the border. */
export const COMPACT_INSET = 2 * 6 + 2 * 2;
/** The gap between the op type and the name, and before the tag. */
export const COMPACT_GAP = 6;
export const COMPACT_MIN_WIDTH = 120;
export const COMPACT_MAX_WIDTH = 280;

export interface NodeSize {
  width: number;
  height: number;
}

/** The Linear side's tag: the verdict's sign, its words in the node's title and description. */
export function compactTag(pair: { fusable: boolean }): string {
  return pair.fusable ? '✓' : '✗';
}

/** A BatchNormalization's verdict line (the reason follows on its own lines when not fusable). */
export function compactVerdict(pair: { fusable: boolean }): string {
  return pair.fusable ? '✓ FUSABLE' : '✗ NOT FUSABLE';
}

/**
 * A compact node's size: as wide as its line needs (in steps of 20 px, so like nodes share one
 * width and identical blocks one layout), between COMPACT_MIN_WIDTH and COMPACT_MAX_WIDTH (past it
 * the name is shortened in the middle); as tall as its lines.
 */
export function compactNodeSize(n: Pick<ViewNode, 'opType' | 'pair'>, short: string): NodeSize {
  const pair = n.pair;
  const tag = pair && pairRole(n) === 'linear' ? COMPACT_GAP + textWidth(compactTag(pair), COMPACT_OP_FONT) : 0;
  const line = textWidth(n.opType, COMPACT_OP_FONT) + (short ? COMPACT_GAP + textWidth(short, COMPACT_FONT) : 0) + tag;
  const verdict = pair && pairRole(n) === 'bn' ? textWidth(compactVerdict(pair), COMPACT_OP_FONT) : 0;
  const width = Math.min(COMPACT_MAX_WIDTH, Math.max(COMPACT_MIN_WIDTH, Math.ceil((Math.max(line, verdict) + COMPACT_INSET) / 20) * 20));
  if (!pair || pairRole(n) !== 'bn') return { width, height: COMPACT_BASE };
  if (pair.fusable) return { width, height: COMPACT_BASE + COMPACT_LINE };
  // The reason wraps within the node (at most two lines; the rest on hover and in the pairs panel).
  return { width, height: COMPACT_BASE + COMPACT_LINE * (1 + compactReasonLines(pair.short, width).length) };
}

/** `s` cut at its end, with "…", to at most `maxPx` (as the page's line clamp ends its last line). */
function clampEnd(s: string, maxPx: number, font: Font): string {
  if (textWidth(s, font) <= maxPx) return s;
  let n = s.length - 1;
  while (n > 1 && textWidth(`${s.slice(0, n).trimEnd()}…`, font) > maxPx) n--;
  return `${s.slice(0, n).trimEnd()}…`;
}

/**
 * A blocked BatchNormalization's reason in a compact node `width` wide, as the page wraps it: by
 * words, at most REASON_LINES lines, the last cut with "…". The node is as tall as these lines.
 */
export function compactReasonLines(reason: string, width: number): string[] {
  const room = width - COMPACT_INSET;
  const lines: string[] = [];
  let words = reason.split(' ');
  while (words.length > 0 && lines.length < REASON_LINES - 1) {
    let k = 1;
    while (k < words.length && textWidth(words.slice(0, k + 1).join(' '), COMPACT_OP_FONT) <= room) k++;
    lines.push(clampEnd(words.slice(0, k).join(' '), room, COMPACT_OP_FONT));
    words = words.slice(k);
  }
  if (words.length > 0) lines.push(clampEnd(words.join(' '), room, COMPACT_OP_FONT));
  return lines;
}
