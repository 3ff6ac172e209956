/**
 * The overview: every drawn item painted once into one canvas per layout (not one SVG element per
 * node), the viewport drawn over it on each move. Click or drag moves the view. It sits in the
 * corner of the canvas that does not cover the selected node or pair.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';

const W = 180;
const H = 120;
const MARGIN = 12;
/** The controls sit in the bottom-left corner: the overview never goes there. */
const CORNERS = ['bottom-right', 'top-right', 'top-left'] as const;
type Corner = (typeof CORNERS)[number];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Props {
  layout: LayoutResult;
  colorOf: (item: VisibleItem) => string;
  /** Items (flow coordinates) the overview must not cover. */
  avoid: readonly Rect[];
  dark: boolean;
}

function bounds(items: readonly VisibleItem[]): Rect {
  if (items.length === 0) return { x: 0, y: 0, width: 1, height: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const i of items) {
    if (i.x < minX) minX = i.x;
    if (i.y < minY) minY = i.y;
    if (i.x + i.width > maxX) maxX = i.x + i.width;
    if (i.y + i.height > maxY) maxY = i.y + i.height;
  }
  return { x: minX, y: minY, width: Math.max(1, maxX - minX), height: Math.max(1, maxY - minY) };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function CanvasMiniMap({ layout, colorOf, avoid, dark }: Props) {
  const flow = useReactFlow();
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const paneW = useFlowStore((s) => s.width);
  const paneH = useFlowStore((s) => s.height);
  const canvas = useRef<HTMLCanvasElement>(null);
  const b = useMemo(() => bounds(layout.items), [layout]);
  const scale = Math.min(W / b.width, H / b.height);
  const offX = (W - b.width * scale) / 2;
  const offY = (H - b.height * scale) / 2;

  // The items, painted once per layout and theme.
  const base = useMemo(() => {
    const c = document.createElement('canvas');
    c.width = W * 2;
    c.height = H * 2;
    const ctx = c.getContext('2d');
    if (!ctx) return c;
    ctx.scale(2, 2);
    for (const it of layout.items) {
      const x = offX + (it.x - b.x) * scale;
      const y = offY + (it.y - b.y) * scale;
      const w = Math.max(1, it.width * scale);
      const h = Math.max(1, it.height * scale);
      if (it.kind === 'frame') {
        ctx.strokeStyle = dark ? '#6e7681' : '#8c959f';
        ctx.strokeRect(x, y, w, h);
      } else {
        ctx.fillStyle = colorOf(it);
        ctx.fillRect(x, y, w, h);
      }
    }
    return c;
  }, [layout, colorOf, dark, b, scale, offX, offY]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W * 2, H * 2);
    ctx.drawImage(base, 0, 0);
    ctx.scale(2, 2);
    const vx = offX + (-tx / zoom - b.x) * scale;
    const vy = offY + (-ty / zoom - b.y) * scale;
    ctx.strokeStyle = dark ? '#58a6ff' : '#0969da';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(vx, vy, (paneW / zoom) * scale, (paneH / zoom) * scale);
  }, [base, tx, ty, zoom, paneW, paneH, b, scale, offX, offY, dark]);

  const corner: Corner = useMemo(() => {
    const onScreen = avoid.map((r) => ({ x: r.x * zoom + tx, y: r.y * zoom + ty, width: r.width * zoom, height: r.height * zoom }));
    const rectOf = (c: Corner): Rect => ({ x: c.endsWith('right') ? paneW - W - MARGIN : MARGIN, y: c.startsWith('bottom') ? paneH - H - MARGIN : MARGIN, width: W, height: H });
    return CORNERS.find((c) => !onScreen.some((r) => overlaps(r, rectOf(c)))) ?? 'bottom-right';
  }, [avoid, tx, ty, zoom, paneW, paneH]);

  const moveTo = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = b.x + (e.clientX - r.left - offX) / scale;
    const fy = b.y + (e.clientY - r.top - offY) / scale;
    void flow.setCenter(fx, fy, { zoom });
  };
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
