/**
 * The model graph: React Flow drawing the visible items of the grouped layout — op nodes, collapsed
 * group boxes and frames of open groups. Node objects change only with the layout; selection and
 * keyboard focus reach the nodes through `NodeFlags`. The graph is one tab stop: arrow keys move
 * between connected items, Enter selects a node or opens a group, Backspace closes the group around
 * the focus, Escape leaves. No text is drawn below 11 px on screen: below READABLE_ZOOM nodes show
 * only large labels, and below FAR_ZOOM the far view paints the graph with labels of its own.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { Background, ControlButton, Controls, ReactFlow, useReactFlow, useStore as useFlowStore, useStoreApi, type OnMove, type ReactFlowInstance } from '@xyflow/react';
import type { ViewNode } from '../../core/view/graphView';
import type { Group } from '../../core/view/hierarchy';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import { frameOf, navigate, type NavMove } from '../../core/view/keyboardNav';
import { nodeTypes, type FlowNode, type NodeMark } from '../graph/graphNodes';
import type { NodeHeat } from '../graph/heat';
import { NodeFlags, NodeFlagsContext } from '../graph/nodeFlags';
import { CanvasMiniMap } from '../graph/CanvasMiniMap';
import { edgeTypes, type ShapeFlowEdge } from '../graph/ShapeEdge';
import { FlowObjects } from '../graph/flowObjects';
import { describeItem } from '../graph/describe';
import { FarView } from '../graph/FarView';
import { trustGivenSizes } from '../graph/givenSizes';
import { indexById, type ById } from '../../core/view/idIndex';
import { boundsOf, boundsOfLayout, itemsInWindow, layoutEdgeBoxes, stillInside, windowAround, type MountedWindow, type Rect } from '../../core/view/viewWindow';
import { keptTransform } from '../../core/view/keptView';
import { fitTransform, MIN_ZOOM, READABLE_ZOOM, showsWhole, startTransform, viewRect, type ViewFocus } from '../../core/view/startView';
import { densestView } from '../../core/view/densestView';

export type { NodeMark } from '../graph/graphNodes';

export interface CanvasProps {
  nodes: ById<ViewNode>;
  groups: ReadonlyMap<string, Group>;
  layout: LayoutResult;
  selectedNode: string | null;
  pairNodeIds: ReadonlySet<string>;
  marks?: ReadonlyMap<string, NodeMark>;
  /** A per-value comparison's paint (graph/heat.ts). */
  heat?: ReadonlyMap<string, NodeHeat>;
  /** Bumped to request centring on `focus`. */
  focus: ViewFocus | null;
  onSelectNode: (id: string | null) => void;
  onToggleGroup: (id: string) => void;
  /** Viewport syncing for side-by-side views. */
  viewport?: { x: number; y: number; zoom: number } | null;
  onViewportChange?: (v: { x: number; y: number; zoom: number }) => void;
  dark?: boolean;
  /** Bumped for each newly opened model: the view starts over (the canvas itself is kept, not remounted). */
  openSeq?: number;
  testId?: string;
}

/** Below this (less a rounding error: zooming out and back in lands a hair off), small text would be under 11 px: it is hidden and items show large labels (semantic zoom). */
const LABEL_MIN_ZOOM = READABLE_ZOOM;
/**
 * Below this even the large labels would be under 11 px (a verdict badge's is 30 flow px at most):
 * the far view takes over, its labels at a fixed size on screen.
 */
const FAR_ZOOM = 0.4;
/** A compact node's one line holds a large label up to 22 px: at 0.5 that is 11 px on screen. */
const COMPACT_FAR_ZOOM = 0.5;

/**
 * The interactive layer mounts at most this many items (those near the viewport); past it — far out
 * on a big graph — the far view paints everything into one canvas instead. Zooming out across a
 * window of 1,500 mounted them in one commit: main-thread tasks of 100-175 ms at 50k nodes.
 */
const MAX_MOUNTED = 700;
/** Before a window is chosen. */
const NOTHING_MOUNTED: MountedWindow = { ids: new Set(), items: [], edges: [] };

/**
 * React Flow's default for its modifier keys reads the user agent on every render of the canvas (at
 * every zoom step): about 90 µs each time in Chromium. The same choice, made once.
 */
const MODIFIER_KEY = typeof navigator !== 'undefined' && navigator.userAgent.includes('Mac') ? 'Meta' : 'Control';

const KEYS: Record<string, NavMove> = { ArrowDown: 'down', ArrowUp: 'up', ArrowLeft: 'left', ArrowRight: 'right', Home: 'first', End: 'last' };

export function GraphCanvas(props: CanvasProps) {
  const { nodes: viewNodes, groups, layout, selectedNode, pairNodeIds, marks, heat, focus, onSelectNode, onToggleGroup } = props;
  const flow = useReactFlow<FlowNode, ShapeFlowEdge>();
  const zoom = useFlowStore((s) => s.transform[2]);
  const [flags] = useState(() => new NodeFlags());
  const [kbChosen, setKbFocus] = useState<string | null>(null);
  // The keyboard focus follows a node selected elsewhere (a click, a search hit, a pair's row), adjusted while rendering.
  const [lastSelected, setLastSelected] = useState(selectedNode);
  if (selectedNode !== lastSelected) {
    setLastSelected(selectedNode);
    if (selectedNode) setKbFocus(selectedNode);
  }
  const byId = indexById(layout.items);
  // A keyboard focus on an item the layout no longer draws is dropped (a group's box and frame share its id, so it survives a toggle).
  const kbFocus = kbChosen && byId.has(kbChosen) ? kbChosen : null;

  useEffect(() => flags.set(selectedNode, pairNodeIds, kbFocus), [flags, selectedNode, pairNodeIds, kbFocus]);

  const objects = useMemo(() => new FlowObjects(layout, viewNodes, groups, marks, onToggleGroup, heat), [layout, viewNodes, groups, marks, onToggleGroup, heat]);

  const storeApi = useStoreApi();
  // Before the first render of a node: React Flow's ResizeObserver keeps the function it finds then.
  useState(() => trustGivenSizes(storeApi));
  /** Centres on these items at a readable zoom (kept if already readable, else `zoom`). */
  const centreOn = (targets: VisibleItem[], duration = 250, zoom = Math.max(READABLE_ZOOM, Math.min(1.1, flow.getZoom()))) => {
    if (targets.length === 0) return;
    const b = boundsOf(targets);
    void flow.setCenter(b.x + b.width / 2, b.y + b.height / 2, { zoom, duration });
  };

  /** A model's first view: on the pair a lesson or link names, else on its start. */
  const showStart = (inst: ReactFlowInstance<FlowNode, ShapeFlowEdge>) => {
    const targets = focus ? layout.items.filter((n) => focus.nodeIds.includes(n.id)) : [];
    if (targets.length > 0) centreOn(targets, 0);
    else startViewport(inst, layout, storeApi.getState());
  };

  /** The layout the view was last placed for. */
  const placedFor = useRef(layout);
  useEffect(() => {
    const before = placedFor.current;
    placedFor.current = layout;
    // The same model in the other density (the Compact / Detailed switch): the selected node, else the
    // item in the middle of the view, stays where it was on screen, rather than the view going back to an old focus.
    if (before !== layout && before.density !== layout.density) {
      const pane = storeApi.getState();
      const [x, y, zoom] = pane.transform;
      const v = keptTransform(before, layout, { x, y, zoom }, pane, selectedNode);
      if (v) void flow.setViewport(v);
      return;
    }
    if (!focus) return;
    const targets = layout.items.filter((n) => focus.nodeIds.includes(n.id));
    const pane = storeApi.getState();
    const start = focus.place === 'start' ? startTransform(layout, pane) : null;
    if (start && showsWhole(start, targets, pane)) void flow.setViewport(start, { duration: focus.animate ? 250 : 0 });
    // A new layout read from its start is read at its start's zoom, wherever the targets are: placed
    // where that screen shows the most around them (centred, a ViT's head showed blank canvas beside it).
    else if (start) {
      const dense = densestView(layout, targets, pane, start.zoom);
      if (dense) void flow.setViewport(dense, { duration: focus.animate ? 250 : 0 });
      else centreOn(targets, focus.animate ? 250 : 0, start.zoom);
    } else centreOn(targets, focus.animate ? 250 : 0);
    // The layout arrives after the focus request when groups had to open first.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.seq, layout]);

  // A new model in the same canvas: its first view, as onInit gives the first model. Declared before
  // the window's effect, so the window is first computed around this view, not around the old one.
  const firstOpen = useRef(props.openSeq);
  useEffect(() => {
    if (props.openSeq === firstOpen.current) return;
    firstOpen.current = props.openSeq;
    showStart(flow);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.openSeq]);

  // The window of the graph the interactive layer mounts, moved when the viewport nears its edge.
  // A new layout's window is chosen while rendering, around the view the effects will show (a new
  // model's start, else the current view): its nodes mount in the first commit, not in a second one.
  const [win, setWin] = useState<{ layout: LayoutResult; rect: Rect; openSeq: number | undefined } | null>(null);
  if (win === null || win.layout !== layout) {
    const pane = storeApi.getState();
    const opening = win === null || win.openSeq !== props.openSeq;
    const expected = win === null && props.viewport ? props.viewport : opening && !focus ? startTransform(layout, pane) : null;
    const [tx, ty, z] = expected ? [expected.x, expected.y, expected.zoom] : pane.transform;
    setWin({ layout, rect: windowAround(viewRect(tx, ty, z, pane)), openSeq: props.openSeq });
  }
  useEffect(() => {
    // The window last asked for: several viewport changes may come before the next render.
    let current = win && win.layout === layout ? win.rect : null;
    const check = () => {
      const { transform, width, height } = storeApi.getState();
      const view = viewRect(transform[0], transform[1], transform[2], { width, height });
      if (current && stillInside(view, current)) return;
      current = windowAround(view);
      setWin({ layout, rect: current, openSeq: props.openSeq });
    };
    check();
    return storeApi.subscribe(check);
  }, [storeApi, layout, win, props.openSeq]);
  const boxes = layoutEdgeBoxes(layout);
  const mounted = useMemo(() => (win && win.layout === layout ? itemsInWindow(layout, boxes, win.rect, MAX_MOUNTED, byId) : NOTHING_MOUNTED), [win, layout, boxes, byId]);
  const farZoom = layout.density === 'compact' ? COMPACT_FAR_ZOOM : FAR_ZOOM;
  const far = mounted === null || zoom < farZoom;
  // Zooming out past farZoom, React Flow draws once with the new zoom and its nodes of before (ours
  // reach its store in an effect after that render): every one of them in the far wider view was
  // mounted, then unmounted at once (tasks of 120-180 ms on MobileNetV3 expanded). Its store is
  // emptied in the same change, so that render has nothing to mount; our next render passes none either
  // (`emptied` makes it pass its nodes again should the zoom be back near before it renders).
  const [emptied, setEmptied] = useState(0);
  // A layout effect: subscribed before React Flow's onInit places the first view (a compare side opened far out).
  useLayoutEffect(
    () =>
      storeApi.subscribe((s, prev) => {
        if (s.transform[2] < farZoom && prev.transform[2] >= farZoom && (s.nodes.length > 0 || s.edges.length > 0)) {
          s.setNodes([]);
          s.setEdges([]);
          setEmptied((n) => n + 1);
        }
      }),
    [storeApi, farZoom],
  );
  // New arrays after the store was emptied (above), so React Flow is given them again.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { nodes, edges } = useMemo(() => (mounted && !far ? objects.mounted(mounted) : { nodes: [], edges: [] }), [objects, mounted, far, emptied]);

  useEffect(() => {
    if (props.viewport) void flow.setViewport(props.viewport);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.viewport]);

  const moveFocus = (id: string | null) => {
    if (!id) return;
    setKbFocus(id);
    const it = byId.get(id);
    if (!it) return;
    // Bring it into view when it is not (or barely) on screen.
    const { transform, width, height } = storeApi.getState();
    const [x, y, z] = transform;
    const sx = it.x * z + x;
    const sy = it.y * z + y;
    if (sx < 0 || sy < 0 || sx + it.width * z > width || sy + it.height * z > height || z < READABLE_ZOOM) centreOn([it], 150);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const move = KEYS[e.key];
    if (move) {
      e.preventDefault();
      moveFocus(navigate(layout, kbFocus, move));
      return;
    }
    const it = kbFocus ? byId.get(kbFocus) : undefined;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (!it) moveFocus(navigate(layout, null, 'first'));
      else if (it.kind === 'node') onSelectNode(it.id);
      else onToggleGroup(it.id);
    } else if (e.key === 'Backspace' && it) {
      e.preventDefault();
      const frame = it.kind === 'frame' ? it : frameOf(layout, it);
      if (frame) {
        setKbFocus(frame.id);
        onToggleGroup(frame.id);
      }
    } else if (e.key === 'Escape') {
      setKbFocus(null);
      e.currentTarget.blur();
      document.querySelector<HTMLElement>('.sidebar')?.focus();
    }
  };

  const focusedItem = kbFocus ? byId.get(kbFocus) : undefined;
  const announce = focusedItem ? describeItem(focusedItem, viewNodes, groups, layout) : '';
  // Looked up by id, not filtered from the layout: at 10,000 nodes a pass over it was part of every expand's task.
  const avoid = useMemo(() => [...new Set([selectedNode, kbFocus, ...pairNodeIds])].flatMap((id) => (id ? (byId.get(id) ?? []) : [])), [byId, selectedNode, pairNodeIds, kbFocus]);
  const colorOf = useMemo(() => miniColorOf(viewNodes, groups, props.dark ?? false), [viewNodes, groups, props.dark]);
  // Fit shows the whole graph: a very tall one needs a zoom below the usual least.
  const graphBounds = boundsOfLayout(layout);
  const paneW = useFlowStore((s) => s.width);
  const paneH = useFlowStore((s) => s.height);
  const minZoom = useMemo(() => Math.min(MIN_ZOOM, fitTransform(layout, { width: paneW, height: paneH })?.zoom ?? MIN_ZOOM), [layout, paneW, paneH]);
  const style = { '--fi-inv-zoom': String(1 / Math.max(zoom, 0.05)) } as CSSProperties;
  // React Flow copies `onMove` into its store whenever it is a new function, and each store change runs
  // every mounted node's selector (those of a model just replaced throw): one function for the canvas's
  // life, as this component renders again at every zoom step.
  const viewportListener = useRef(props.onViewportChange);
  useLayoutEffect(() => {
    viewportListener.current = props.onViewportChange;
  });
  const onMove = useCallback<OnMove>((ev, v) => {
    if (ev) viewportListener.current?.(v);
  }, []);

  return (
    <NodeFlagsContext.Provider value={flags}>
      <div
        className={`canvas-inner density-${layout.density} ${zoom < LABEL_MIN_ZOOM - 1e-6 ? 'zoomed-out' : ''} ${far ? 'far' : ''}`}
        style={style}
        data-testid={props.testId}
        tabIndex={0}
        role="application"
        aria-roledescription="graph"
        aria-label="Model graph. Arrow keys move between connected nodes, Enter selects a node or opens a group, Backspace closes the group, Escape leaves."
        onKeyDown={onKeyDown}
        // Entering the graph puts the keyboard on the selected node (else the first item) without moving the view.
        onFocus={(e) => e.target === e.currentTarget && !kbFocus && setKbFocus(selectedNode && byId.has(selectedNode) ? selectedNode : navigate(layout, null, 'first'))}
        data-kb-focus={kbFocus ?? ''}
        // The graph's extent in flow coordinates, for tests and tools to compare with the view.
        data-graph-bounds={`${graphBounds.x},${graphBounds.y},${graphBounds.width},${graphBounds.height}`}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          colorMode={props.dark ? 'dark' : 'light'}
          onNodeClick={(_, n) => {
            setKbFocus(n.id);
            if (n.type === 'op') onSelectNode(n.id);
            else if (!n.data.expanded) onToggleGroup(n.id);
          }}
          onPaneClick={(e) => {
            if (!far) return onSelectNode(null);
            // Far out, a click zooms in there.
            const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
            void flow.setCenter(p.x, p.y, { zoom: READABLE_ZOOM, duration: 200 });
          }}
          onInit={(inst) => {
            if (props.viewport) void inst.setViewport(props.viewport);
            else showStart(inst);
          }}
          onMove={onMove}
          multiSelectionKeyCode={MODIFIER_KEY}
          zoomActivationKeyCode={MODIFIER_KEY}
          minZoom={minZoom}
          maxZoom={2.5}
          onlyRenderVisibleElements
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elevateNodesOnSelect={false}
          disableKeyboardA11y
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton className="react-flow__controls-fitview" onClick={() => fitViewport(flow, layout, storeApi.getState())} title="Fit: the whole graph (far out, with group labels)" aria-label="Fit the view">
              ⤢
            </ControlButton>
          </Controls>
          {far && <FarView layout={layout} groups={groups} nodes={viewNodes} colorOf={colorOf} dark={props.dark ?? false} />}
          <CanvasMiniMap layout={layout} colorOf={colorOf} avoid={avoid} dark={props.dark ?? false} />
        </ReactFlow>
        <div className="sr-only" aria-live="polite" data-testid="graph-announce">
          {announce}
        </div>
      </div>
    </NodeFlagsContext.Provider>
  );
}

/** Shows `startTransform`'s view. The pane's size comes from React Flow's store: reading it from the DOM would force a layout. */
function startViewport(inst: ReactFlowInstance<FlowNode, ShapeFlowEdge>, layout: LayoutResult, pane: { width: number; height: number }): void {
  const v = startTransform(layout, pane);
  if (v) void inst.setViewport(v);
}

/** Shows the whole graph (`fitTransform`). */
function fitViewport(inst: ReactFlowInstance<FlowNode, ShapeFlowEdge>, layout: LayoutResult, pane: { width: number; height: number }): void {
  const v = fitTransform(layout, pane);
  if (v) void inst.setViewport(v);
}

function miniColorOf(nodes: ById<ViewNode>, groups: ReadonlyMap<string, Group>, dark: boolean): (it: VisibleItem) => string {
  const plain = dark ? '#3d444d' : '#c9d1d9';
  return (it) => {
    if (it.kind === 'box') {
      const g = groups.get(it.id);
      return g?.blocked ? '#e5534b' : g?.fusable ? '#46954a' : plain;
    }
    const p = nodes.get(it.id)?.pair;
    return p ? (p.fusable ? '#1a7f37' : '#cf222e') : plain;
  };
}
