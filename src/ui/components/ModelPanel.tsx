/** The open model: name, size, opsets, warnings, external data files, the last notice. */
import { useRef } from 'react';
import { filesFromList } from '../files';
import { count } from '../text';
import { useInspectorStore, useStore } from '../store/useStore';

export function ModelPanel() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const notice = useStore((s) => s.notice);
  const isBusy = useStore((s) => s.busy !== null);
  const dataInput = useRef<HTMLInputElement>(null);
  if (!snapshot) return null;
  return (
    <section className="panel model-panel" data-testid="model-summary">
      <div className="file-name">
        <strong>{snapshot.fileName}</strong>
        {snapshot.step > 0 && <span className="muted"> · step {snapshot.step} (fused)</span>}
      </div>
      <div className="muted small">
        {`${count(snapshot.summary.nodeCount, 'node')} · opset ${snapshot.summary.opsets.map((o) => `${o.domain === 'ai.onnx' ? '' : o.domain + ' '}${o.version}`).join(', ')} · ${snapshot.summary.producer || 'unknown producer'} · ${count(snapshot.groups.length - 1, 'group')}`}
      </div>
      {snapshot.diagnostics.length > 0 && (
        <ul className="diagnostics" data-testid="diagnostics">
          {snapshot.diagnostics.map((d) => (
            <li key={d.code}>
              <code className="code">{d.code}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
      {snapshot.external.length > 0 && (
        <div className="external" data-testid="external-data">
          <div className="small">
            <strong>External data</strong> — weights stored next to the model:
          </div>
          <ul>
            {snapshot.external.map((x) => (
              <li key={x.location} className={`ext-${x.state}`} data-state={x.state}>
                <span className="ext-state">{x.state === 'loaded' ? '✓ loaded' : x.state === 'missing' ? 'needed' : x.state === 'refused' ? 'refused' : 'too short'}</span> {x.message}
              </li>
            ))}
          </ul>
          {snapshot.external.some((x) => x.state === 'missing' || x.state === 'out-of-range') && (
            <div className="small">
              <button onClick={() => dataInput.current?.click()} disabled={isBusy} data-testid="add-data-files">
                Add data files…
              </button>{' '}
              or drop them (or the model’s folder) on the page. They are read here, never uploaded.
              <input
                ref={dataInput}
                type="file"
                multiple
                hidden
                data-testid="data-input"
                onChange={(e) => {
                  const picked = filesFromList(e.target.files);
                  e.target.value = '';
                  void store.attachFiles(picked);
                }}
              />
            </div>
          )}
        </div>
      )}
      {notice && (
        <div className="notice" data-testid="notice">
          {notice}
        </div>
      )}
    </section>
  );
}
