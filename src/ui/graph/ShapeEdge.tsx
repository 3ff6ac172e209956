/**
 * An edge with its tensor's shape written just below the node that produces it (not at the
 * midpoint, where a long edge's label lands on an open group's header or on another node).
 */
import { memo } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';

/** Distance of the label below the source, in graph units (the midpoint when the edge is shorter). */
const BELOW = 22;

export const ShapeEdge = memo(function ShapeEdge(p: EdgeProps) {
  const [path] = getBezierPath({ sourceX: p.sourceX, sourceY: p.sourceY, sourcePosition: p.sourcePosition, targetX: p.targetX, targetY: p.targetY, targetPosition: p.targetPosition });
  const dy = p.targetY - p.sourceY;
  const f = dy > 2 * BELOW ? BELOW / dy : 0.5;
  return (
    <BaseEdge
      path={path}
      markerEnd={p.markerEnd}
      style={p.style}
      label={p.label}
      labelX={p.sourceX + (p.targetX - p.sourceX) * f}
      labelY={p.sourceY + dy * f}
      labelBgPadding={p.labelBgPadding}
      labelBgBorderRadius={p.labelBgBorderRadius}
      interactionWidth={0}
    />
  );
});

export const edgeTypes = { shape: ShapeEdge };
