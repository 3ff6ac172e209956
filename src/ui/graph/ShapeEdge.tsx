/**
 * An edge with its tensor's shape written just below the node that produces it (not at the
 * midpoint, where a long edge's label lands on an open group's header or on another node). The
 * label's background is sized from its length in the monospace font, not measured: React Flow's
 * measured labels force a layout per edge and stay hidden when mounted while not laid out.
 */
import { memo, useContext } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { DrawingContext } from './drawing';

/** Distance of the label below the source, in graph units (the midpoint when the edge is shorter). */
const BELOW = 22;
/** Compact layouts leave 20 px between ranks: the label fills that gap, clear of a frame header below it. */
const BELOW_COMPACT = 10;
/** Width of one character of the 13 px monospace label font. */
const CHAR_W = 7.9;
const LABEL_H = 17;

export const ShapeEdge = memo(function ShapeEdge(p: EdgeProps) {
  const [path] = getBezierPath({ sourceX: p.sourceX, sourceY: p.sourceY, sourcePosition: p.sourcePosition, targetX: p.targetX, targetY: p.targetY, targetPosition: p.targetPosition });
  const below = useContext(DrawingContext).density === 'compact' ? BELOW_COMPACT : BELOW;
  const dy = p.targetY - p.sourceY;
  const f = dy > 2 * below ? below / dy : 0.5;
  const lx = p.sourceX + (p.targetX - p.sourceX) * f;
  const ly = p.sourceY + dy * f;
  const label = typeof p.label === 'string' ? p.label : '';
  const w = label.length * CHAR_W + 8;
  return (
    <>
      <BaseEdge path={path} markerEnd={p.markerEnd} style={p.style} interactionWidth={0} />
      {label && (
        <>
          <rect className="react-flow__edge-textbg" x={lx - w / 2} y={ly - LABEL_H / 2} width={w} height={LABEL_H} rx={3} ry={3} />
          <text className="react-flow__edge-text" x={lx} y={ly} dy="0.35em" textAnchor="middle">
            {label}
          </text>
        </>
      )}
    </>
  );
});

export const edgeTypes = { shape: ShapeEdge };
