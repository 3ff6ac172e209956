/** onnxruntime's own optimizer on the model on screen, in words: equal, or by how much it differs and the pairs it folds that we refuse. */
import type { OrtCheckReport } from '../../core/verify/ortCheck';
import { percent } from './VerifyPanel';

export function OrtCheckPanel({ report, stale }: { report: OrtCheckReport; stale: boolean }) {
  const worst = report.comparison.outputs.reduce<(typeof report.comparison.outputs)[number] | null>((w, o) => (w === null || o.maxRelError > w.maxRelError ? o : w), null);
  const taken = report.axisRefused.filter((p) => p.ortFolds);
  const cause = report.cause;
  return (
    <section className={`panel ort-check ${report.pass ? 'pass' : 'fail'}`} aria-label="onnxruntime optimizer check" data-testid="ort-check-result" data-pass={String(report.pass)}>
      <div className="panel-head">
        <h2>{report.pass ? `✓ onnxruntime’s optimizer (${report.level}): equal` : `✗ onnxruntime’s optimizer (${report.level}) changes the outputs`}</h2>
      </div>
      {stale && <p className="warn">The model changed since this check; run it again.</p>}
      <p className="verdict-line" data-testid="ort-check-verdict">
        {report.pass
          ? `With graph optimizations at “${report.level}”, onnxruntime computes the same outputs as with optimizations disabled${worst ? ` (largest relative error ${percent(worst.maxRelError)}, on ${worst.name})` : ''}.`
          : `With graph optimizations at “${report.level}”, onnxruntime's outputs differ from its unoptimized run by ${worst ? `${percent(worst.maxRelError)} (max relative error, on ${worst.name})` : 'an unknown amount'}.`}
      </p>
      {!report.pass && (
        <p data-testid="ort-check-cause">
          {cause.kind === 'confirmed' && 'Confirmed: our own fold of exactly these pairs, applied against the rules and run without optimizations, computes what onnxruntime computes. '}
          {cause.kind === 'inferred' && 'Likely: onnxruntime folds these pairs, though our fold of them alone does not reproduce its outputs exactly. '}
          {cause.kind === 'unexplained' && 'No pair we refuse for an axis reason is one onnxruntime folds: the difference comes from another of its rewrites.'}
        </p>
      )}
      {taken.length > 0 && (
        <ul data-testid="ort-check-pairs">
          {taken.map((p) => (
            <li key={p.id}>
              <code>{p.code}</code>: {p.nodes.join(' → ')} — onnxruntime folds it anyway: {p.why}.
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {report.axisRefused.length} pair(s) refused for their axis, {taken.length} of them folded by onnxruntime. {report.optimizedModel.kind === 'not-written' ? `Its optimized model cannot be inspected: ${report.optimizedModel.why}.` : `Its optimized model keeps ${report.optimizedModel.batchNormalizations} BatchNormalization(s).`}
      </p>
    </section>
  );
}
