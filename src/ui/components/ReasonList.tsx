/** Each reason the pair is refused: what was found on this model, why it blocks the fold, and what would lift it. */
import { teachReason } from '../../core/teaching/reasonMeaning';
import type { PairView } from '../../core/session/inspectorSession';

export function ReasonList({ pair }: { pair: PairView }) {
  if (pair.reasons.length === 0) return null;
  return (
    <div className="reason-teaching" data-testid="reason-teaching">
      {pair.reasons.map((r, i) => {
        const t = teachReason(pair, r);
        return (
          <div key={`${r.code}-${i}`} className="reason-card" data-code={r.code}>
            <div>
              <code className="code">{r.code}</code> {t.found}
            </div>
            <div>
              <strong>Why it blocks the fold:</strong> <span data-testid="reason-why">{t.why}</span>
            </div>
            <div>
              <strong>What would make it fusable:</strong> {t.fix}
            </div>
          </div>
        );
      })}
    </div>
  );
}
