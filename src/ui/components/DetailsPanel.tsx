/** The selected node: attributes, inputs and outputs with dtype and shape, initializer statistics. */
import type { NodeDetails, TensorDetails } from '../../core/session/inspectorSession';
import { float32Text, float64Text } from '../../core/numberText';

/** Types whose every value is a float32: printed as the shortest decimal that reads back as it. */
const FLOAT32_VALUES = new Set(['float32', 'float16', 'bfloat16']);

/** A stored value as people write it: `1e-5`, not `0.000009999999747378752` (integers and float64 as themselves). */
function storedText(x: number, dtype: string): string {
  return FLOAT32_VALUES.has(dtype) ? float32Text(x) : float64Text(x);
}

/** A computed mean, to four significant digits (it is not a stored value, so no more digits mean anything). */
function meanText(x: number): string {
  return Number.isFinite(x) ? float64Text(Number(x.toPrecision(4))) : String(x);
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
        {t.stats ? `min ${storedText(t.stats.min, t.dtype)} · max ${storedText(t.stats.max, t.dtype)} · mean ${meanText(t.stats.mean)}` : t.problem ? <span className="error-text">{t.problem}</span> : ''}
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
