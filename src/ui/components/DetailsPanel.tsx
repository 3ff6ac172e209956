/** The selected node: attributes, inputs and outputs with dtype and shape, initializer statistics. */
import type { NodeDetails, TensorDetails } from '../../core/session/inspectorSession';

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}

function TensorRow({ t }: { t: TensorDetails }) {
  return (
    <tr>
      <td>
        <code>{t.name}</code>
        <div className="muted small">
          {t.kind}
          {t.via && <span data-testid="via"> · computed by {t.via}</span>}
        </div>
      </td>
      <td>{t.dtype}</td>
      <td>
        <code className="shape">{t.shape}</code>
      </td>
      <td className="small">
        {t.stats ? `min ${fmt(t.stats.min)} · max ${fmt(t.stats.max)} · mean ${fmt(t.stats.mean)}` : t.problem ? <span className="error-text">{t.problem}</span> : ''}
      </td>
    </tr>
  );
}

function TensorTable({ title, rows }: { title: string; rows: TensorDetails[] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table className="tensor-table">
        <thead>
          <tr>
            <th>name</th>
            <th>dtype</th>
            <th>shape</th>
            <th>values</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t, i) => (
            <TensorRow key={`${t.name}-${i}`} t={t} />
          ))}
        </tbody>
      </table>
    </>
  );
}

export function DetailsPanel({ details, onClose }: { details: NodeDetails; onClose: () => void }) {
  return (
    <section className="panel details-panel" aria-label="Node details" data-testid="details">
      <div className="panel-head">
        <h2>
          {details.opType} <span className="muted">{details.name || '(unnamed)'}</span>
        </h2>
        <button onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      {details.domain && details.domain !== 'ai.onnx' && <p className="muted">domain {details.domain}</p>}
      {details.docString && <p className="muted">{details.docString}</p>}
      {details.attributes.length > 0 && (
        <>
          <h3>Attributes</h3>
          <table className="attr-table">
            <tbody>
              {details.attributes.map((a) => (
                <tr key={a.name}>
                  <td>{a.name}</td>
                  <td>
                    <code>{a.value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <TensorTable title="Inputs" rows={details.inputs} />
      <TensorTable title="Outputs" rows={details.outputs} />
    </section>
  );
}
