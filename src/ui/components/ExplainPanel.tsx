/**
 * Teaching view of the selected pair: the axes each op acts on, drawn on the real shape; the
 * folding formulas with the real tensor shapes; a one-sentence conclusion; and, for a pair that
 * fails only the axis rule, "Apply anyway" to show the error it causes.
 */
import { PatternExplain } from './PatternExplain';
import { Formulas } from './Formulas';
import type { FoldPreview, PairView } from '../../core/session/inspectorSession';
import { formatShape, type Dim } from '../../core/graph/shapeInference';
import { count } from '../text';

function dimText(d: Dim): string {
  return d === null ? '?' : String(d);
}

function AxisStrip({ pair }: { pair: PairView }) {
  const shape = pair.linear.outputShape;
  if (shape === null) {
    return <p className="warn">The rank of the Linear’s output is unknown, so no axis can be drawn — and no verdict of “fusable” can be given.</p>;
  }
  const last = shape.length - 1;
  return (
    <div className="axis-strip" data-testid="axis-strip" aria-label={`Linear output ${formatShape(shape)}`}>
      {shape.map((d, i) => {
        const isBn = i === 1;
        const isLin = i === last;
        const cls = `axis ${isBn ? 'axis-bn' : ''} ${isLin ? 'axis-linear' : ''}`;
        return (
          <div key={i} className={cls} data-axis={i}>
            <div className="axis-index">axis {i}</div>
            <div className="axis-size">{dimText(d)}</div>
            <div className="axis-role">
              {isBn && isLin && <span className="both">BatchNorm channels = Linear features ✓</span>}
              {isBn && !isLin && <span className="bn">BatchNorm normalizes here ({count(pair.batchNorm.channels, 'channel')})</span>}
              {isLin && !isBn && <span className="lin">Linear writes its {pair.outFeatures ?? '?'} features here</span>}
              {!isBn && !isLin && <span className="muted">{i === 0 ? 'batch' : '—'}</span>}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function conclusion(pair: PairView): string {
  const shape = pair.linear.outputShape;
  if (pair.fusable) {
    return shape && shape.length === 2
      ? `On ${formatShape(shape)} axis 1 is also the last axis, so each of the ${pair.outFeatures ?? '?'} features gets its own scale and the fold is exact.`
      : `BatchNorm has a single channel, so its scale is one number for every feature and the fold is exact.`;
  }
  if (pair.reasons.some((r) => r.code === 'LINEAR_OUTPUT_RANK') && shape) {
    return `On ${formatShape(shape)} BatchNorm scales axis 1 but the Linear’s features live on axis ${shape.length - 1}, so the scale cannot be folded into the weight${
      pair.outFeatures !== null && pair.outFeatures === pair.batchNorm.channels ? ' — even though the sizes match.' : '.'
    }`;
  }
  return `Not fusable: ${pair.reasons.map((r) => r.code).join(', ')} (see the reasons above).`;
}

function nums(xs: number[]): string {
  return xs.map((x) => x.toFixed(4)).join(', ');
}

interface Props {
  pair: PairView;
  preview: FoldPreview | null;
  busy: boolean;
  onApplyAnyway: (pairId: string) => void;
}

export function ExplainPanel({ pair, preview, busy, onApplyAnyway }: Props) {
  return (
    <section className="panel explain-panel" aria-label="Explain the selected pair" data-testid="explain">
      <div className="panel-head">
        <h2>
          Why {pair.fusable ? 'this folds' : 'this does not fold'} <code className="small">{pair.id}</code>
        </h2>
      </div>
      {pair.pattern === 'linear-bn' ? (
        <>
          <p className="muted small">Linear output, the tensor BatchNorm reads:</p>
          <AxisStrip pair={pair} />
          <Formulas pair={pair} preview={preview} />
          <p className={`conclusion ${pair.fusable ? 'ok' : 'no'}`} data-testid="conclusion">
            {conclusion(pair)}
          </p>
        </>
      ) : (
        <PatternExplain pair={pair} preview={preview} />
      )}
      {preview?.numbers && (
        <div className="preview">
          <div className="muted small">Folded weight keeps its shape {formatShape(preview.numbers.weightShape)}; first values:</div>
          <div>
            s: <code>{nums(preview.numbers.scale)}</code>
          </div>
          <div>
            W before: <code>{nums(preview.numbers.weightBefore)}</code>
          </div>
          <div>
            W after: <code>{nums(preview.numbers.weightAfter)}</code>
          </div>
          {preview.numbers.biasBefore.length > 0 && (
            <div>
              b before: <code>{nums(preview.numbers.biasBefore)}</code>
            </div>
          )}
          <div>
            b after: <code>{nums(preview.numbers.biasAfter)}</code>
          </div>
        </div>
      )}
      {pair.axisRuleOnly && pair.naiveProblem === null && (
        <div className="apply-anyway">
          <p className="small">
            The sizes allow the naive fold to be computed. Try it: the tool folds it against the rule and runs verification, so you can see the error it causes.
          </p>
          <button className="danger" disabled={busy} onClick={() => onApplyAnyway(pair.id)} data-testid="apply-anyway">
            Apply anyway (incorrect)
          </button>
        </div>
      )}
      {pair.axisRuleOnly && pair.naiveProblem !== null && (
        <p className="small warn" data-testid="cannot-form">
          Even a naive fold cannot be formed here: {pair.naiveProblem}.
        </p>
      )}
    </section>
  );
}
