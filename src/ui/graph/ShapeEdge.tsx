/**
 * An edge with its tensor's shape written just below the node that produces it (edgeLabel.ts). The
 * label's background is sized from its length in the monospace font, not measured: React Flow's
 * measured labels force a layout per edge and stay hidden when mounted while not laid out.
 */
import { memo } from 'react';
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { Density } from '../../core/view/layout';
import { EDGE_LABEL_H, edgeLabelAt, edgeLabelWidth } from '../../core/view/edgeLabel';

/** The layout's density, given with each edge (not by a context: a context's new value is looked for in every mounted node and edge). */
export type ShapeEdgeData = { density: Density };
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

export const ShapeEdge = memo(function ShapeEdge(p: EdgeProps<ShapeFlowEdge>) {
  const [path] = getBezierPath({ sourceX: p.sourceX, sourceY: p.sourceY, sourcePosition: p.sourcePosition, targetX: p.targetX, targetY: p.targetY, targetPosition: p.targetPosition });
  const { x: lx, y: ly } = edgeLabelAt(p.sourceX, p.sourceY, p.targetX, p.targetY, p.data?.density ?? 'detailed');
  const label = typeof p.label === 'string' ? p.label : '';
  const w = edgeLabelWidth(label);
  return (
    <>
      <BaseEdge path={path} markerEnd={p.markerEnd} style={p.style} interactionWidth={0} />
      {label && (
        <>
          <rect className="react-flow__edge-textbg" x={lx - w / 2} y={ly - EDGE_LABEL_H / 2} width={w} height={EDGE_LABEL_H} rx={3} ry={3} />
          <text className="react-flow__edge-text" x={lx} y={ly} dy="0.35em" textAnchor="middle">
            {label}
          </text>
        </>
      )}
    </>
  );
});

export const edgeTypes = { shape: ShapeEdge };
