/** The current view as a standalone SVG: boxes, frames, nodes, edges and their labels. */
import { pairRole, type ViewNode } from '../view/graphView';
import { indexById, type ById } from '../view/idIndex';
import type { Group } from '../view/hierarchy';
import type { LayoutResult, VisibleItem } from '../view/groupLayout';
import { compactBadge, compactLine } from '../view/compactText';
import { COMPACT_FONT, COMPACT_GAP, COMPACT_INSET, COMPACT_OP_FONT } from '../view/layout';
import { scopeLookup } from '../view/scopes';
import type { Font } from '../view/textWidth';
import { EDGE_LABEL_H, edgeLabelAt, edgeLabelWidth } from '../view/edgeLabel';
import { boundsOf } from '../view/viewWindow';
import { nodesText, pairCounts } from '../view/groupText';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The four-line card: op type, full name, shape, pair state. */
function detailedNode(it: VisibleItem, n: ViewNode, stroke: string): string[] {
  const out = [
    `<text x="${it.x + 8}" y="${it.y + 16}" font-size="12" font-weight="700">${esc(n.opType)}</text>`,
    `<text x="${it.x + 8}" y="${it.y + 31}" font-size="10" fill="#57606a">${esc(clip(n.name || '(unnamed)', 34))}</text>`,
    `<text x="${it.x + 8}" y="${it.y + 45}" font-size="10" font-family="monospace">${esc(clip(n.outputs, 34))}</text>`,
  ];
  const p = n.pair;
  if (p && pairRole(n) === 'bn') out.push(`<text x="${it.x + 8}" y="${it.y + 62}" font-size="10" font-weight="700" fill="${stroke}">${esc(clip(p.fusable ? '✓ FUSABLE' : `✗ NOT FUSABLE · ${p.short}`, 40))}</text>`);
  return out;
}

/** As the page draws a compact node (compactText.ts): one 16 px line of op type, short name and tag; a BatchNormalization's verdict and reason below. */
function compactNode(it: VisibleItem, n: ViewNode, scope: string, stroke: string): string[] {
  const font = (f: Font) => `font-size="${f.px}"${f.bold ? ' font-weight="700"' : ''}`;
  const left = it.x + COMPACT_INSET / 2;
  // The first baseline: border, padding, then a 13 px font's ascent within its 16 px line.
  const base = it.y + 2 + 4 + 12;
  const line = compactLine(n, scope, it.width);
  // The name follows the op type in one text, so it sits as close after it as on the page, whatever the font.
  const name = line.name ? `<tspan dx="${COMPACT_GAP}" ${font(COMPACT_FONT)} fill="#57606a">${esc(line.name)}</tspan>` : '';
  const out = [`<text x="${left}" y="${base}" font-size="${COMPACT_OP_FONT.px}"><tspan ${font(COMPACT_OP_FONT)}>${esc(line.op)}</tspan>${name}</text>`];
  if (line.tag) out.push(`<text x="${it.x + it.width - COMPACT_INSET / 2}" y="${base}" text-anchor="end" ${font(COMPACT_OP_FONT)} fill="${stroke}">${esc(line.tag)}</text>`);
  const p = n.pair;
  if (p && pairRole(n) === 'bn') {
    const badge = compactBadge(p, it.width);
    [badge.verdict, ...badge.reason].forEach((text, i) => out.push(`<text x="${left}" y="${base + 16 * (i + 1)}" ${font(COMPACT_OP_FONT)} fill="${stroke}">${esc(text)}</text>`));
  }
  return out;
}

export function layoutToSvg(layout: LayoutResult, nodes: ById<ViewNode>, groups: ReadonlyMap<string, Group>): string {
  const items = layout.items;
  const pad = 20;
  const b = boundsOf(items);
  const minX = Math.min(0, b.x) - pad;
  const minY = Math.min(0, b.y) - pad;
  const maxX = b.x + b.width + pad;
  const maxY = b.y + b.height + pad;
  const byId = indexById(items);
  const scopeOf = scopeLookup(groups);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(maxX - minX)}" height="${Math.ceil(maxY - minY)}" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" font-family="system-ui, sans-serif">`,
  );
  out.push(`<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`);
  const sorted = [...items].sort((a, b) => (a.kind === 'frame' ? 0 : 1) - (b.kind === 'frame' ? 0 : 1) || a.depth - b.depth);
  for (const it of sorted.filter((i) => i.kind === 'frame')) {
    const g = groups.get(it.id);
    out.push(`<rect x="${it.x}" y="${it.y}" width="${it.width}" height="${it.height}" rx="8" fill="#f6f8fa" stroke="#8c959f" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${it.x + 10}" y="${it.y + 19}" font-size="12" font-weight="600">▾ ${esc(clip(g?.label ?? it.id, 60))}</text>`);
  }
  for (const e of layout.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    const x1 = s.x + s.width / 2;
    const y1 = s.y + s.height;
    const x2 = t.x + t.width / 2;
    const y2 = t.y;
    const color = e.pair ? (e.pair.fusable ? '#1a7f37' : '#cf222e') : '#8c959f';
    const dash = e.pair && !e.pair.fusable ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path d="M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}" fill="none" stroke="${color}" stroke-width="${e.pair ? 2.5 : 1.2}"${dash}/>`);
    // As the page: once per tensor, just below the node that makes it.
    if (!e.showLabel) continue;
    const at = edgeLabelAt(x1, y1, x2, y2, layout.density);
    const w = edgeLabelWidth(e.label);
    out.push(`<rect x="${at.x - w / 2}" y="${at.y - EDGE_LABEL_H / 2}" width="${w}" height="${EDGE_LABEL_H}" rx="3" fill="#ffffff"/>`);
    out.push(`<text x="${at.x}" y="${at.y}" dy="0.35em" text-anchor="middle" font-size="13" font-family="ui-monospace, monospace" fill="#57606a">${esc(e.label)}</text>`);
  }
  for (const it of sorted.filter((i) => i.kind !== 'frame')) {
    if (it.kind === 'box') {
      const g = groups.get(it.id)!;
      const stroke = g.blocked ? '#cf222e' : g.fusable ? '#1a7f37' : '#57606a';
      out.push(`<rect x="${it.x}" y="${it.y}" width="${it.width}" height="${it.height}" rx="8" fill="#eaeef2" stroke="${stroke}" stroke-width="1.5"/>`);
      out.push(`<text x="${it.x + 10}" y="${it.y + 22}" font-size="13" font-weight="700">▸ ${esc(clip(g.label, 28))}</text>`);
      const counts = [nodesText(g), ...pairCounts(g).map((p) => p.text)].join(' · ');
      out.push(`<text x="${it.x + 10}" y="${it.y + 44}" font-size="11" fill="#57606a">${esc(counts)}</text>`);
      continue;
    }
    const n = nodes.get(it.id)!;
    const p = n.pair;
    const stroke = p ? (p.fusable ? '#1a7f37' : '#cf222e') : '#8c959f';
    const dash = p && !p.fusable ? ' stroke-dasharray="5 3"' : '';
    out.push(`<rect x="${it.x}" y="${it.y}" width="${it.width}" height="${it.height}" rx="6" fill="${n.kind === 'op' ? '#ffffff' : '#eaeef2'}" stroke="${stroke}" stroke-width="${p ? 2 : 1}"${dash}/>`);
    switch (layout.density) {
      case 'compact':
        out.push(...compactNode(it, n, scopeOf(it.id), stroke));
        break;
      case 'detailed':
        out.push(...detailedNode(it, n, stroke));
        break;
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
