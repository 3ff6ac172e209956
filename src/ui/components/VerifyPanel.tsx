/** The proof: per output errors and pass/fail, and both models' timings side by side. */
import { useEffect, useRef } from 'react';
import type { Deviation, ModelTiming, VerifyReport } from '../../core/verify/verify';
import { originText, summaryText } from '../../core/verify/inputText';
import { createWords, runWords } from '../../core/verify/timingText';

function e(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

/** A relative error as a percentage, with enough digits to tell 0.0001 % from 0. */
export function percent(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const p = x * 100;
  if (p === 0) return '0 %';
  return `${p >= 1 ? p.toFixed(1) : p >= 0.01 ? p.toFixed(3) : p.toExponential(1)} %`;
}

interface Props {
  report: VerifyReport;
  incorrect: boolean;
  stale: boolean;
  /** The history step the report checked: 0 is the model as opened, compared with itself. */
  step: number;
  /** The other model file the current one was verified against; null: the model as opened. */
  reference: string | null;
  busy: boolean;
  onWhereDiffer: () => void;
}

/** A model's session create time: this verify's, or when a kept session was made (not on this verify's clock). */
function createCell(t: ModelTiming) {
  const w = createWords(t);
  if (w.note === null) return w.text;
  return (
    <span data-testid="timing-kept" title="Its session was made before this Verify and kept: the original’s once per model opened (when the page is idle), the fused model’s once per fold, undo or redo (while the fold is laid out)">
      {w.text} <span className="muted small">({w.note})</span>
    </span>
  );
}

/** A model's median run time: this verify's, or that of the earlier runs whose outputs (same inputs) were kept. */
function runCell(t: ModelTiming) {
  const w = runWords(t);
  if (w.note === null) return w.text;
  return (
    <span data-testid="timing-not-run" title="The same inputs give the same outputs: this model’s outputs for exactly these inputs were kept from an earlier run (ahead of the click, or an earlier Verify)">
      {w.text} <span className="muted small">({w.note})</span>
    </span>
  );
}

function deviationCell(d: Deviation) {
  return `${d.pass ? '✓' : '✗'} max abs ${e(d.maxAbsError)}, rel ${percent(d.maxRelError)}`;
}

export function VerifyPanel({ report, incorrect, stale, step, reference, busy, onWhereDiffer }: Props) {
  const ref = useRef<HTMLElement>(null);
  // A new result is brought into view: after "Apply anyway" it is the lesson's point.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [report]);
  const self = step === 0 && reference === null;
  const expected = report.outputs.filter((o) => o.expected.kind === 'compared');
  return (
    <section
      ref={ref}
      className={`panel verify-panel ${report.pass ? 'pass' : 'fail'}`}
      aria-label="Verification"
      data-testid="verify-result"
      data-pass={String(report.pass)}
      data-stale={String(stale)}
      data-self={String(self)}
    >
      <div className="panel-head">
        <h2>{self ? (report.pass ? '✓ Runs in onnxruntime-web' : '✗ The model does not run consistently') : report.pass ? '✓ Verified: same outputs' : '✗ Outputs differ'}</h2>
      </div>
      {self && (
        <p className="small" data-testid="verify-self">
          Nothing to compare yet: no fold has been applied, so the model was compared with itself. This shows it runs; fold a pair, then Verify proves the fold.
        </p>
      )}
      {stale && <p className="warn">The model changed since this check; verify again.</p>}
      {incorrect && !report.pass && (
        <p className="error-text" data-testid="verify-incorrect">
          This model contains a fold applied against the rules. The error below is what that fold costs: matching sizes are not enough.
        </p>
      )}
      <p className="muted small">
        {self ? 'the model as opened, twice' : reference ? `${reference} vs the current model` : 'original vs current model'}, <span data-testid="verify-engine">{report.engine.package} ({report.engine.backend})</span>, optimizations off
        {report.dims.length > 0 && `; ${report.dims.map((d) => `${d.name}=${d.value}${d.setBy === 'default' ? ' (default)' : d.setBy === 'input' ? ' (from an input)' : ''}`).join(', ')}`}
      </p>
      <table className="inputs-used" data-testid="inputs-used">
        <thead>
          <tr>
            <th>input</th>
            <th>from</th>
            <th>shape</th>
            <th>values</th>
          </tr>
        </thead>
        <tbody>
          {report.inputs.map((i) => (
            <tr key={i.name} data-input={i.name}>
              <td>
                <code>{i.name}</code>
              </td>
              <td>{originText(i.origin)}</td>
              <td>
                {i.dtype} [{i.dims.join(', ')}]
              </td>
              <td>{summaryText(i.summary, i.dtype)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="verify-table">
        <thead>
          <tr>
            <th>output</th>
            <th>max abs err</th>
            <th>max rel err</th>
            <th>as %</th>
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
              <td data-testid="rel-percent">{percent(o.maxRelError)}</td>
              <td>{e(o.meanAbsError)}</td>
              <td title={`rtol ${o.rtol}, atol ${o.atol}`}>{o.pass ? '✓ pass' : '✗ FAIL'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {expected.length > 0 && (
        <table className="verify-table" data-testid="verify-expected">
          <thead>
            <tr>
              <th>expected output</th>
              <th>{reference ?? 'original'}</th>
              <th>current</th>
            </tr>
          </thead>
          <tbody>
            {expected.map((o) =>
              o.expected.kind === 'compared' ? (
                <tr key={o.name} className={o.expected.original.pass && o.expected.fused.pass ? 'ok' : 'no'}>
                  <td>
                    <code>{o.name}</code> <span className="muted small">{o.expected.origin.kind === 'file' ? o.expected.origin.file : 'given'}</span>
                  </td>
                  <td>{deviationCell(o.expected.original)}</td>
                  <td>{deviationCell(o.expected.fused)}</td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      )}
      {(
        <p>
          <button onClick={onWhereDiffer} disabled={busy} data-testid="where-differ">
            Where do they differ?
          </button>{' '}
          <span className="muted small">compares every value both models share, node by node, and paints the graph by error</span>
        </p>
      )}
      {report.problems.map((p) => (
        <p key={p} className="error-text">
          {p}
        </p>
      ))}
      <table className="timing-table">
        <thead>
          <tr>
            <th></th>
            <th>{self ? 'run 1' : 'original'}</th>
            <th>{self ? 'run 2' : 'fused'}</th>
          </tr>
        </thead>
        <tbody>
          {report.runtimeStartMs > 0 && (
            <tr>
              <td>onnxruntime start (once, before both)</td>
              <td colSpan={2}>{report.runtimeStartMs.toFixed(1)} ms</td>
            </tr>
          )}
          <tr>
            <td>session create</td>
            <td>{createCell(report.original)}</td>
            <td>{createCell(report.fused)}</td>
          </tr>
          <tr>
            <td>run (median of {report.fused.runs})</td>
            <td>{runCell(report.original)}</td>
            <td>{runCell(report.fused)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
