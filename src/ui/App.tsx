/** The inspector page: open a model, see its pairs on the graph, fold, verify, download. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { FoldPreview, NodeDetails, PairView, Snapshot } from '../core/session/inspectorSession';
import type { VerifyReport } from '../core/verify/verify';
import type { ExampleIndex, ExampleIndexEntry } from '../examples/exampleFiles';
import { InspectorClient, WorkerError } from './worker/client';
import { GraphCanvas } from './components/GraphCanvas';
import { PairsPanel } from './components/PairsPanel';
import { DetailsPanel } from './components/DetailsPanel';
import { VerifyPanel } from './components/VerifyPanel';
import { ExplainPanel } from './components/ExplainPanel';
import { Gallery } from './components/Gallery';
import { SearchBox } from './components/SearchBox';

interface Busy {
  what: string;
  stage: string;
  fraction: number;
}

interface PageError {
  title: string;
  message: string;
}

interface VerifyState {
  report: VerifyReport;
  incorrect: boolean;
  step: number;
}

let clientSingleton: InspectorClient | null = null;
function client(): InspectorClient {
  // One worker per page, even under StrictMode's double effects.
  clientSingleton ??= new InspectorClient();
  return clientSingleton;
}

const EXAMPLES_BASE = `${import.meta.env.BASE_URL}examples/`;

export function App() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<PageError | null>(null);
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  const [selectedPair, setSelectedPair] = useState<string | null>(null);
  const [details, setDetails] = useState<NodeDetails | null>(null);
  const [preview, setPreview] = useState<FoldPreview | null>(null);
  const [verifyState, setVerifyState] = useState<VerifyState | null>(null);
  const [focus, setFocus] = useState<{ nodeIds: string[]; seq: number } | null>(null);
  const [examples, setExamples] = useState<ExampleIndex | null>(null);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped on every newly opened file so the graph view starts fitted to it.
  const [openSeq, setOpenSeq] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const started = useRef(false);

  const run = useCallback(async <T,>(what: string, fn: (progress: (stage: string, fraction: number) => void) => Promise<T>, errorTitle: string): Promise<T | null> => {
    setBusy({ what, stage: 'Starting', fraction: 0 });
    setError(null);
    try {
      return await fn((stage, fraction) => setBusy({ what, stage, fraction }));
    } catch (e) {
      const message = e instanceof WorkerError || e instanceof Error ? e.message : String(e);
      setError({ title: errorTitle, message });
      return null;
    } finally {
      setBusy(null);
    }
  }, []);

  const showSnapshot = useCallback((s: Snapshot, keepSelection: boolean) => {
    setSnapshot(s);
    setDetails(null);
    setSelectedNode(null);
    setPreview(null);
    if (!keepSelection || !s.pairs.some((p) => p.id === selectedPairRef.current)) setSelectedPair(null);
  }, []);
  const selectedPairRef = useRef<string | null>(null);
  selectedPairRef.current = selectedPair;

  const openBytes = useCallback(
    async (fileName: string, bytes: ArrayBuffer) => {
      const r = await run(
        `Opening ${fileName}`,
        (progress) => client().request<'snapshot'>({ type: 'open', fileName, bytes }, progress, [bytes]),
        `Could not open “${fileName}”`,
      );
      if (r) {
        showSnapshot(r.snapshot, false);
        setOpenSeq((n) => n + 1);
        setVerifyState(null);
        setNotice(null);
      }
    },
    [run, showSnapshot],
  );

  const openUrl = useCallback(
    async (url: string, fileName?: string) => {
      const name = fileName ?? decodeURIComponent(url.split('/').pop()?.split('?')[0] || 'model.onnx');
      let target: URL;
      try {
        target = new URL(url, window.location.href);
      } catch {
        setError({ title: `Could not open “${url}”`, message: 'That is not a valid URL.' });
        return;
      }
      if (target.origin !== window.location.origin) {
        setError({ title: `Could not open “${url}”`, message: 'Only models on this site can be opened by URL; nothing is fetched from other origins. Drop the file on the page instead.' });
        return;
      }
      const bytes = await run(
        `Downloading ${name}`,
        async () => {
          const res = await fetch(target);
          if (!res.ok) throw new Error(`The server answered ${res.status} ${res.statusText} for ${target.pathname}.`);
          return res.arrayBuffer();
        },
        `Could not open “${name}”`,
      );
      if (bytes) await openBytes(name, bytes);
    },
    [openBytes, run],
  );

  const openFile = useCallback(async (file: File) => openBytes(file.name, await file.arrayBuffer()), [openBytes]);

  // First load: ?model=<same-origin URL>, else the default example.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void fetch(`${EXAMPLES_BASE}index.json`)
      .then((r) => r.json() as Promise<ExampleIndex>)
      .then((idx) => {
        setExamples(idx);
        const param = new URLSearchParams(window.location.search).get('model');
        if (param) void openUrl(param);
        else void openUrl(`${EXAMPLES_BASE}${idx.default}.onnx`, `${idx.default}.onnx`);
      })
      .catch(() => setError({ title: 'Could not load the example list', message: 'The built-in examples are missing; open a model with the file picker.' }));
  }, [openUrl]);

  // Drag and drop anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const f = e.dataTransfer?.files[0];
      if (f) void openFile(f);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openFile]);

  const selectNode = useCallback(
    async (id: string | null) => {
      setSelectedNode(id);
      if (!id) {
        setDetails(null);
        return;
      }
      const r = await client().request<'details'>({ type: 'details', nodeId: id });
      setDetails(r.details);
      const pairId = r.details?.pairIds[0];
      if (pairId) selectPairById(pairId, false);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const selectPairById = useCallback((id: string, centre: boolean) => {
    setSelectedPair(id);
    setPreview(null);
    void client()
      .request<'preview'>({ type: 'preview', pairId: id })
      .then((r) => setPreview(r.preview))
      .catch(() => setPreview(null));
    if (centre) {
      const s = snapshotRef.current;
      const p = s?.pairs.find((x) => x.id === id);
      if (p) setFocus((f) => ({ nodeIds: [...p.linearNodeIds, p.bnNodeId], seq: (f?.seq ?? 0) + 1 }));
    }
  }, []);
  const snapshotRef = useRef<Snapshot | null>(null);
  snapshotRef.current = snapshot;

  const selectPair = useCallback((p: PairView) => selectPairById(p.id, true), [selectPairById]);

  const doVerify = useCallback(async () => {
    const r = await run('Verifying', (progress) => client().request<'verify'>({ type: 'verify' }, progress), 'Verification could not run');
    if (r) setVerifyState({ report: r.report, incorrect: r.incorrect, step: snapshotRef.current?.step ?? 0 });
  }, [run]);

  const doFuse = useCallback(
    async (only: string[] | undefined, ignoreAxisRule = false) => {
      const r = await run(
        ignoreAxisRule ? 'Applying the fold anyway' : 'Fusing',
        (progress) => client().request<'snapshot'>({ type: 'fuse', only, ignoreAxisRule }, progress),
        'Could not fuse',
      );
      if (!r) return;
      showSnapshot(r.snapshot, false);
      const f = r.snapshot.lastFuse;
      if (f) {
        setNotice(
          f.incorrect
            ? `Applied against the rules: ${f.folded.join(', ')}. This model is marked INCORRECT.`
            : `Folded ${f.folded.length} pair${f.folded.length === 1 ? '' : 's'}: ${f.nodesRemoved} node${f.nodesRemoved === 1 ? '' : 's'} removed (${r.snapshot.summary.nodeCount + f.nodesRemoved} → ${r.snapshot.summary.nodeCount}).`,
        );
      }
      if (ignoreAxisRule) await doVerify();
    },
    [doVerify, run, showSnapshot],
  );

  const doUndoRedo = useCallback(
    async (type: 'undo' | 'redo') => {
      const r = await client().request<'snapshot'>({ type });
      showSnapshot(r.snapshot, true);
      setNotice(r.snapshot.step === 0 ? 'Back to the model as opened.' : `Step ${r.snapshot.step}: ${r.snapshot.nodesRemovedTotal} node(s) removed since opening.`);
    },
    [showSnapshot],
  );

  const doDownload = useCallback(async () => {
    const s = snapshotRef.current;
    if (s?.incorrect && !window.confirm('This model contains a fold applied AGAINST the rules and computes different numbers. Download it anyway, labelled INCORRECT?')) return;
    const r = await run('Preparing the download', () => client().request<'download'>({ type: 'download' }), 'Could not prepare the download');
    if (!r) return;
    const url = URL.createObjectURL(new Blob([r.bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, [run]);

  // Keyboard: Ctrl+Z / Ctrl+Shift+Z for undo/redo.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        const s = snapshotRef.current;
        if (e.shiftKey ? s?.canRedo : s?.canUndo) void doUndoRedo(e.shiftKey ? 'redo' : 'undo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndoRedo]);

  const pickExample = (e: ExampleIndexEntry) => {
    setGalleryOpen(false);
    void openUrl(`${EXAMPLES_BASE}${e.file}`, e.file);
  };

  const pair = snapshot?.pairs.find((p) => p.id === selectedPair) ?? null;
  const fusableCount = snapshot?.pairs.filter((p) => p.fusable).length ?? 0;
  const isBusy = busy !== null;

  return (
    <div className="app">
      <header className="toolbar">
        <h1>
          Fusion Inspector <span className="tagline">Linear → BatchNorm folding, checked</span>
        </h1>
        <div className="toolbar-group">
          <button onClick={() => fileInput.current?.click()} disabled={isBusy}>
            Open model…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".onnx,application/octet-stream"
            data-testid="file-input"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void openFile(f);
            }}
          />
          <button onClick={() => setGalleryOpen(true)} data-testid="open-gallery">
            Examples
          </button>
        </div>
        {snapshot && <SearchBox nodes={snapshot.nodes} onPick={(id) => {
          void selectNode(id);
          setFocus((f) => ({ nodeIds: [id], seq: (f?.seq ?? 0) + 1 }));
        }} />}
        <div className="toolbar-group">
          <button className="primary" onClick={() => void doFuse(undefined)} disabled={isBusy || fusableCount === 0} title="Fold every fusable pair">
            Fuse all ({fusableCount})
          </button>
          <button onClick={() => void doUndoRedo('undo')} disabled={isBusy || !snapshot?.canUndo} title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button onClick={() => void doUndoRedo('redo')} disabled={isBusy || !snapshot?.canRedo} title="Redo (Ctrl+Shift+Z)">
            ↷ Redo
          </button>
          <button onClick={() => void doVerify()} disabled={isBusy || !snapshot} data-testid="verify" title="Run original and current model in onnxruntime-web and compare">
            Verify
          </button>
          <button onClick={() => void doDownload()} disabled={isBusy || !snapshot || snapshot.step === 0} data-testid="download" title="Save the fused model">
            {snapshot?.incorrect ? '⚠ Download INCORRECT model' : 'Download fused'}
          </button>
        </div>
      </header>

      {busy && (
        <div className="progress" role="status" aria-live="polite" data-testid="progress">
          <span>
            {busy.what}: {busy.stage}…
          </span>
          <progress value={busy.fraction} max={1} />
        </div>
      )}
      {error && (
        <div className="error-banner" role="alert" data-testid="error">
          <strong>{error.title}.</strong> {error.message}
          <button onClick={() => setError(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {snapshot?.incorrect && (
        <div className="incorrect-banner" role="alert" data-testid="incorrect-banner">
          ⚠ INCORRECT MODEL: a fold was applied against the axis rule. It does not compute what the original computes. Undo to go back.
        </div>
      )}

      <main className="main">
        <div className="canvas">
          {snapshot ? (
            <ReactFlowProvider key={openSeq}>
              <GraphCanvas snapshot={snapshot} selectedNode={selectedNode} selectedPair={selectedPair} focus={focus} onSelectNode={(id) => void selectNode(id)} />
            </ReactFlowProvider>
          ) : (
            <div className="start">
              {!busy && !error && <p>Loading the example…</p>}
              <p>
                Drop an <code>.onnx</code> file anywhere, use <em>Open model…</em>, or pick one of the <button className="linklike" onClick={() => setGalleryOpen(true)}>examples</button>.
              </p>
            </div>
          )}
        </div>
        <aside className="sidebar">
          {snapshot && (
            <section className="panel model-panel" data-testid="model-summary">
              <div className="file-name">
                <strong>{snapshot.fileName}</strong>
                {snapshot.step > 0 && <span className="muted"> · step {snapshot.step} (fused)</span>}
              </div>
              <div className="muted small">
                {snapshot.summary.nodeCount} nodes · opset {snapshot.summary.opsets.map((o) => `${o.domain === 'ai.onnx' ? '' : o.domain + ' '}${o.version}`).join(', ')} · {snapshot.summary.producer || 'unknown producer'}
              </div>
              {notice && (
                <div className="notice" data-testid="notice">
                  {notice}
                </div>
              )}
            </section>
          )}
          {verifyState && <VerifyPanel report={verifyState.report} incorrect={verifyState.incorrect} stale={verifyState.step !== snapshot?.step} />}
          {pair && <ExplainPanel pair={pair} preview={preview} busy={isBusy} onApplyAnyway={(id) => void doFuse([id], true)} />}
          {details && <DetailsPanel details={details} onClose={() => void selectNode(null)} />}
          {snapshot && <PairsPanel snapshot={snapshot} selectedPair={selectedPair} busy={isBusy} onSelect={selectPair} onFuse={(ids) => void doFuse(ids)} />}
        </aside>
      </main>

      {dragging && (
        <div className="drop-overlay" aria-hidden>
          Drop the .onnx file to open it
        </div>
      )}
      {galleryOpen && <Gallery index={examples} onPick={pickExample} onClose={() => setGalleryOpen(false)} />}
    </div>
  );
}
