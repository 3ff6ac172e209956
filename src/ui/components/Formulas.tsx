import type { FoldPreview, NormView, PairView } from '../../core/session/inspectorSession';
import { normParamsText } from '../../core/teaching/normText';

/** The fold's formulas, as the pattern states them from the layout its fold uses. */
export function Formulas({ pair, preview }: { pair: PairView; preview: FoldPreview | null }) {
  return (
    <div className="formulas" data-testid="formulas">
      {!pair.fusable && <div className="muted small">The fold this pair would need{pair.axisRuleOnly ? ' (it does not hold here)' : ''}:</div>}
      {(preview?.pairId === pair.id ? preview.formulaLines : []).map((f) => (
        <div key={f}>
          <code>{f}</code>
        </div>
      ))}
      <NormParams norm={pair.norm} channels={pair.batchNorm.channels} />
    </div>
  );
}

function NormParams({ norm, channels }: { norm: NormView; channels: number | null }) {
  return (
    <div className="muted small" data-testid="norm-params" data-op={norm.op}>
      {normParamsText(norm, channels)}
    </div>
  );
}
