/**
 * What a group's box and frame say, and how wide they must be to say it: the layout (worker) sizes
 * boxes and frames by these widths, and the page shortens a label only when even the widest box
 * cannot hold it. Estimates from `textWidth`, which errs wide.
 */
import { count } from '../plural';
import type { Group } from './hierarchy';
import { textWidth, type Font } from './textWidth';

/** A collapsed group's box: at least this wide, and no wider than BOX_MAX_WIDTH (past it, text is shortened). */
export const BOX_WIDTH = 260;
export const BOX_MAX_WIDTH = 420;
/** A frame's header is at most this wide; a longer label is shortened. */
export const FRAME_HEADER_MAX = 480;

export const LABEL_FONT: Font = { px: 14, bold: true };
export const BODY_FONT: Font = { px: 13, bold: false };
const VERDICT_FONT: Font = { px: 13, bold: true };
/** Padding and border on both sides of a box or frame. */
export const GROUP_INSET = 20;
/** A verdict chip's padding and border, and the gap after it. */
const CHIP = 14 + 4;

export interface PairCount {
  kind: 'ok' | 'no';
  text: string;
}

/** `✓ 3 fusable`, `✗ 1 not fusable`: the group's pairs, those it has. */
export function pairCounts(g: Pick<Group, 'fusable' | 'blocked'>): PairCount[] {
  const out: PairCount[] = [];
  if (g.fusable > 0) out.push({ kind: 'ok', text: `✓ ${g.fusable} fusable` });
  if (g.blocked > 0) out.push({ kind: 'no', text: `✗ ${g.blocked} not fusable` });
  return out;
}

export function nodesText(g: Pick<Group, 'nodeCount'>): string {
  return count(g.nodeCount, 'node');
}

function chipsWidth(g: Pick<Group, 'fusable' | 'blocked'>): number {
  return pairCounts(g).reduce((w, p) => w + textWidth(p.text, VERDICT_FONT) + CHIP, 0);
}

/** The box's label line: the toggle arrow and the label. */
export function boxLabelWidth(label: string): number {
  return textWidth(`▸ ${label}`, LABEL_FONT);
}

/** Rounded up to 20 px, so groups with similar text keep equal sizes (and share one layout). */
function step(w: number): number {
  return Math.ceil(w / 20) * 20;
}

/** The width that holds a collapsed group's three lines — label, op summary, node and pair counts. */
export function boxWidth(g: Group): number {
  const meta = textWidth(`${nodesText(g)} `, BODY_FONT) + chipsWidth(g);
  const need = Math.max(boxLabelWidth(g.label), textWidth(g.ops, BODY_FONT), meta) + GROUP_INSET;
  return Math.min(BOX_MAX_WIDTH, Math.max(BOX_WIDTH, step(need)));
}

/** An open group's header without its label: the arrow, the node count and the pair chips. */
export function frameHeaderRest(g: Group): number {
  return textWidth(`▾  ${nodesText(g)}`, LABEL_FONT) + 8 + chipsWidth(g) + GROUP_INSET;
}

/** The width an open group's frame needs for its header (its children may need more). */
export function frameHeaderWidth(g: Group): number {
  return Math.min(FRAME_HEADER_MAX, step(frameHeaderRest(g) + textWidth(g.label, LABEL_FONT)));
}
