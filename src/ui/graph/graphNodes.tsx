/**
 * The drawn items: an op (or graph input/output), a collapsed group box, an open group's frame.
 * Names are shortened in the middle (the full name on hover); a verdict badge shows its short
 * reason in full; selection and keyboard focus come from `NodeFlags`, not from the node objects.
 * No Handle elements: React Flow places the edges from the handles each node is given
 * (flowObjects.ts), and the stylesheet draws their dots (two components and elements a node fewer).
 */
import { memo, type MouseEvent } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { pairRole, type ViewNode } from '../../core/view/graphView';
import type { Group } from '../../core/view/hierarchy';
import { shortenMiddle } from '../../core/view/names';
import { fitText } from '../../core/view/textWidth';
import { COMPACT_MAX_WIDTH, compactVerdict, type Density } from '../../core/view/layout';
import { compactLine } from '../../core/view/compactText';
import { BOX_MAX_WIDTH, boxLabelWidth, FRAME_HEADER_MAX, frameHeaderRest, GROUP_INSET, LABEL_FONT, nodesText, pairCounts } from '../../core/view/groupText';
import { useNodeClasses } from './nodeFlags';
import type { NodeHeat } from './heat';

/** Extra marks on nodes, used by the before/after comparison. */
export type NodeMark = 'removed' | 'rewritten' | 'counterpart';

/**
 * A view node as drawn: with its marks, the layout's density and the scope path of the frame around
 * it (a compact node names itself relative to it). Given in the data, not by a context: a context's
 * new value — every model has new groups — is looked for through every mounted node and edge.
 */
export type OpNodeData = ViewNode & { mark?: NodeMark; heat?: NodeHeat; density: Density; scope: string } & Record<string, unknown>;
export type GroupNodeData = { group: Group; expanded: boolean; onToggle: (id: string) => void } & Record<string, unknown>;
export type OpFlowNode = Node<OpNodeData, 'op'>;
/**
 * A collapsed box and an open frame are one node type, drawn by `data.expanded`: a group keeps its id
 * when toggled, and a node whose type changes makes React Flow measure it again, one node at a time
 * (each a forced layout and a store update): 28 ms of MobileNetV3's *Expand all*. Not 'group': React
 * Flow's stylesheet draws its built-in types (input, default, output, group) as padded, bordered boxes.
 */
export type GroupFlowNode = Node<GroupNodeData, 'scope'>;
export type FlowNode = OpFlowNode | GroupFlowNode;

const MARK_TEXT: Record<NodeMark, string> = { removed: '− removed by the fold', rewritten: '± rewritten by the fold', counterpart: '↔ counterpart' };
/** Characters of a name that fit a node's width at 13 px. */
const NAME_CHARS = 30;

/** An op node as the layout sized it: compact (one line) or detailed (the four-line card). */
const OpNode = memo(function OpNode(props: NodeProps<OpFlowNode>) {
  return props.data.density === 'compact' ? <CompactOpNode {...props} /> : <DetailedOpNode {...props} />;
});

/** A mark's sign, for the compact node's line (its words in the title). */
const MARK_SIGN: Record<NodeMark, string> = { removed: '−', rewritten: '±', counterpart: '↔' };

/**
 * One line — op type, the name within the frame around it, the ✓/✗ of a pair's Linear side — and a
 * BatchNormalization's verdict below, its reason under it when not fusable. The full name, the
 * shapes and the verdict in words are in the title (and the details, and what a screen reader hears).
 */
function CompactOpNode({ id, data, width }: NodeProps<OpFlowNode>) {
  const pair = data.pair;
  const flags = useNodeClasses(id);
  const role = pair ? pairRole(data) : null;
  const heat = data.heat;
  const cls = ['op-node', 'compact', `kind-${data.kind}`, pair ? (pair.fusable ? 'pair-fusable' : 'pair-blocked') : '', data.mark ? `mark-${data.mark}` : '', heat ? `heat heat-${heat.bin}` : '', flags].join(' ');
  // A node object outliving its model for one render (fuse swaps both) has no view node behind it.
  const op: string = (data.opType as string | undefined) ?? '';
  const line = compactLine({ ...data, opType: op, name: data.name ?? '' }, data.scope, width ?? COMPACT_MAX_WIDTH, data.mark ? MARK_SIGN[data.mark] : '');
  const tag = line.tag;
  const words = data.mark ? MARK_TEXT[data.mark] : pair ? (role === 'bn' ? (pair.fusable ? 'fusable' : `not fusable: ${pair.short}`) : pair.fusable ? 'part of a fusable fold' : 'part of a blocked fold') : '';
  const title = [`${data.opType} ${data.name || '(unnamed)'}`, data.outputs, words, heat ? `${heat.value}: ${heat.text}` : ''].filter(Boolean).join('\n');
  return (
    <div className={cls} data-node-name={data.name} data-node-id={data.id} data-heat={heat?.bin} title={title}>
      <div className="op-line">
        <span className="op-type">{data.opType}</span>
        {line.name && <span className="op-name">{line.name}</span>}
        {tag && <span className={data.mark ? `mark-tag ${data.mark}` : `pair-tag ${pair?.fusable ? 'ok' : 'no'}`}>{tag}</span>}
      </div>
      {!data.mark && pair && role === 'bn' && (
        <div className={`pair-badge ${pair.fusable ? 'ok' : 'no'}`}>
          {compactVerdict(pair)}
          {!pair.fusable && <div className="why">{pair.short}</div>}
        </div>
      )}
      {/* A painted node says its error beside it: the layout sized the box for its own line, before any painting. */}
      {heat && <div className="heat-tag beside">{heat.tag}</div>}
    </div>
  );
}

const DetailedOpNode = memo(function DetailedOpNode({ id, data }: NodeProps<OpFlowNode>) {
  const pair = data.pair;
  const flags = useNodeClasses(id);
  const heat = data.heat;
  const cls = ['op-node', `kind-${data.kind}`, pair ? (pair.fusable ? 'pair-fusable' : 'pair-blocked') : '', data.mark ? `mark-${data.mark}` : '', heat ? `heat heat-${heat.bin}` : '', flags].join(' ');
  const title = data.name ? `${data.opType} ${data.name}` : data.opType;
  return (
    <div className={cls} data-node-name={data.name} data-node-id={data.id} data-heat={heat?.bin} title={heat ? `${title}\n${heat.value}: ${heat.text}` : title}>
      <div className="op-type">{data.opType}</div>
      <div className="op-name">{data.name ? shortenMiddle(data.name, NAME_CHARS) : '(unnamed)'}</div>
      {/* A painted node says its error where its shape was (the shape stays in the edges' labels): the node's height is the layout's. */}
      {heat ? <div className="heat-tag">{heat.text}</div> : <div className="op-shape">{data.outputs}</div>}
      {data.mark && <div className={`mark-tag ${data.mark}`}>{MARK_TEXT[data.mark]}</div>}
      {!data.mark && pair && pairRole(data) === 'bn' && (
        <div className={`pair-badge ${pair.fusable ? 'ok' : 'no'}`}>
          {pair.fusable ? '✓ FUSABLE' : '✗ NOT FUSABLE'}
          {!pair.fusable && <div className="why">{pair.short}</div>}
        </div>
      )}
      {!data.mark && pair && pairRole(data) === 'linear' && <div className={`pair-tag ${pair.fusable ? 'ok' : 'no'}`}>{pair.fusable ? '✓ part of a fusable fold' : '✗ part of a blocked fold'}</div>}
    </div>
  );
});

function PairCounts({ g }: { g: Group }) {
  return (
    <span className="group-pairs">
      {pairCounts(g).map((p) => (
        <span key={p.kind} className={`verdict ${p.kind}`}>
          {p.text}
        </span>
      ))}
    </span>
  );
}

/** A toggle button inside a group node: handled here, so the node's own click handler does not toggle it back. */
function toggleOnce(e: MouseEvent, data: GroupNodeData, id: string): void {
  e.stopPropagation();
  data.onToggle(id);
}

function BoxNode({ id, data }: NodeProps<GroupFlowNode>) {
  const g = data.group;
  const flags = useNodeClasses(id);
  // The layout made the box wide enough for its label up to BOX_MAX_WIDTH: shortened only past that.
  const label = fitText(g.label, BOX_MAX_WIDTH - GROUP_INSET - boxLabelWidth(''), LABEL_FONT);
  return (
    <div className={`group-box ${g.fusable ? 'has-ok' : ''} ${g.blocked ? 'has-no' : ''} ${flags}`} data-group-id={g.id} data-group-path={g.path} title={`${g.path || g.label}\n${g.ops}`}>
      <button className="group-toggle" onClick={(e) => toggleOnce(e, data, g.id)} aria-expanded={false} tabIndex={-1}>
        ▸ <span className="group-label">{label}</span>
      </button>
      <div className="group-ops muted">{g.ops}</div>
      <div className="group-meta">
        <span className="muted">{nodesText(g)}</span> <PairCounts g={g} />
      </div>
    </div>
  );
}

function FrameNode({ id, data }: NodeProps<GroupFlowNode>) {
  const g = data.group;
  const flags = useNodeClasses(id);
  const label = fitText(g.label, FRAME_HEADER_MAX - frameHeaderRest(g), LABEL_FONT);
  return (
    <div className={`group-frame ${flags}`} data-group-id={g.id} data-group-path={g.path} title={g.path || g.label}>
      <button className="group-toggle" onClick={(e) => toggleOnce(e, data, g.id)} aria-expanded tabIndex={-1}>
        ▾ <span className="group-label">{label}</span> <span className="muted">{nodesText(g)}</span>
      </button>
      <PairCounts g={g} />
    </div>
  );
}

const GroupNode = memo(function GroupNode(props: NodeProps<GroupFlowNode>) {
  return props.data.expanded ? <FrameNode {...props} /> : <BoxNode {...props} />;
});

export const nodeTypes = { op: OpNode, scope: GroupNode };
