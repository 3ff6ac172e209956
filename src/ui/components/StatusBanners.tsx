/** The error banner and the INCORRECT-model banner, above the graph and the sidebar. */
import { useInspectorStore, useStore } from '../store/useStore';

export function StatusBanners() {
  const store = useInspectorStore();
  const error = useStore((s) => s.error);
  const incorrect = useStore((s) => s.snapshot?.incorrect ?? false);
  return (
    <>
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
