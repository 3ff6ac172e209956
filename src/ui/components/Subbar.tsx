/** The second bar: expand/collapse, comparison, exports. */
import { EXPAND_ALL_LIMIT, noCurrentModel } from '../store/pageState';
import { useInspectorStore, useStore } from '../store/useStore';
import { everyGroupOpen } from '../store/wholeLayout';

export function Subbar() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const hasLayout = useStore((s) => s.layout !== null);
  const isBusy = useStore((s) => s.busy !== null);
  const comparing = useStore((s) => s.comparison !== null);
  const noModel = useStore((s) => noCurrentModel(s) !== null);
  const density = useStore((s) => s.density);
  const canExpandAll = (snapshot?.nodes.length ?? 0) <= EXPAND_ALL_LIMIT;
  // A small model's first view may already be the whole graph: then there is nothing to expand.
  const allOpen = useStore((s) => s.snapshot !== null && everyGroupOpen(s.snapshot, s.expanded));
  return (
    <nav className="subbar" aria-label="View and export">
      <button
        onClick={() => void store.expandAll()}
        disabled={!snapshot || !canExpandAll || allOpen}
        data-testid="expand-all"
        data-all-open={allOpen || undefined}
        title={allOpen ? 'Every group is open: the whole graph is drawn' : canExpandAll ? 'Open every group' : `Over ${EXPAND_ALL_LIMIT} nodes: open groups one by one`}
      >
        Expand all
      </button>
      <button onClick={() => void store.collapseAll()} disabled={!snapshot} data-testid="collapse-all">
        Collapse all
      </button>
      {/* Two pressed-or-not buttons in a named group: each is a tab stop, read as "Compact, toggle button, pressed". */}
      <div className="segmented" role="group" aria-label="Node density" data-testid="density-switch">
        <button onClick={() => void store.setDensity('compact')} aria-pressed={density === 'compact'} title="One line a node: op type and short name (remembered)">
          Compact
        </button>
        <button onClick={() => void store.setDensity('detailed')} aria-pressed={density === 'detailed'} title="Four lines a node: op type, path, shape, pair state (remembered)">
          Detailed
        </button>
      </div>
      <button onClick={() => void store.toggleCompare()} disabled={isBusy || noModel || !snapshot || snapshot.step === 0} data-testid="compare-toggle" aria-pressed={comparing}>
        {comparing ? 'Close comparison' : 'Compare with original'}
      </button>
      <span className="subbar-sep" />
      <span className="muted small">Export:</span>
      <button onClick={() => void store.exportView('svg')} disabled={noModel || !hasLayout} data-testid="export-svg" title="Save the graph as drawn now, as an SVG file">
        Download SVG
      </button>
      <button onClick={() => void store.exportView('png')} disabled={noModel || !hasLayout} data-testid="export-png" title="Save the graph as drawn now, as a PNG image">
        Download PNG
      </button>
      <button onClick={() => void store.exportReport('md')} disabled={noModel || !snapshot} data-testid="export-md">
        Report .md
      </button>
      <button onClick={() => void store.exportReport('json')} disabled={noModel || !snapshot} data-testid="export-json">
        Report .json
      </button>
    </nav>
  );
}
