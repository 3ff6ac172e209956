/**
 * What a compact node's lines say, fitted to its box: the page's node and the SVG export draw the
 * same words, so the export shows what the screen shows.
 */
import { pairRole, type ViewNode } from './graphView';
import { COMPACT_FONT, COMPACT_GAP, COMPACT_INSET, COMPACT_OP_FONT, compactReasonLines, compactTag, compactVerdict } from './layout';
import { shortName } from './names';
import { fitText, textWidth } from './textWidth';

export interface CompactLine {
  op: string;
  /** The name within the enclosing scope, shortened in the middle to the room left; '' when there is none. */
  name: string;
  /** At the line's right end: a pair's Linear side's ✓/✗, or the given mark's sign; ''. */
  tag: string;
}

/** A compact node's one line in a box `width` wide, inside the group of path `scope`. */
export function compactLine(n: Pick<ViewNode, 'kind' | 'opType' | 'name' | 'pair'>, scope: string, width: number, mark = ''): CompactLine {
  const pair = n.pair;
  const short = n.kind === 'op' ? shortName(n.name, n.opType, scope) : n.name;
  const tag = mark || (pair && pairRole(n) === 'linear' ? compactTag(pair) : '');
  const room = width - COMPACT_INSET - textWidth(n.opType, COMPACT_OP_FONT) - COMPACT_GAP - (tag ? COMPACT_GAP + textWidth(tag, COMPACT_OP_FONT) : 0);
  return { op: n.opType, name: short ? fitText(short, room, COMPACT_FONT) : '', tag };
}

/** A BatchNormalization's verdict line and, when not fusable, its reason in the lines the layout sized the node for. */
export function compactBadge(pair: { fusable: boolean; short: string }, width: number): { verdict: string; reason: string[] } {
  return { verdict: compactVerdict(pair), reason: pair.fusable ? [] : compactReasonLines(pair.short, width) };
}
