/** Progress with Cancel, the error banner, and the INCORRECT-model banner. */
import { useInspectorStore, useStore } from '../store/useStore';

export function StatusBanners() {
  const store = useInspectorStore();
  const busy = useStore((s) => s.busy);
  const error = useStore((s) => s.error);
  const incorrect = useStore((s) => s.snapshot?.incorrect ?? false);
  return (
    <>
      {busy && (
        <div className="progress" role="status" aria-live="polite" data-testid="progress">
          <span>
            {busy.what}: {busy.stage}…
          </span>
          <progress value={busy.fraction} max={1} />
          {busy.cancel && (
            <button onClick={busy.cancel} data-testid="cancel">
              Cancel
            </button>
          )}
        </div>
      )}
      {error && (
        <div className="error-banner" role="alert" data-testid="error">
          <strong>{error.title}.</strong> {error.message}
          <button onClick={store.dismissError} aria-label="Dismiss">
            ✕
          </button>
          {error.details !== undefined && (
            <details className="error-details" data-testid="error-details">
              <summary>Details</summary>
              <pre>{error.details}</pre>
            </details>
          )}
        </div>
      )}
      {incorrect && (
        <div className="incorrect-banner" role="alert" data-testid="incorrect-banner">
          ⚠ INCORRECT MODEL: a fold was applied against the axis rule. It does not compute what the original computes. Undo to go back.
        </div>
      )}
    </>
  );
}
