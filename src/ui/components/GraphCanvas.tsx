/**
 * The model graph: React Flow drawing the visible items of the grouped layout — op nodes,
 * collapsed group boxes (with their pair counts) and frames of open groups. Nodes are memoized and
 * their types defined once; only what the layout shows is mounted.
 */
import { memo, useEffect, useMemo, type MouseEvent } from 'react';
import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react';
import type { ViewNode } from '../../core/view/graphView';
import type { Group } from '../../core/view/hierarchy';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';

/** Extra marks on nodes, used by the before/after comparison. */
export type NodeMark = 'removed' | 'rewritten' | 'counterpart';

type OpNodeData = ViewNode & { selected: boolean; inSelectedPair: boolean; mark?: NodeMark } & Record<string, unknown>;
type GroupNodeData = { group: Group; expanded: boolean; onToggle: (id: string) => void } & Record<string, unknown>;
type OpFlowNode = Node<OpNodeData, 'op'>;
type GroupFlowNode = Node<GroupNodeData, 'box' | 'frame'>;
type FlowNode = OpFlowNode | GroupFlowNode;

const MARK_TEXT: Record<NodeMark, string> = { removed: '− removed by the fold', rewritten: '± rewritten by the fold', counterpart: '↔ counterpart' };

const OpNode = memo(function OpNode({ data }: NodeProps<OpFlowNode>) {
  const pair = data.pair;
  const cls = [
    'op-node',
    `kind-${data.kind}`,
    pair ? (pair.fusable ? 'pair-fusable' : 'pair-blocked') : '',
    data.selected ? 'is-selected' : '',
    data.inSelectedPair ? 'in-selected-pair' : '',
    data.mark ? `mark-${data.mark}` : '',
  ].join(' ');
  return (
    <div className={cls} data-node-name={data.name} data-node-id={data.id} title={data.name}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="op-type">{data.opType}</div>
      <div className="op-name">{data.name || '(unnamed)'}</div>
      <div className="op-shape">{data.outputs}</div>
      {data.mark && <div className={`mark-tag ${data.mark}`}>{MARK_TEXT[data.mark]}</div>}
      {!data.mark && pair && pair.role === 'bn' && (
        <div className={`pair-badge ${pair.fusable ? 'ok' : 'no'}`}>{pair.fusable ? '✓ FUSABLE' : `✗ NOT FUSABLE · ${pair.short}`}</div>
      )}
      {!data.mark && pair && pair.role === 'linear' && (
        <div className={`pair-tag ${pair.fusable ? 'ok' : 'no'}`}>{pair.fusable ? '✓ part of a fusable fold' : '✗ part of a blocked fold'}</div>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

function PairCounts({ g }: { g: Group }) {
  return (
    <span className="group-pairs">
      {g.fusable > 0 && <span className="verdict ok">✓ {g.fusable} fusable</span>}
      {g.blocked > 0 && <span className="verdict no">✗ {g.blocked} not fusable</span>}
    </span>
  );
}

/** A toggle button inside a group node: handled here, so the node's own click handler does not toggle it back. */
function toggleOnce(e: MouseEvent, data: GroupNodeData, id: string): void {
  e.stopPropagation();
  data.onToggle(id);
}

const BoxNode = memo(function BoxNode({ data }: NodeProps<GroupFlowNode>) {
  const g = data.group;
  return (
    <div className={`group-box ${g.fusable ? 'has-ok' : ''} ${g.blocked ? 'has-no' : ''}`} data-group-id={g.id} data-group-path={g.path} title={g.path || g.label}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button className="group-toggle" onClick={(e) => toggleOnce(e, data, g.id)} aria-expanded={false} aria-label={`Expand ${g.label}`}>
        ▸ <span className="group-label">{g.label}</span>
      </button>
      <div className="group-ops muted">{g.ops}</div>
      <div className="group-meta">
        <span className="muted">{g.nodeCount} nodes</span> <PairCounts g={g} />
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const FrameNode = memo(function FrameNode({ data }: NodeProps<GroupFlowNode>) {
  const g = data.group;
  return (
    <div className="group-frame" data-group-id={g.id} data-group-path={g.path}>
      <button className="group-toggle" onClick={(e) => toggleOnce(e, data, g.id)} aria-expanded aria-label={`Collapse ${g.label}`}>
        ▾ <span className="group-label">{g.label}</span> <span className="muted">{g.nodeCount} nodes</span>
      </button>
      <PairCounts g={g} />
    </div>
  );
});

const nodeTypes = { op: OpNode, box: BoxNode, frame: FrameNode };

export interface CanvasProps {
  nodes: ReadonlyMap<string, ViewNode>;
  groups: ReadonlyMap<string, Group>;
  layout: LayoutResult;
  selectedNode: string | null;
  pairNodeIds: ReadonlySet<string>;
  marks?: ReadonlyMap<string, NodeMark>;
  /** Bumped to request centring on `focus`. */
  focus: { nodeIds: string[]; seq: number } | null;
  onSelectNode: (id: string | null) => void;
  onToggleGroup: (id: string) => void;
  /** Viewport syncing for side-by-side views. */
  viewport?: { x: number; y: number; zoom: number } | null;
  onViewportChange?: (v: { x: number; y: number; zoom: number }) => void;
  testId?: string;
}

const LABEL_MIN_ZOOM = 0.45;
const READABLE_ZOOM = 0.55;

export function GraphCanvas(props: CanvasProps) {
  const { nodes: viewNodes, groups, layout, selectedNode, pairNodeIds, marks, focus, onSelectNode, onToggleGroup } = props;
  const flow = useReactFlow<FlowNode, Edge>();
  const zoom = useStore((s) => s.transform[2]);

  const nodes: FlowNode[] = useMemo(
    () =>
      layout.items.map((it: VisibleItem): FlowNode => {
        const base = { id: it.id, position: { x: it.x, y: it.y }, width: it.width, height: it.height, draggable: false, connectable: false };
        if (it.kind === 'node') {
          const v = viewNodes.get(it.id)!;
          return { ...base, type: 'op', zIndex: 10 + it.depth, data: { ...v, selected: it.id === selectedNode, inSelectedPair: pairNodeIds.has(it.id), mark: marks?.get(it.id) } };
        }
        const group = groups.get(it.id)!;
        return { ...base, type: it.kind, zIndex: it.kind === 'frame' ? it.depth : 10 + it.depth, selectable: it.kind === 'box', data: { group, expanded: it.kind === 'frame', onToggle: onToggleGroup } };
      }),
    [layout, viewNodes, groups, selectedNode, pairNodeIds, marks, onToggleGroup],
  );
  const edges: Edge[] = useMemo(
    () =>
      layout.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label,
        zIndex: 5,
        className: e.pair ? (e.pair.fusable ? 'edge-pair-ok' : 'edge-pair-no') : undefined,
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 3,
      })),
    [layout],
  );

  useEffect(() => {
    if (!focus) return;
    const targets = layout.items.filter((n) => focus.nodeIds.includes(n.id));
    if (targets.length === 0) return;
    const minX = Math.min(...targets.map((n) => n.x));
    const maxX = Math.max(...targets.map((n) => n.x + n.width));
    const minY = Math.min(...targets.map((n) => n.y));
    const maxY = Math.max(...targets.map((n) => n.y + n.height));
    void flow.setCenter((minX + maxX) / 2, (minY + maxY) / 2, { zoom: Math.max(0.7, Math.min(1.1, flow.getZoom())), duration: 250 });
    // The layout arrives after the focus request when groups had to open first.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.seq, layout]);

  useEffect(() => {
    if (props.viewport) void flow.setViewport(props.viewport);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.viewport]);

  return (
    <div className={`canvas-inner ${zoom < LABEL_MIN_ZOOM ? 'zoomed-out' : ''}`} data-testid={props.testId}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={(_, n) => (n.type === 'op' ? onSelectNode(n.id) : n.type === 'box' ? onToggleGroup(n.id) : undefined)}
        onPaneClick={() => onSelectNode(null)}
        onInit={(inst) => (props.viewport ? void inst.setViewport(props.viewport) : initialViewport(inst, layout))}
        onMove={(ev, v) => ev && props.onViewportChange?.(v)}
        minZoom={0.05}
        maxZoom={2.5}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        elevateNodesOnSelect={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={(n) => miniColor(n as FlowNode)} />
      </ReactFlow>
    </div>
  );
}

/**
 * Fit the whole view when it stays readable; a tall one (a deep CNN with its groups open) would
 * shrink to a thread, so start at its top at a readable zoom instead.
 */
function initialViewport(inst: ReactFlowInstance<FlowNode, Edge>, layout: LayoutResult): void {
  const el = document.querySelector('.react-flow');
  const w = el?.clientWidth ?? 800;
  const h = el?.clientHeight ?? 600;
  const items = layout.items;
  if (items.length === 0) return;
  const minX = Math.min(...items.map((n) => n.x));
  const maxX = Math.max(...items.map((n) => n.x + n.width));
  const minY = Math.min(...items.map((n) => n.y));
  const maxY = Math.max(...items.map((n) => n.y + n.height));
  const fit = Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80), 1.1);
  if (fit >= READABLE_ZOOM) {
    void inst.fitView({ padding: 0.15, maxZoom: 1.1 });
    return;
  }
  const zoom = Math.max(READABLE_ZOOM, Math.min(1, w / (maxX - minX + 80)));
  void inst.setViewport({ x: w / 2 - ((minX + maxX) / 2) * zoom, y: 30 - minY * zoom, zoom });
}

function miniColor(n: FlowNode): string {
  if (n.type === 'frame') return 'rgba(0,0,0,0.04)';
  if (n.type === 'box') {
    const g = (n as GroupFlowNode).data.group;
    return g.blocked ? '#f4a7a7' : g.fusable ? '#8fd19e' : '#c9d1d9';
  }
  const p = (n as OpFlowNode).data.pair;
  if (p) return p.fusable ? '#1a7f37' : '#cf222e';
  return '#d0d7de';
}
