import type { FoldPreview, PairView } from '../../core/session/inspectorSession';
import { float32Text } from '../../core/numberText';

/** The fold's formulas, as the pattern states them from the layout its fold uses. */
export function Formulas({ pair, preview }: { pair: PairView; preview: FoldPreview | null }) {
  const c = pair.batchNorm.channels ?? '?';
  return (
    <div className="formulas" data-testid="formulas">
      {!pair.fusable && <div className="muted small">The fold this pair would need{pair.axisRuleOnly ? ' (it does not hold here)' : ''}:</div>}
      {(preview?.pairId === pair.id ? preview.formulaLines : []).map((f) => (
        <div key={f}>
          <code>{f}</code>
        </div>
      ))}
      <div className="muted small">
        γ, β, μ, σ²: [{c}], ε = {float32Text(pair.epsilon)}
      </div>
    </div>
  );
}
