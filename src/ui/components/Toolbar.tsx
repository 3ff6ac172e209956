/** The top bar: open, examples, search, fuse, undo/redo, verify, download. */
import { useRef } from 'react';
import { filesFromList } from '../files';
import { noCurrentModel } from '../store/pageState';
import { useInspectorStore, useStore } from '../store/useStore';
import { SearchBox } from './SearchBox';

export function Toolbar() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const isBusy = useStore((s) => s.busy !== null);
  // While the playground's form has an error, what is on screen is no model: nothing to fuse, verify or save.
  const noModel = useStore((s) => noCurrentModel(s) !== null);
  const fileInput = useRef<HTMLInputElement>(null);
  const theme = useStore((s) => s.theme);
  const fusableCount = noModel ? 0 : (snapshot?.pairs.filter((p) => p.fusable).length ?? 0);
  return (
    <header className="toolbar">
      <h1>
        Fusion Inspector
      </h1>
      <div className="toolbar-group">
        <button onClick={() => fileInput.current?.click()} disabled={isBusy}>
          Open model…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          data-testid="file-input"
          hidden
          onChange={(e) => {
            const picked = filesFromList(e.target.files);
            e.target.value = '';
            void store.openPicked(picked);
          }}
        />
        <button onClick={() => store.setGalleryOpen(true)} data-testid="open-gallery" aria-haspopup="dialog">
          Lessons &amp; examples
        </button>
        <button onClick={() => void store.openPlayground()} data-testid="toolbar-playground" disabled={isBusy}>
          Playground
        </button>
      </div>
      {snapshot && <SearchBox nodes={snapshot.nodes} onPick={store.pickNode} />}
      <div className="toolbar-group">
        <button className="primary" onClick={() => void store.fuse(undefined)} disabled={isBusy || noModel || fusableCount === 0} title="Fold every fusable pair" data-testid="toolbar-fuse-all">
          {`Fuse all (${fusableCount})`}
        </button>
        <button onClick={() => void store.undoRedo('undo')} disabled={isBusy || !snapshot?.canUndo} title="Undo (Ctrl+Z)">
          ↶ Undo
        </button>
        <button onClick={() => void store.undoRedo('redo')} disabled={isBusy || !snapshot?.canRedo} title="Redo (Ctrl+Shift+Z)">
          ↷ Redo
        </button>
        <button onClick={() => void store.verify()} disabled={isBusy || noModel || !snapshot} data-testid="verify" title="Run original and current model in onnxruntime-web and compare">
          Verify
        </button>
        <button onClick={() => void store.download()} disabled={isBusy || noModel || !snapshot} data-testid="download" title={snapshot?.step ? 'Save the fused model' : 'Save the model as opened (nothing folded yet)'}>
          {snapshot?.incorrect ? '⚠ Download INCORRECT model' : snapshot?.step ? 'Download fused' : 'Download .onnx'}
        </button>
        {/* Named for what a press does; no aria-pressed, which with a changing name would read "Light mode, pressed" in dark mode. */}
        <button onClick={() => store.setTheme(theme === 'dark' ? 'light' : 'dark')} data-testid="theme-toggle" data-theme-now={theme} title={theme === 'dark' ? 'Switch to light colours (remembered)' : 'Switch to dark colours (remembered)'}>
          {theme === 'dark' ? '☀ Light mode' : '☾ Dark mode'}
        </button>
      </div>
    </header>
  );
}
