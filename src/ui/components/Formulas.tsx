import type { FoldPreview, PairView } from '../../core/session/inspectorSession';

/** The fold's formulas, as the pattern states them from the layout its fold uses, with the sizes they need. */
export function Formulas({ pair, preview }: { pair: PairView; preview: FoldPreview | null }) {
  const c = pair.batchNorm.channels ?? '?';
  return (
    <div className="formulas" data-testid="formulas">
      {(preview?.pairId === pair.id ? preview.formulaLines : []).map((f) => (
        <div key={f}>
          <code>{f}</code>
        </div>
      ))}
      <div className="muted small">
        γ, β, μ, σ²: [{c}], ε = {Number(pair.epsilon.toPrecision(6))}
        {pair.pattern === 'linear-bn' && pair.batchNorm.channels !== 1 && ` · the weight's ${pair.outFeatures ?? '?'} output features need s with ${pair.outFeatures ?? '?'} values; s has ${c}`}
      </div>
    </div>
  );
}
