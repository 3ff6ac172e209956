/** Every BatchNorm fold (Linear→BN, Conv→BN, …) with its verdict and reasons; fuse one or all. */
import { memo, useMemo, useState } from 'react';
import type { PairView, Snapshot } from '../../core/session/inspectorSession';
import { formatShape } from '../../core/graph/shapeInference';
import { count } from '../text';
import { pairTitle } from '../../core/session/pairTitle';

interface Props {
  snapshot: Snapshot;
  selectedPair: string | null;
  busy: boolean;
  onSelect: (pair: PairView) => void;
  onFuse: (ids: string[] | undefined) => void;
}

/** Rows drawn at a time: a model with thousands of Conv→BN pairs must not block the page. */
const PAGE = 100;

type Filter = 'all' | 'blocked' | 'fusable';


export function PairsPanel({ snapshot, selectedPair, busy, onSelect, onFuse }: Props) {
  const pairs = snapshot.pairs;
  const fusable = useMemo(() => pairs.filter((p) => p.fusable), [pairs]);
  const [filter, setFilter] = useState<Filter>('all');
  const [limit, setLimit] = useState(PAGE);
  // A new list starts at the first page again (adjusted while rendering, not in an effect).
  const [listKey, setListKey] = useState({ pairs, filter });
  if (listKey.pairs !== pairs || listKey.filter !== filter) {
    setListKey({ pairs, filter });
    setLimit(PAGE);
  }
  // Linear→BN first (the rule this tool is about), then the other patterns, each in model order.
  const list = useMemo(() => {
    const shown = filter === 'all' ? pairs : pairs.filter((p) => p.fusable === (filter === 'fusable'));
    return [...shown].sort((a, b) => a.patternOrder - b.patternOrder);
  }, [pairs, filter]);
  const view = list.slice(0, limit);
  // A selected pair beyond the rows shown (picked on the graph or from the URL) is pinned on top.
  const pinned = selectedPair && !view.some((p) => p.id === selectedPair) ? (pairs.find((p) => p.id === selectedPair) ?? null) : null;
  return (
    <section className="panel pairs-panel" aria-label="BatchNormalization folds">
      <div className="panel-head">
        <h2 tabIndex={-1} data-focus-home>
          BatchNorm folds <span className="count">{pairs.length}</span>
        </h2>
        <button className="primary" disabled={busy || fusable.length === 0} onClick={() => onFuse(undefined)} data-testid="fuse-all">
          {`Fuse all fusable (${fusable.length})`}
        </button>
      </div>
      {pairs.length === 0 && (
        <p className="muted">
          {snapshot.step === 0
            ? 'This model has no BatchNormalization next to a Linear (Gemm, MatMul, MatMul+Add) or a Conv.'
            : snapshot.incorrect
              ? 'No pair is left — but at least one was folded against the rules (Apply anyway): this model computes different numbers. Undo to go back.'
              : 'No pair is left: every fusable BatchNormalization has been folded.'}
        </p>
      )}
      {pairs.length > 0 && fusable.length > 0 && fusable.length < pairs.length && (
        <div className="pair-filter small" role="group" aria-label="Show">
          {(['all', 'blocked', 'fusable'] as const).map((f) => (
            <button key={f} className={filter === f ? 'active' : ''} aria-pressed={filter === f} onClick={() => setFilter(f)} data-testid={`filter-${f}`}>
              {f === 'all' ? `All (${pairs.length})` : f === 'blocked' ? `Not fusable (${pairs.length - fusable.length})` : `Fusable (${fusable.length})`}
            </button>
          ))}
        </div>
      )}
      {view.length < list.length && <p className="muted small">Showing {view.length} of {list.length}.</p>}
      <ul className="pair-list">
        {pinned && <PairRow key={`pinned-${pinned.id}`} p={pinned} selected busy={busy} onSelect={onSelect} onFuse={onFuse} />}
        {view.map((p) => (
          <PairRow key={p.id} p={p} selected={p.id === selectedPair} busy={busy} onSelect={onSelect} onFuse={onFuse} />
        ))}
      </ul>
      {view.length < list.length && (
        <button className="linklike" onClick={() => setLimit((l) => l + PAGE)} data-testid="more-pairs">
          Show {Math.min(PAGE, list.length - view.length)} more
        </button>
      )}
    </section>
  );
}

interface RowProps {
  p: PairView;
  selected: boolean;
  busy: boolean;
  onSelect: (pair: PairView) => void;
  onFuse: (ids: string[] | undefined) => void;
}

/** One pair; memoized so progress updates elsewhere do not re-render hundreds of rows. */
const PairRow = memo(function PairRow({ p, selected, busy, onSelect, onFuse }: RowProps) {
  const title = pairTitle(p);
  return (
    <li
      className={`pair-row ${p.fusable ? 'ok' : 'no'} ${selected ? 'selected' : ''}`}
      data-bn-output={p.bnOutput}
      data-pair-id={p.id}
      data-pattern={p.pattern}
      data-fusable={String(p.fusable)}
      onClick={() => onSelect(p)}
      tabIndex={0}
      onKeyDown={(e) => e.key === 'Enter' && onSelect(p)}
    >
      <div className="pair-title">
        <span className={`verdict ${p.fusable ? 'ok' : 'no'}`}>{p.fusable ? '✓ FUSABLE' : '✗ NOT FUSABLE'}</span>
        <span className="pair-name" title={title.full}>
          {title.short}
        </span>
      </div>
      {/* Whole strings rather than fragments: a long list of rows is most of a small model's page. */}
      <div className="pair-id muted small" title={p.id}>{`value ${p.id}`}</div>
      <PairChain p={p} />
      {p.reasons.length > 0 && (
        <ul className="reasons">
          {p.reasons.map((r, i) => (
            // A code can appear twice (e.g. CHANNEL_MISMATCH for the Linear and for a BN parameter).
            <li key={`${r.code}-${i}`}>
              <code className="code">{r.code}</code> {r.message}
            </li>
          ))}
        </ul>
      )}
      {p.fusable && (
        <button
          disabled={busy}
          onClick={(e) => {
            e.stopPropagation();
            onFuse([p.id]);
          }}
        >
          Fuse this pair
        </button>
      )}
    </li>
  );
});

/** The ops of a pair in order, as one line: its names muted, the BatchNorm input's shape as code. */
function PairChain({ p }: { p: PairView }) {
  const names = p.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)';
  const channels = p.batchNorm.channels !== null ? ` (${count(p.batchNorm.channels, 'channel')})` : '';
  if (p.pattern === 'bn-linear') {
    return (
      <div className="pair-sub">
        {`BatchNormalization${channels} → ${p.linear.kind} `}
        <span className="muted">{names}</span>
      </div>
    );
  }
  const transpose = p.transpose ? ` → Transpose perm ${p.transpose.perm ? `[${p.transpose.perm.join(', ')}]` : '(reverse)'}` : '';
  const reshape = p.reshape ? ` → Reshape to ${formatShape(p.reshape.shape)}` : '';
  return (
    <div className="pair-sub">
      {`${p.linear.kind} `}
      <span className="muted">{names}</span>
      {`${transpose}${reshape} → BatchNormalization${channels} on `}
      <code>{formatShape(p.linear.outputShape)}</code>
    </div>
  );
}
