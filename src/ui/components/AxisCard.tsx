/**
 * The axis card: the Linear's output with the axis BatchNorm normalizes and the axis the Linear
 * writes its features on, and the three checks (same axis, sizes, the other conditions) — a tick
 * only for what really holds; equal sizes on different axes are called a coincidence. A pair with
 * an Add or Mul constant on the op's output gets the constant's strip instead (ConstantStrip).
 */
import { formatShape, type Dim } from '../../core/graph/dims';
import { axisChecks, type CheckState } from '../../core/teaching/pairStory';
import type { PairView } from '../../core/session/inspectorSession';
import { count } from '../text';
import { ConstantStrip } from './ConstantStrip';

const dimText = (d: Dim) => (d === null ? '?' : String(d));

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
        return (
          <div key={i} className={`axis ${isBn ? 'axis-bn' : ''} ${isLin ? 'axis-linear' : ''}`} data-axis={i}>
            <div className="axis-index">axis {i}</div>
            <div className="axis-size">{dimText(d)}</div>
            <div className="axis-role">
              {isBn && isLin && <span className="both">BatchNorm’s channels and the Linear’s features: the same axis</span>}
              {isBn && !isLin && <span className="bn">BatchNorm normalizes here ({count(pair.batchNorm.channels ?? 0, 'channel')})</span>}
              {isLin && !isBn && <span className="lin">Linear writes its {pair.outFeatures ?? '?'} features here</span>}
              {!isBn && !isLin && <span className="muted">{i === 0 && typeof d === 'number' ? 'batch' : '—'}</span>}
            </div>
          </div>
        );
      })}
    </div>
  );
}

const ICON: Record<CheckState, string> = { holds: '✓', fails: '✗', coincidence: '≈', unknown: '?' };

export function AxisChecks({ pair }: { pair: PairView }) {
  return (
    <ul className="axis-checks" data-testid="axis-checks">
      {axisChecks(pair).map((c) => (
        <li key={c.what} className={`check ${c.state}`} data-check={c.what} data-state={c.state}>
          <span className="check-icon" aria-hidden>
            {ICON[c.state]}
          </span>{' '}
          {c.text}
        </li>
      ))}
    </ul>
  );
}

export function AxisCard({ pair }: { pair: PairView }) {
  return (
    <>
      {pair.pattern === 'linear-bn' && (
        <>
          <p className="muted small">The Linear’s output, the tensor BatchNorm reads:</p>
          <AxisStrip pair={pair} />
        </>
      )}
      <ConstantStrip pair={pair} />
      <AxisChecks pair={pair} />
    </>
  );
}
