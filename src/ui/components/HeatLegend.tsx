/** The legend of the graph painted by a per-value comparison: each bin's swatch with its words, and how many values diverge. */
import { HEAT_BINS } from '../graph/heat';
import type { PerValueResult } from '../worker/protocol';

export function HeatLegend({ result, onClear }: { result: PerValueResult; onClear: () => void }) {
  const r = result.report;
  const first = r.firstDivergent;
  return (
    <div className="heat-legend" role="group" aria-label="Relative error legend" data-testid="heat-legend">
      <div className="heat-legend-head">
        <strong>Max relative error per node</strong>
        <button className="linklike" onClick={onClear} aria-label="Hide the error paint">
          ✕
        </button>
      </div>
      <ul>
        {HEAT_BINS.map((b) => (
          <li key={b.bin}>
            <span className={`heat-swatch heat-${b.bin}`} aria-hidden /> {b.label}
          </li>
        ))}
      </ul>
      <p className="small">
        {first ? (
          <>
            First divergent: <code>{first.name}</code> ({r.counts.diverged} of {r.counts.compared} values beyond tolerance)
          </>
        ) : (
          <>Nothing diverges: {r.counts.compared} values within tolerance.</>
        )}
      </p>
    </div>
  );
}
