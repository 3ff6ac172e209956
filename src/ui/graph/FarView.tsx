/**
 * The graph far out, when more items are in view than the interactive layer should mount: every
 * item and edge painted into one canvas (groups with their names once they are large enough to
 * read, nodes in their verdict colours), redrawn once per frame of movement. It lets pointer events
 * through to the pane: a click there zooms in to a readable zoom, where the interactive layer takes over.
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import type { Group } from '../../core/view/hierarchy';
import { indexById } from '../../core/view/idIndex';

interface Props {
  layout: LayoutResult;
  groups: ReadonlyMap<string, Group>;
  colorOf: (item: VisibleItem) => string;
  dark: boolean;
}

export function FarView({ layout, groups, colorOf, dark }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();

  useEffect(() => {
    const byId = indexById(layout.items);
    let frame = 0;
    const draw = () => {
      frame = 0;
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
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
      const labels: VisibleItem[] = [];
      for (const it of layout.items) {
        if (it.x > x1 || it.x + it.width < x0 || it.y > y1 || it.y + it.height < y0) continue;
        if (it.kind === 'frame') {
          ctx.strokeRect(it.x, it.y, it.width, it.height);
          if (it.height * z > 60) labels.push(it);
        } else {
          ctx.fillStyle = colorOf(it);
          ctx.fillRect(it.x, it.y, it.width, it.height);
          if (it.kind === 'box' && it.height * z > 14) labels.push(it);
        }
      }
      // Group names at a fixed on-screen size, where their box or frame is large enough to hold one.
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.font = '600 13px system-ui, sans-serif';
      ctx.fillStyle = dark ? '#e6edf3' : '#1f2328';
      ctx.textBaseline = 'top';
      for (const it of labels) {
        const g = groups.get(it.id);
        if (!g) continue;
        const sx = it.x * z + tx + 4;
        const sy = it.y * z + ty + 3;
        ctx.fillText(g.label, sx, sy, Math.max(20, it.width * z - 8));
      }
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
  }, [layout, groups, colorOf, dark, store]);

  return (
    <canvas
      ref={canvas}
      className="far-view"
      data-testid="far-view"
      role="img"
      aria-label="The whole graph, far out: click to zoom in there"
    />
  );
}
