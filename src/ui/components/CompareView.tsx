/** Original and fused side by side, same layout, viewports kept together. */
import { useMemo } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Comparison } from '../../core/session/inspectorSession';
import { isGroupId } from '../../core/view/hierarchy';
import { indexById } from '../../core/view/idIndex';
import { GraphCanvas, type NodeMark } from './GraphCanvas';
import type { Side, Viewport } from '../store/pageState';

interface Props {
  comparison: Comparison;
  selection: { original: string | null; fused: string | null };
  onSelect: (side: Side, id: string | null) => void;
  viewport: { v: Viewport; from: Side } | null;
  onViewport: (from: Side, v: Viewport) => void;
  onToggleGroup: (id: string) => void;
  dark: boolean;
}

export function CompareView({ comparison, selection, onSelect, viewport, onViewport, onToggleGroup, dark }: Props) {
  const sides = useMemo(() => {
    const mk = (side: Side) => {
      const data = comparison[side];
      const marks = new Map<string, NodeMark>();
      for (const id of side === 'original' ? comparison.removed : comparison.rewritten) marks.set(id, side === 'original' ? 'removed' : 'rewritten');
      return { nodes: indexById(data.nodes), groups: new Map(data.groups.map((g) => [g.id, g])), layout: data.layout, marks };
    };
    return { original: mk('original'), fused: mk('fused') };
  }, [comparison]);
  const empty = useMemo(() => new Set<string>(), []);
  const heading = (side: 'original' | 'fused') => (side === 'original' ? 'Original' : 'Fused (current)');
  const detail = (side: 'original' | 'fused') => (side === 'original' ? `${comparison.removed.length} removed` : `${comparison.rewritten.length} rewritten`);
  return (
    <div className="compare">
      {(['original', 'fused'] as const).map((side) => (
        <div className="compare-pane" key={side}>
          <div className="compare-title" title={`${heading(side)} · ${detail(side)} · click a node to find its counterpart`}>
            {heading(side)}
            <span className="muted small"> · {detail(side)}</span>
          </div>
          <ReactFlowProvider>
            <GraphCanvas
              nodes={sides[side].nodes}
              groups={sides[side].groups}
              layout={sides[side].layout}
              selectedNode={selection[side]}
              pairNodeIds={empty}
              marks={sides[side].marks}
              focus={null}
              onSelectNode={(id) => onSelect(side, id && !isGroupId(id) ? id : null)}
              onToggleGroup={onToggleGroup}
              viewport={viewport && viewport.from !== side ? viewport.v : null}
              onViewportChange={(v) => onViewport(side, v)}
              dark={dark}
              testId={`canvas-${side}`}
            />
          </ReactFlowProvider>
        </div>
      ))}
    </div>
  );
}
