/** The graph: the current model, the comparison, or the start message while nothing is open. */
import { useMemo } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Group } from '../../core/view/hierarchy';
import type { ViewNode } from '../../core/view/graphView';
import { indexById } from '../../core/view/idIndex';
import { isCurrent, noCurrentModel } from '../store/pageState';
import { heatOf } from '../graph/heat';
import { HeatLegend } from './HeatLegend';
import { useInspectorStore, useStore } from '../store/useStore';
import { GraphCanvas } from './GraphCanvas';
import { CompareView } from './CompareView';

export function CanvasArea() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const layout = useStore((s) => s.layout);
  const comparison = useStore((s) => s.comparison);
  const compareSel = useStore((s) => s.compareSel);
  const sharedViewport = useStore((s) => s.sharedViewport);
  const compareAt = useStore((s) => s.compareAt);
  const selectedNode = useStore((s) => s.selectedNode);
  const selectedPair = useStore((s) => s.selectedPair);
  const focus = useStore((s) => s.focus);
  const openSeq = useStore((s) => s.openSeq);
  const dark = useStore((s) => s.theme === 'dark');
  const quiet = useStore((s) => s.busy === null && s.error === null);
  const nodesById = useMemo(() => indexById<ViewNode>(snapshot?.nodes ?? []), [snapshot]);
  const groupsById = useMemo(() => new Map<string, Group>((snapshot?.groups ?? []).map((g) => [g.id, g])), [snapshot]);
  const pair = snapshot?.pairs.find((p) => p.id === selectedPair) ?? null;
  const pairNodeIds = useMemo(() => new Set(pair ? [...pair.linearNodeIds, pair.bnNodeId, ...(pair.betweenNodeId ? [pair.betweenNodeId] : [])] : []), [pair]);
  const noModel = useStore(noCurrentModel);
  // A per-value comparison of the model on screen paints its nodes by error.
  const perValue = useStore((s) => (isCurrent(s, s.perValue) ? s.perValue : null));
  const heat = useMemo(() => (perValue ? heatOf(perValue.result) : undefined), [perValue]);
  const view = comparison ? (
    <CompareView comparison={comparison} selection={compareSel} onSelect={store.selectInCompare} viewport={sharedViewport} onViewport={store.setSharedViewport} onToggleGroup={store.toggleGroup} dark={dark} at={compareAt} onStep={store.stepChange} />
  ) : snapshot && layout ? (
    <ReactFlowProvider>
      <GraphCanvas nodes={nodesById} groups={groupsById} layout={layout} selectedNode={selectedNode} pairNodeIds={pairNodeIds} focus={focus} onSelectNode={(id) => void store.selectNode(id)} onToggleGroup={store.toggleGroup} dark={dark} openSeq={openSeq} testId="canvas" heat={heat} />
      {perValue && <HeatLegend result={perValue.result} onClear={store.clearPerValue} />}
    </ReactFlowProvider>
  ) : null;
  // While the playground's form has an error, the graph left from the last valid form stays in sight under a veil: it is no model.
  // The veil is a sibling, so the graph is not mounted again when the form comes and goes.
  if (view)
    return (
      <>
        {view}
        {noModel && (
          <div className="no-model" data-testid="canvas-no-model">
            <p className="no-model-note" role="status">
              {noModel}
            </p>
          </div>
        )}
      </>
    );
  if (noModel)
    return (
      <div className="start" data-testid="canvas-no-model">
        <p>{noModel} Fix the form beside the graph, and the model it describes is drawn here.</p>
      </div>
    );
  return (
    <div className="start">
      {quiet && <p>Loading the example…</p>}
      <p>
        Drop an <code>.onnx</code> file (with its external data files, or its whole folder) anywhere, use <em>Open model…</em>, or pick one of the{' '}
        <button className="linklike" onClick={() => store.setGalleryOpen(true)}>
          examples
        </button>
        .
      </p>
    </div>
  );
}
