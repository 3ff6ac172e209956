/** Every Linear→BN pair with its verdict and reasons; fuse one or all. */
import type { PairView, Snapshot } from '../../core/session/inspectorSession';
import { formatShape } from '../../core/graph/shapeInference';

interface Props {
  snapshot: Snapshot;
  selectedPair: string | null;
  busy: boolean;
  onSelect: (pair: PairView) => void;
  onFuse: (ids: string[] | undefined) => void;
}

export function PairsPanel({ snapshot, selectedPair, busy, onSelect, onFuse }: Props) {
  const pairs = snapshot.pairs;
  const fusable = pairs.filter((p) => p.fusable);
  return (
    <section className="panel pairs-panel" aria-label="Linear→BatchNormalization pairs">
      <div className="panel-head">
        <h2>
          BatchNorm folds <span className="count">{pairs.length}</span>
        </h2>
        <button className="primary" disabled={busy || fusable.length === 0} onClick={() => onFuse(undefined)} data-testid="fuse-all">
          Fuse all fusable ({fusable.length})
        </button>
      </div>
      {pairs.length === 0 && (
        <p className="muted">
          {snapshot.step > 0 ? 'No pair is left: every fusable BatchNormalization has been folded.' : 'This model has no BatchNormalization next to a Linear (Gemm, MatMul, MatMul+Add) or a Conv.'}
        </p>
      )}
      <ul className="pair-list">
        {pairs.map((p) => (
          <li
            key={p.id}
            className={`pair-row ${p.fusable ? 'ok' : 'no'} ${p.id === selectedPair ? 'selected' : ''}`}
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
              <code className="bn-out" title={p.id}>
                {p.id}
              </code>
            </div>
            <div className="pair-sub">
              {p.pattern === 'bn-linear' ? (
                <>
                  BatchNormalization{p.batchNorm.channels !== null && <span className="muted"> ({p.batchNorm.channels} channels)</span>} → {p.linear.kind}{' '}
                  <span className="muted">{p.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)'}</span>
                </>
              ) : (
                <>
                  {p.linear.kind} <span className="muted">{p.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)'}</span>
                  {p.transpose && <> → Transpose <span className="muted">perm {p.transpose.perm ? `[${p.transpose.perm.join(', ')}]` : '(reverse)'}</span></>} → BatchNormalization
                  {p.batchNorm.channels !== null && <span className="muted"> ({p.batchNorm.channels} channels)</span>} on <code>{formatShape(p.linear.outputShape)}</code>
                </>
              )}
            </div>
            {p.reasons.length > 0 && (
              <ul className="reasons">
                {p.reasons.map((r) => (
                  <li key={r.code}>
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
        ))}
      </ul>
    </section>
  );
}
