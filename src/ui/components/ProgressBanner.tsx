/**
 * Progress with Cancel, drawn over the top of the graph rather than above it: a banner that pushed
 * the graph down resized the canvas, and React Flow measured and drew every node again in the middle
 * of the work it reports. The sidebar stays uncovered; what sits at the graph's top edge (the compare
 * view's change steps, the heat legend's first line) is hidden while the work lasts. (An error banner
 * the work clears, above the graph, still resizes it once.) `.canvas` isolates its stacking, so
 * dialogs and the drop overlay stay above it.
 */
import { useStore } from '../store/useStore';

export function ProgressBanner() {
  const busy = useStore((s) => s.busy);
  if (!busy) return null;
  return (
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
  );
}
