/**
 * Where the models part: every value in topological order with its error (the first beyond
 * tolerance marked and named with its producer in each model), then the values with no
 * counterpart, each with why. At most ROWS rows are drawn; the rest are counted.
 */
import type { Producer, Unmatched } from '../../core/verify/valueMatch';
import type { ValueResult } from '../../core/verify/perValue';
import { relText } from '../graph/heat';
import type { PerValueResult } from '../worker/protocol';

const ROWS = 300;

function whyText(w: Unmatched): string {
  switch (w.kind) {
    case 'only-in-a':
      return 'only in the first model';
    case 'only-in-b':
      return 'only in the second model';
    case 'type-differs':
      return `another tensor: ${w.a} vs ${w.b}`;
    case 'rewritten':
      return 'inside the rewritten stretch (written and read by new nodes)';
    case 'not-numeric':
      return `not comparable as numbers (${w.type})`;
    default:
      return w satisfies never;
  }
}

const producerText = (p: Producer | null): string => (p ? `${p.opType} ${p.node || '(unnamed)'}` : '—');

export function PerValuePanel({ result, reference, stale, onShow }: { result: PerValueResult; reference: string | null; stale: boolean; onShow: (nodeId: string) => void }) {
  const r = result.report;
  const first = r.firstDivergent;
  const rows = r.values.filter((v): v is Exclude<ValueResult, { kind: 'unmatched' }> => v.kind !== 'unmatched');
  const unmatched = r.values.filter((v) => v.kind === 'unmatched');
  const a = reference ?? 'original';
  return (
    <section className={`panel per-value ${r.pass ? 'pass' : 'fail'}`} aria-label="Where do they differ" data-testid="per-value" data-pass={String(r.pass)}>
      <div className="panel-head">
        <h2>{first ? '✗ Where they part' : '✓ No value diverges'}</h2>
      </div>
      {stale && <p className="warn">The model changed since this comparison; run it again.</p>}
      <p data-testid="per-value-first">
        {first ? (
          <>
            First divergent value: <code>{first.name}</code> (max rel err {relText(first.comparison.maxRelError)}), written by {producerText(first.a)} in {a} and {producerText(first.b)} in the current model.
          </>
        ) : (
          <>All {r.counts.compared} shared values are within tolerance.</>
        )}
      </p>
      <p className="muted small">
        {r.counts.compared} compared, {r.counts.diverged} beyond tolerance, {r.counts.unmatched} with no counterpart{r.counts.tooBig > 0 ? `, ${r.counts.tooBig} too big for the ${Math.round(r.budgetBytes / 2 ** 20)} MB budget` : ''}; {r.chunks} run(s) of each model.
      </p>
      <table className="verify-table per-value-table" data-testid="per-value-table">
        <thead>
          <tr>
            <th>value</th>
            <th>written by (current)</th>
            <th>max rel err</th>
            <th>result</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, ROWS).map((v) => {
            const id = result.nodeOf[v.name];
            const bad = v.kind === 'compared' && !v.comparison.pass;
            return (
              <tr key={v.name} className={`${bad ? 'no' : 'ok'} ${first?.name === v.name ? 'first' : ''}`} data-value={v.name}>
                <td>
                  {id ? (
                    <button className="linklike" onClick={() => onShow(id)} title="Show it in the graph">
                      <code>{v.name}</code>
                    </button>
                  ) : (
                    <code>{v.name}</code>
                  )}
                </td>
                <td>{producerText(v.b)}</td>
                <td>{v.kind === 'compared' ? relText(v.comparison.maxRelError) : '—'}</td>
                <td>
                  {v.kind === 'compared' ? (v.comparison.pass ? '✓ within tolerance' : '✗ beyond tolerance') : `not compared: ${Math.round(v.bytes / 2 ** 20)} MB`}
                  {first?.name === v.name && <strong> (first)</strong>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length > ROWS && <p className="muted small">… and {rows.length - ROWS} more values (not listed here).</p>}
      {unmatched.length > 0 && (
        <details data-testid="per-value-unmatched">
          <summary>{unmatched.length} value(s) with no counterpart (not compared, not guessed)</summary>
          <ul className="small">
            {unmatched.slice(0, ROWS).map((v) =>
              v.kind === 'unmatched' ? (
                <li key={v.name}>
                  <code>{v.name}</code>: {whyText(v.why)}
                </li>
              ) : null,
            )}
          </ul>
        </details>
      )}
    </section>
  );
}
