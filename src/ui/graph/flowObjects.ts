/**
 * React Flow's node and edge objects, made for mounted items only, once per layout, and kept: a
 * 50,000-node layout would otherwise allocate 100,000 objects on every expand, and a moved window
 * re-uses the objects it already had (so React Flow sees unchanged nodes as unchanged).
 */
import { Position, type NodeHandle } from '@xyflow/react';
import type { ViewNode } from '../../core/view/graphView';
import type { ById } from '../../core/view/idIndex';
import type { Group } from '../../core/view/hierarchy';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import { scopeLookup } from '../../core/view/scopes';
import type { MountedWindow } from '../../core/view/viewWindow';
import type { FlowNode, NodeMark } from './graphNodes';
import type { ShapeFlowEdge } from './ShapeEdge';
import type { NodeHeat } from './heat';

/** Handles' size, as the stylesheet draws them: centred on the top and bottom borders. */
const HANDLE = 6;

/**
 * Where each node's handles are, given up front: React Flow then knows a node's geometry without
 * measuring it, so it mounts only the nodes in view from the first render (a node it must measure
 * is mounted once wherever it is, then dropped) and draws the edges at once. Frames have none.
 */
function handlesOf(it: VisibleItem): NodeHandle[] {
  if (it.kind === 'frame') return [];
  const x = it.width / 2 - HANDLE / 2;
  return [
    { type: 'target', position: Position.Top, x, y: -HANDLE / 2, width: HANDLE, height: HANDLE },
    { type: 'source', position: Position.Bottom, x, y: it.height - HANDLE / 2, width: HANDLE, height: HANDLE },
  ];
}

export class FlowObjects {
  private readonly nodes = new Map<string, FlowNode>();
  private readonly edges = new Map<number, ShapeFlowEdge>();
  private readonly scopeOf: (id: string) => string;

  constructor(
    private readonly layout: LayoutResult,
    private readonly viewNodes: ById<ViewNode>,
    private readonly groups: ReadonlyMap<string, Group>,
    private readonly marks: ReadonlyMap<string, NodeMark> | undefined,
    private readonly onToggle: (id: string) => void,
    /** A per-value comparison's paint, when one is shown. */
    private readonly heat?: ReadonlyMap<string, NodeHeat>,
  ) {
    this.scopeOf = scopeLookup(groups);
  }

  node(it: VisibleItem): FlowNode {
    let n = this.nodes.get(it.id);
    if (n) return n;
    const base = { id: it.id, position: { x: it.x, y: it.y }, width: it.width, height: it.height, measured: { width: it.width, height: it.height }, draggable: false, connectable: false, handles: handlesOf(it) };
    n =
      it.kind === 'node'
        ? { ...base, type: 'op', zIndex: 10 + it.depth, data: { ...this.viewNodes.get(it.id)!, mark: this.marks?.get(it.id), heat: this.heat?.get(it.id), density: this.layout.density, scope: this.scopeOf(it.id) } }
        : // The stylesheet tells a frame's wrapper (it lets clicks through to what it frames) by its class.
          { ...base, type: 'scope', className: `flow-${it.kind}`, zIndex: it.kind === 'frame' ? it.depth : 10 + it.depth, selectable: it.kind === 'box', data: { group: this.groups.get(it.id)!, expanded: it.kind === 'frame', onToggle: this.onToggle } };
    this.nodes.set(it.id, n);
    return n;
  }

  edge(i: number): ShapeFlowEdge {
    let edge = this.edges.get(i);
    if (edge) return edge;
    const e = this.layout.edges[i];
    edge = {
      id: `${e.source}->${e.target}`,
      type: 'shape',
      source: e.source,
      target: e.target,
      label: e.showLabel ? e.label : undefined,
      zIndex: 5,
      focusable: false,
      className: e.pair ? (e.pair.fusable ? 'edge-pair-ok' : 'edge-pair-no') : undefined,
      data: { density: this.layout.density },
    };
    this.edges.set(i, edge);
    return edge;
  }

  /** A window's nodes and edges (viewWindow.ts chose them). */
  mounted(win: MountedWindow): { nodes: FlowNode[]; edges: ShapeFlowEdge[] } {
    return { nodes: win.items.map((it) => this.node(it)), edges: win.edges.map((i) => this.edge(i)) };
  }
}
