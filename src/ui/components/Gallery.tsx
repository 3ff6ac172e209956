/** The example gallery: one model per rule, both sides, each with its explanation. */
import type { ExampleIndex, ExampleIndexEntry } from '../../examples/exampleFiles';

interface Props {
  index: ExampleIndex | null;
  onPick: (e: ExampleIndexEntry) => void;
  onClose: () => void;
}

export function Gallery({ index, onPick, onClose }: Props) {
  return (
    <div className="modal-backdrop" onClick={onClose} role="presentation">
      <div className="modal gallery" role="dialog" aria-label="Example gallery" onClick={(e) => e.stopPropagation()} data-testid="gallery">
        <div className="panel-head">
          <h2>Examples: one per fusion rule, both sides</h2>
          <button onClick={onClose} aria-label="Close gallery">
            ✕
          </button>
        </div>
        {!index && <p className="muted">Loading the list…</p>}
        <div className="gallery-grid">
          {index?.examples.map((e) => {
            const verdicts = Object.values(e.expect);
            const ok = verdicts.filter((v) => v.fusable).length;
            return (
              <button key={e.id} className="gallery-card" onClick={() => onPick(e)} data-example={e.id}>
                <div className="gallery-title">{e.title}</div>
                <div className="gallery-tags">
                  {ok > 0 && <span className="verdict ok">✓ {ok} fusable</span>}
                  {verdicts.length - ok > 0 && <span className="verdict no">✗ {verdicts.length - ok} not fusable</span>}
                  <code className="code">{e.rule}</code>
                </div>
                <div className="gallery-text">{e.explanation}</div>
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}
