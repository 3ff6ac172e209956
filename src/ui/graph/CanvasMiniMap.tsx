/**
 * The overview: every drawn item painted once into one canvas per layout (not one SVG element per
 * node), the viewport drawn over it on each move. Click or drag moves the view. It sits in the
 * first corner where it covers no drawn node (nor the selection), and is not shown when there is none.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import { boundsOfLayout, type Rect } from '../../core/view/viewWindow';
import { freeCorner, OVERVIEW_MIN_W, overviewSize, type Corner } from '../../core/view/overview';

interface Props {
  layout: LayoutResult;
  colorOf: (item: VisibleItem) => string;
  /** Items (flow coordinates) the overview must not cover. */
  avoid: readonly Rect[];
  dark: boolean;
}

export function CanvasMiniMap({ layout, colorOf, avoid, dark }: Props) {
  const flow = useReactFlow();
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const paneW = useFlowStore((s) => s.width);
  const paneH = useFlowStore((s) => s.height);
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width: W, height: H } = overviewSize(paneW);
  const b = boundsOfLayout(layout);
  const scale = Math.min(W / b.width, H / b.height);
  const offX = (W - b.width * scale) / 2;
  const offY = (H - b.height * scale) / 2;

  // The items, painted once per layout and theme — in a task of its own after the layout is drawn.
  const [base, setBase] = useState<{ layout: LayoutResult; dark: boolean; canvas: HTMLCanvasElement } | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      const c = document.createElement('canvas');
      const cw = W * 2;
      const ch = H * 2;
      c.width = cw;
      c.height = ch;
      const ctx = c.getContext('2d');
      if (!ctx) return;
      // Pixels written straight into one buffer: at 50,000 items, a canvas call per item took 90 ms.
      const img = ctx.createImageData(cw, ch);
      const px = new Uint32Array(img.data.buffer);
      const packed = new Map<string, number>();
      const pack = (css: string): number => {
        let v = packed.get(css);
        if (v === undefined) {
          const m = /^#([0-9a-f]{6})$/i.exec(css);
          const rgb = m ? parseInt(m[1], 16) : 0x8c959f;
          // ImageData is RGBA in memory: little-endian 0xAABBGGRR.
          v = (0xff << 24) | ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff);
          packed.set(css, v);
        }
        return v;
      };
      const frame = pack(dark ? '#6e7681' : '#8c959f');
      const s2 = scale * 2;
      for (const it of layout.items) {
        const x0 = Math.max(0, Math.floor(offX * 2 + (it.x - b.x) * s2));
        const y0 = Math.max(0, Math.floor(offY * 2 + (it.y - b.y) * s2));
        const x1 = Math.min(cw, Math.max(x0 + 1, Math.ceil(offX * 2 + (it.x + it.width - b.x) * s2)));
        const y1 = Math.min(ch, Math.max(y0 + 1, Math.ceil(offY * 2 + (it.y + it.height - b.y) * s2)));
        if (it.kind === 'frame') {
          for (let x = x0; x < x1; x++) {
            px[y0 * cw + x] = frame;
            px[(y1 - 1) * cw + x] = frame;
          }
          for (let y = y0; y < y1; y++) {
            px[y * cw + x0] = frame;
            px[y * cw + x1 - 1] = frame;
          }
          continue;
        }
        const color = pack(colorOf(it));
        for (let y = y0; y < y1; y++) px.fill(color, y * cw + x0, y * cw + x1);
      }
      ctx.putImageData(img, 0, 0);
      setBase({ layout, dark, canvas: c });
    }, 0);
    return () => clearTimeout(timer);
  }, [layout, colorOf, dark, b, scale, offX, offY, W, H]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W * 2, H * 2);
    if (base && base.layout === layout && base.dark === dark && base.canvas.width === W * 2) ctx.drawImage(base.canvas, 0, 0);
    ctx.scale(2, 2);
    const vx = offX + (-tx / zoom - b.x) * scale;
    const vy = offY + (-ty / zoom - b.y) * scale;
    ctx.strokeStyle = dark ? '#58a6ff' : '#0969da';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(vx, vy, (paneW / zoom) * scale, (paneH / zoom) * scale);
  }, [base, layout, tx, ty, zoom, paneW, paneH, b, scale, offX, offY, dark, W, H]);

  // No free corner (the graph or the selection fills the view): no overview rather than one over a node.
  const corner: Corner | null = useMemo(() => freeCorner(layout.items, avoid, { x: tx, y: ty, zoom }, { width: paneW, height: paneH }), [layout, avoid, tx, ty, zoom, paneW, paneH]);

  const moveTo = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = b.x + (e.clientX - r.left - offX) / scale;
    const fy = b.y + (e.clientY - r.top - offY) / scale;
    void flow.setCenter(fx, fy, { zoom });
  };
  if (!corner || W < OVERVIEW_MIN_W) return null;
  return (
    <canvas
      ref={canvas}
      className={`mini-map corner-${corner}`}
      data-testid="minimap"
      data-corner={corner}
      width={W * 2}
      height={H * 2}
      style={{ width: W, height: H }}
      role="img"
      aria-label="Overview of the whole graph; click or drag to move the view"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => e.buttons === 1 && moveTo(e)}
    />
  );
}
