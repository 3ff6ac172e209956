/**
 * The graph far out — past the interactive layer's item limit, or at a zoom where even its large
 * labels would be too small to read: every item and edge painted into one canvas, nodes in their
 * verdict colours, redrawn once per frame of movement. Its labels are never below 12 px on screen:
 * each group's name and pair counts on it, or beside it when it is a thin strip (the biggest groups
 * first, none over another: `placeLabels`), and an op's type on it where it fits. It lets pointer
 * events through to the pane: a click there zooms in to a readable zoom.
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import type { Group } from '../../core/view/hierarchy';
import type { ViewNode } from '../../core/view/graphView';
import { indexById, type ById } from '../../core/view/idIndex';
import { pairCounts, type PairCount } from '../../core/view/groupText';
import { placeLabels, type LabelCandidate } from '../../core/view/farLabels';

interface Props {
  layout: LayoutResult;
  groups: ReadonlyMap<string, Group>;
  nodes: ById<ViewNode>;
  colorOf: (item: VisibleItem) => string;
  dark: boolean;
}

const GROUP_FONT = '600 13px system-ui, sans-serif';
const NODE_FONT = '600 12px system-ui, sans-serif';
/** The smallest text the far view draws, in screen pixels (the page's floor is 11). */
export const FAR_LABEL_PX = 12;
const LINE = 17;
const PAD = 4;

interface Label {
  name: string;
  counts: PairCount[];
  font: string;
}

export function FarView({ layout, groups, nodes, colorOf, dark }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();

  useEffect(() => {
    const byId = indexById(layout.items);
    // Text widths, measured once per text and font.
    const widths = new Map<string, number>();
    let frame = 0;
    const draw = () => {
      frame = 0;
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      const measure = (text: string, font: string): number => {
        const key = `${font}\u0000${text}`;
        let w = widths.get(key);
        if (w === undefined) {
          ctx.font = font;
          widths.set(key, (w = ctx.measureText(text).width));
        }
        return w;
      };
      const { transform, width, height } = store.getState();
      const [tx, ty, z] = transform;
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
        c.width = Math.round(width * dpr);
        c.height = Math.round(height * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const x0 = -tx / z;
      const y0 = -ty / z;
      const x1 = x0 + width / z;
      const y1 = y0 + height / z;
      ctx.setTransform(dpr * z, 0, 0, dpr * z, dpr * tx, dpr * ty);
      ctx.lineWidth = 1 / z;
      ctx.strokeStyle = dark ? '#6e7681' : '#8c959f';
      ctx.beginPath();
      for (const e of layout.edges) {
        const s = byId.get(e.source);
        const t = byId.get(e.target);
        if (!s || !t) continue;
        const sx = s.x + s.width / 2;
        const sy = s.y + s.height;
        const ex = t.x + t.width / 2;
        const ey = t.y;
        if (Math.max(sx, ex) < x0 || Math.min(sx, ex) > x1 || Math.max(sy, ey) < y0 || Math.min(sy, ey) > y1) continue;
        ctx.moveTo(sx, sy);
        ctx.lineTo(ex, ey);
      }
      ctx.stroke();
      const candidates: LabelCandidate[] = [];
      const labels = new Map<string, Label>();
      for (const it of layout.items) {
        if (it.x > x1 || it.x + it.width < x0 || it.y > y1 || it.y + it.height < y0) continue;
        if (it.kind === 'frame') ctx.strokeRect(it.x, it.y, it.width, it.height);
        else {
          ctx.fillStyle = colorOf(it);
          ctx.fillRect(it.x, it.y, it.width, it.height);
        }
        const anchor = { x: it.x * z + tx, y: it.y * z + ty, width: it.width * z, height: it.height * z };
        if (it.kind === 'node') {
          // An op's type, only on the op and only where it fits whole.
          const name = nodes.get(it.id)?.opType;
          if (!name || anchor.height < LINE + 2 * PAD) continue;
          const w = measure(name, NODE_FONT) + 2 * PAD;
          if (w > anchor.width) continue;
          labels.set(it.id, { name, counts: [], font: NODE_FONT });
          candidates.push({ id: it.id, anchor, width: w, height: LINE, priority: 0, beside: false });
          continue;
        }
        const g = groups.get(it.id);
        if (!g) continue;
        const label: Label = { name: g.label, counts: pairCounts(g), font: GROUP_FONT };
        const w = measure(label.name, GROUP_FONT) + label.counts.reduce((s, p) => s + measure(` ${p.text}`, GROUP_FONT), 0) + 2 * PAD;
        labels.set(it.id, label);
        // The biggest groups first; an outer frame before the groups inside it.
        candidates.push({ id: it.id, anchor, width: w, height: LINE, priority: g.nodeCount * 4 - it.depth, beside: true });
      }
      const placed = placeLabels(candidates, { width, height });
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.textBaseline = 'middle';
      const fg = dark ? '#e6edf3' : '#1f2328';
      const ok = dark ? '#3fb950' : '#1a7f37';
      const no = dark ? '#f85149' : '#cf222e';
      for (const p of placed) {
        const l = labels.get(p.id)!;
        ctx.fillStyle = dark ? 'rgba(13, 17, 23, 0.85)' : 'rgba(255, 255, 255, 0.85)';
        ctx.fillRect(p.x, p.y, p.width, p.height);
        ctx.font = l.font;
        let x = p.x + PAD;
        const y = p.y + p.height / 2;
        ctx.fillStyle = fg;
        ctx.fillText(l.name, x, y);
        x += measure(l.name, l.font);
        for (const part of l.counts) {
          ctx.fillStyle = part.kind === 'ok' ? ok : no;
          ctx.fillText(` ${part.text}`, x, y);
          x += measure(` ${part.text}`, l.font);
        }
      }
      // What was written, for tests and tools reading the page (a canvas's text is not in the DOM).
      c.dataset.labels = placed.map((p) => {
        const l = labels.get(p.id)!;
        return [l.name, ...l.counts.map((k) => k.text)].join(' ');
      }).join('\n');
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const off = store.subscribe(schedule);
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [layout, groups, nodes, colorOf, dark, store]);

  return (
    <canvas
      ref={canvas}
      className="far-view"
      data-testid="far-view"
      data-label-px={FAR_LABEL_PX}
      role="img"
      aria-label="The whole graph, far out: click to zoom in there"
    />
  );
}
