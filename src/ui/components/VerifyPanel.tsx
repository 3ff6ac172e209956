/** The proof: per output errors and pass/fail, and both models' timings side by side. */
import type { VerifyReport } from '../../core/verify/verify';

function e(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

export function VerifyPanel({ report, incorrect, stale }: { report: VerifyReport; incorrect: boolean; stale: boolean }) {
  return (
    <section className={`panel verify-panel ${report.pass ? 'pass' : 'fail'}`} aria-label="Verification" data-testid="verify-result" data-pass={String(report.pass)} data-stale={String(stale)}>
      <div className="panel-head">
        <h2>{report.pass ? '✓ Verified: same outputs' : '✗ Outputs differ'}</h2>
      </div>
      {stale && <p className="warn">The model changed since this check; verify again.</p>}
      {incorrect && !report.pass && (
        <p className="error-text" data-testid="verify-incorrect">
          This model contains a fold applied against the rules. The error below is what that fold costs: matching sizes are not enough.
        </p>
      )}
      <p className="muted small">
        original vs current model, onnxruntime-web (wasm, optimizations off), seed {report.seed}; inputs{' '}
        {report.inputs.map((i) => `${i.name} [${i.dims.join(', ')}]`).join(', ')}
        {report.dims.length > 0 && `; ${report.dims.map((d) => `${d.name}=${d.value}${d.defaulted ? ' (default)' : ''}`).join(', ')}`}
      </p>
      <table className="verify-table">
        <thead>
          <tr>
            <th>output</th>
            <th>max abs err</th>
            <th>max rel err</th>
            <th>mean abs err</th>
            <th>result</th>
          </tr>
        </thead>
        <tbody>
          {report.outputs.map((o) => (
            <tr key={o.name} className={o.pass ? 'ok' : 'no'}>
              <td>
                <code>{o.name}</code>
              </td>
              <td>{e(o.maxAbsError)}</td>
              <td>{e(o.maxRelError)}</td>
              <td>{e(o.meanAbsError)}</td>
              <td title={`rtol ${o.rtol}, atol ${o.atol}`}>{o.pass ? '✓ pass' : '✗ FAIL'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.problems.map((p) => (
        <p key={p} className="error-text">
          {p}
        </p>
      ))}
      <table className="timing-table">
        <thead>
          <tr>
            <th></th>
            <th>original</th>
            <th>fused</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>session create</td>
            <td>{report.original.createMs.toFixed(1)} ms</td>
            <td>{report.fused.createMs.toFixed(1)} ms</td>
          </tr>
          <tr>
            <td>run (median)</td>
            <td>{report.original.runMs.toFixed(2)} ms</td>
            <td>{report.fused.runMs.toFixed(2)} ms</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
