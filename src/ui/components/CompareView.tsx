/** Original and fused side by side, same layout, viewports kept together. */
import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Comparison } from '../../core/session/inspectorSession';
import { isGroupId } from '../../core/view/hierarchy';
import { indexById } from '../../core/view/idIndex';
import { GraphCanvas, type NodeMark } from './GraphCanvas';
import type { Side, Viewport } from '../store/pageState';
import type { ViewFocus } from '../../core/view/startView';

interface Props {
  comparison: Comparison;
  selection: { original: string | null; fused: string | null };
  onSelect: (side: Side, id: string | null) => void;
  viewport: { v: Viewport; from: Side } | null;
  onViewport: (from: Side, v: Viewport) => void;
  onToggleGroup: (id: string) => void;
  dark: boolean;
  /** The change both panes centre on (an index into `comparison.changes`), and a move's sequence number. */
  at: { change: number; seq: number };
  onStep: (delta: 1 | -1) => void;
}

/** Keys that step through the changes (not while typing, nor with a modifier). */
const STEP_KEYS: Record<string, 1 | -1> = { n: 1, ']': 1, p: -1, '[': -1 };

export function CompareView({ comparison, selection, onSelect, viewport, onViewport, onToggleGroup, dark, at, onStep }: Props) {
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
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable) return;
      const delta = STEP_KEYS[e.key];
      if (delta === undefined) return;
      e.preventDefault();
      onStep(delta);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onStep]);
  const total = comparison.changes.length;
  const change = comparison.changes[at.change];
  // The comparison opens on its first change without a move; each step after it is animated.
  const [openedAt] = useState(at.seq);
  const focusOf = (side: Side): ViewFocus | null => (change ? { nodeIds: change.anchor[side], seq: at.seq, animate: at.seq !== openedAt, place: 'centre' } : null);
  const names = change ? change.original.map((id) => sides.original.nodes.get(id)?.name || id).join(' → ') : '';
  const where = change ? `Change ${at.change + 1} of ${total}: ${names}.` : 'No change to step to: the folds left no node of the original in place.';
  return (
    <div className="compare-wrap">
      <div className="compare-steps" role="group" aria-label="Changes">
        <button onClick={() => onStep(-1)} disabled={!change || at.change === 0} data-testid="prev-change" title="Previous change (p or [)" aria-keyshortcuts="p">
          ◀ Previous change
        </button>
        <button onClick={() => onStep(1)} disabled={!change || at.change >= total - 1} data-testid="next-change" title="Next change (n or ])" aria-keyshortcuts="n">
          Next change ▶
        </button>
        <span className="compare-where" data-testid="change-position" aria-live="polite">
          {where}
          {change && total > 1 && <span className="muted small"> Keys: n or ] next, p or [ previous.</span>}
        </span>
      </div>
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
                focus={focusOf(side)}
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
    </div>
  );
}
