/** The model graph: React Flow with memoized nodes, a minimap and controls. */
import { memo, useEffect, useMemo } from 'react';
import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  type Edge,
  type ReactFlowInstance,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import type { Snapshot } from '../../core/session/inspectorSession';
import type { ViewNode } from '../../core/view/graphView';

type OpNodeData = ViewNode & { selected: boolean; inSelectedPair: boolean } & Record<string, unknown>;
type OpFlowNode = Node<OpNodeData, 'op'>;

const OpNode = memo(function OpNode({ data }: NodeProps<OpFlowNode>) {
  const pair = data.pair;
  const cls = [
    'op-node',
    `kind-${data.kind}`,
    pair ? (pair.fusable ? 'pair-fusable' : 'pair-blocked') : '',
    data.selected ? 'is-selected' : '',
    data.inSelectedPair ? 'in-selected-pair' : '',
  ].join(' ');
  return (
    <div className={cls} data-node-name={data.name} data-node-id={data.id} title={data.name}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="op-type">{data.opType}</div>
      <div className="op-name">{data.name || '(unnamed)'}</div>
      <div className="op-shape">{data.outputs}</div>
      {pair && pair.role === 'bn' && (
        <div className={`pair-badge ${pair.fusable ? 'ok' : 'no'}`}>
          {pair.fusable ? '✓ FUSABLE' : `✗ NOT FUSABLE · ${pair.short}`}
        </div>
      )}
      {pair && pair.role === 'linear' && <div className={`pair-tag ${pair.fusable ? 'ok' : 'no'}`}>{pair.fusable ? '✓ Linear of a fusable pair' : '✗ Linear of a blocked pair'}</div>}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { op: OpNode };

interface Props {
  snapshot: Snapshot;
  selectedNode: string | null;
  selectedPair: string | null;
  /** Bumped to request centring on `focus`. */
  focus: { nodeIds: string[]; seq: number } | null;
  onSelectNode: (id: string | null) => void;
}

export function GraphCanvas({ snapshot, selectedNode, selectedPair, focus, onSelectNode }: Props) {
  const flow = useReactFlow();
  const pairNodes = useMemo(() => {
    const p = snapshot.pairs.find((x) => x.id === selectedPair);
    return new Set(p ? [...p.linearNodeIds, p.bnNodeId] : []);
  }, [snapshot, selectedPair]);

  const nodes: OpFlowNode[] = useMemo(
    () =>
      snapshot.nodes.map((n) => ({
        id: n.id,
        type: 'op' as const,
        position: { x: n.x, y: n.y },
        width: n.width,
        height: n.height,
        data: { ...n, selected: n.id === selectedNode, inSelectedPair: pairNodes.has(n.id) },
        draggable: false,
        connectable: false,
      })),
    [snapshot, selectedNode, pairNodes],
  );
  const edges: Edge[] = useMemo(
    () =>
      snapshot.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label,
        className: e.pair ? (e.pair.fusable ? 'edge-pair-ok' : 'edge-pair-no') : undefined,
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 3,
      })),
    [snapshot],
  );

  useEffect(() => {
    if (!focus) return;
    const targets = snapshot.nodes.filter((n) => focus.nodeIds.includes(n.id));
    if (targets.length === 0) return;
    const minX = Math.min(...targets.map((n) => n.x));
    const maxX = Math.max(...targets.map((n) => n.x + n.width));
    const minY = Math.min(...targets.map((n) => n.y));
    const maxY = Math.max(...targets.map((n) => n.y + n.height));
    void flow.setCenter((minX + maxX) / 2, (minY + maxY) / 2, { zoom: Math.max(0.6, Math.min(1.1, flow.getZoom())), duration: 300 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.seq]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodeClick={(_, n) => onSelectNode(n.id)}
      onPaneClick={() => onSelectNode(null)}
      onInit={(inst) => initialViewport(inst, snapshot)}
      minZoom={0.05}
      maxZoom={2.5}
      onlyRenderVisibleElements
      nodesDraggable={false}
      nodesConnectable={false}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeColor={(n) => miniColor(n as OpFlowNode)} />
    </ReactFlow>
  );
}

/**
 * Fit the whole graph when it stays readable; a long model (a deep CNN) would shrink to a thread,
 * so start at its top at a readable zoom instead.
 */
function initialViewport(inst: ReactFlowInstance<OpFlowNode, Edge>, snapshot: Snapshot): void {
  const el = document.querySelector('.react-flow');
  const w = el?.clientWidth ?? 800;
  const h = el?.clientHeight ?? 600;
  if (snapshot.nodes.length === 0) return;
  const minX = Math.min(...snapshot.nodes.map((n) => n.x));
  const maxX = Math.max(...snapshot.nodes.map((n) => n.x + n.width));
  const minY = Math.min(...snapshot.nodes.map((n) => n.y));
  const maxY = Math.max(...snapshot.nodes.map((n) => n.y + n.height));
  const fit = Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80), 1.1);
  if (fit >= READABLE_ZOOM) {
    void inst.fitView({ padding: 0.15, maxZoom: 1.1 });
    return;
  }
  const zoom = Math.max(READABLE_ZOOM, Math.min(1, w / (maxX - minX + 80)));
  const top = snapshot.nodes.reduce((a, b) => (b.y < a.y ? b : a));
  void inst.setViewport({ x: w / 2 - (top.x + top.width / 2) * zoom, y: 30 - minY * zoom, zoom });
}

const READABLE_ZOOM = 0.55;

function miniColor(n: OpFlowNode): string {
  const p = n.data.pair;
  if (p) return p.fusable ? '#1a7f37' : '#cf222e';
  if (n.data.kind !== 'op') return '#8c959f';
  return '#d0d7de';
}
