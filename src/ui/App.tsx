/** The inspector page: open a model, see its pairs on the graph, fold, verify, compare, export. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Comparison, FoldPreview, NodeDetails, PairView, Snapshot } from '../core/session/inspectorSession';
import type { VerifyReport } from '../core/verify/verify';
import { CancelledError, cancelVerification, runVerification } from './worker/verifier';
import { filesFromDrop, filesFromList, sortFiles, type PickedFile } from './files';
import type { DataFile } from './worker/protocol';
import type { ExampleIndex, ExampleIndexEntry } from '../examples/exampleFiles';
import type { LayoutResult } from '../core/view/groupLayout';
import { ancestorsOf, hierarchyFromGroups, isGroupId, ROOT, type Group } from '../core/view/hierarchy';
import type { ViewNode } from '../core/view/graphView';
import { layoutToSvg } from '../core/export/svgExport';
import { InspectorClient, WorkerError } from './worker/client';
import { GraphCanvas, type NodeMark } from './components/GraphCanvas';
import { PairsPanel } from './components/PairsPanel';
import { DetailsPanel } from './components/DetailsPanel';
import { VerifyPanel } from './components/VerifyPanel';
import { ExplainPanel } from './components/ExplainPanel';
import { Gallery } from './components/Gallery';
import { SearchBox } from './components/SearchBox';
import { readHash, writeHash } from './urlState';
import { saveBlob, svgToPngBlob } from './download';
import { count } from './text';

interface Busy {
  what: string;
  stage: string;
  fraction: number;
  /** Present when the operation can be stopped. */
  cancel?: () => void;
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

type Viewport = { x: number; y: number; zoom: number };

let clientSingleton: InspectorClient | null = null;
function client(): InspectorClient {
  // One worker per page, even under StrictMode's double effects.
  clientSingleton ??= new InspectorClient();
  return clientSingleton;
}

const EXAMPLES_BASE = `${import.meta.env.BASE_URL}examples/`;
/** "Expand all" mounts every node; past this many React Flow gets slow, so it is offered only below. */
const EXPAND_ALL_LIMIT = 10_000;

function baseName(fileName: string): string {
  return fileName.replace(/\.onnx$/i, '');
}

export function App() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [layout, setLayout] = useState<LayoutResult | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
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
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [compareSel, setCompareSel] = useState<{ original: string | null; fused: string | null }>({ original: null, fused: null });
  const [sharedViewport, setSharedViewport] = useState<{ v: Viewport; from: 'original' | 'fused' } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const dataInput = useRef<HTMLInputElement>(null);
  const started = useRef(false);
  // Latest values for callbacks that run later (worker replies); updated after each commit.
  const snapshotRef = useRef<Snapshot | null>(null);
  const expandedRef = useRef<string[]>([]);
  useLayoutEffect(() => {
    snapshotRef.current = snapshot;
    expandedRef.current = expanded;
  }, [snapshot, expanded]);
  /** Hash state to apply once, to the model opened from the URL. */
  const pendingHash = useRef(readHash());

  const nodesById = useMemo(() => new Map<string, ViewNode>((snapshot?.nodes ?? []).map((n) => [n.id, n])), [snapshot]);
  const groupsById = useMemo(() => new Map<string, Group>((snapshot?.groups ?? []).map((g) => [g.id, g])), [snapshot]);
  const hierarchy = useMemo(() => hierarchyFromGroups(snapshot?.groups ?? []), [snapshot]);

  const run = useCallback(async <T,>(what: string, fn: (progress: (stage: string, fraction: number) => void) => Promise<T>, errorTitle: string, cancel?: () => void): Promise<T | null> => {
    setBusy({ what, stage: 'Starting', fraction: 0, cancel });
    setError(null);
    try {
      return await fn((stage, fraction) => setBusy({ what, stage, fraction, cancel }));
    } catch (e) {
      if (e instanceof CancelledError || (e instanceof WorkerError && e.code === 'CANCELLED')) {
        setNotice(`${what} was cancelled; nothing changed.`);
        return null;
      }
      const message = e instanceof WorkerError || e instanceof Error ? e.message : String(e);
      setError({ title: errorTitle, message });
      return null;
    } finally {
      setBusy(null);
    }
  }, []);

  /**
   * Lays out the current model with these groups open (cached per group in the worker). A layout
   * still running after a moment shows progress and can be cancelled; the previous view then stays.
   */
  const applyExpanded = useCallback(async (next: string[]) => {
    const before = expandedRef.current;
    setExpanded(next);
    const { id, done } = client().start<'layout'>({ type: 'layout', expanded: next }, (stage, fraction) => setBusy((b) => (b ? { ...b, stage, fraction } : b)));
    const cancel = () => client().cancel(id);
    const timer = window.setTimeout(() => setBusy({ what: 'Laying out', stage: 'Laying out the graph', fraction: 0, cancel }), 150);
    try {
      const r = await done;
      setLayout(r.layout);
      return r.layout;
    } catch (e) {
      setExpanded(before);
      if (e instanceof WorkerError && e.code === 'CANCELLED') setNotice('Layout cancelled; the previous view is kept.');
      else setError({ title: 'Could not lay out the graph', message: e instanceof Error ? e.message : String(e) });
      return null;
    } finally {
      window.clearTimeout(timer);
      setBusy((b) => (b?.cancel === cancel ? null : b));
    }
  }, []);

  /** Opens the groups holding these nodes and centres on them. */
  const reveal = useCallback(
    async (ids: string[]) => {
      const need = new Set(expandedRef.current);
      const before = need.size;
      for (const id of ids) for (const g of ancestorsOf(hierarchy, id)) need.add(g);
      if (need.size !== before) await applyExpanded([...need]);
      setFocus((f) => ({ nodeIds: ids, seq: (f?.seq ?? 0) + 1 }));
    },
    [applyExpanded, hierarchy],
  );

  const showSnapshot = useCallback(
    async (s: Snapshot, fresh: boolean) => {
      setSnapshot(s);
      setDetails(null);
      setSelectedNode(null);
      setPreview(null);
      setComparison(null);
      if (fresh) {
        setSelectedPair(null);
        setExpanded(s.expanded);
        setLayout(s.layout);
      } else {
        // After a fold or undo, keep the groups the user had open.
        const keep = expandedRef.current.filter((g) => s.groups.some((x) => x.id === g));
        setExpanded(keep);
        const r = await client().request<'layout'>({ type: 'layout', expanded: keep });
        setLayout(r.layout);
        setSelectedPair((p) => (p && s.pairs.some((x) => x.id === p) ? p : null));
      }
    },
    [],
  );

  const openBytes = useCallback(
    async (fileName: string, bytes: ArrayBuffer | Blob, extra?: DataFile[]) => {
      performance.mark('fi:open-request');
      const r = await run(
        `Opening ${fileName}`,
        (progress) => client().request<'snapshot'>({ type: 'open', fileName, bytes, extra }, progress, bytes instanceof ArrayBuffer ? [bytes] : []),
        `Could not open “${fileName}”`,
      );
      if (!r) return false;
      performance.mark('fi:snapshot-received');
      await showSnapshot(r.snapshot, true);
      setOpenSeq((n) => n + 1);
      setVerifyState(null);
      setNotice(null);
      return true;
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
        return false;
      }
      if (target.origin !== window.location.origin) {
        setError({ title: `Could not open “${url}”`, message: 'Only models on this site can be opened by URL; nothing is fetched from other origins. Drop the file on the page instead.' });
        return false;
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
      return bytes ? openBytes(name, bytes) : false;
    },
    [openBytes, run],
  );

  const openFile = useCallback(async (file: File, extra?: DataFile[]) => {
    pendingHash.current = { node: null, pair: null, open: [] };
    return openBytes(file.name, file, extra);
  }, [openBytes]);

  /** More external data files for the open model. */
  const attachFiles = useCallback(
    async (files: DataFile[]) => {
      const r = await run('Adding data files', (progress) => client().request<'snapshot'>({ type: 'attach', files }, progress), 'Could not add the data files');
      if (!r) return;
      await showSnapshot(r.snapshot, true);
      setVerifyState(null);
      const loaded = r.snapshot.external.filter((e) => e.state === 'loaded').length;
      setNotice(`${loaded} of ${r.snapshot.external.length} external data file(s) loaded.`);
    },
    [run, showSnapshot],
  );

  /** Several files or a folder: the model and its data files, or data files for the open model. */
  const openPicked = useCallback(
    async (picked: PickedFile[]) => {
      if (picked.length === 0) return;
      const sorted = sortFiles(picked, snapshotRef.current !== null);
      if ('error' in sorted) {
        setError({ title: 'Could not open these files', message: sorted.error });
        return;
      }
      const data = sorted.data.map((d) => ({ path: d.path, file: d.file }));
      if (sorted.model) await openFile(sorted.model.file, data);
      else await attachFiles(data);
    },
    [openFile, attachFiles],
  );

  const selectPairById = useCallback(
    (id: string, centre: boolean) => {
      setSelectedPair(id);
      setPreview(null);
      void client()
        .request<'preview'>({ type: 'preview', pairId: id })
        .then((r) => setPreview(r.preview))
        .catch(() => setPreview(null));
      const p = snapshotRef.current?.pairs.find((x) => x.id === id);
      if (centre && p) void reveal([...p.linearNodeIds, p.bnNodeId]);
    },
    [reveal],
  );

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
    [selectPairById],
  );

  // First load: ?model=<same-origin URL> (with the view in the hash), else the default example.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void fetch(`${EXAMPLES_BASE}index.json`)
      .then((r) => r.json() as Promise<ExampleIndex>)
      .then(async (idx) => {
        setExamples(idx);
        const param = new URLSearchParams(window.location.search).get('model');
        if (param) await openUrl(param);
        else await openUrl(`${EXAMPLES_BASE}${idx.default}.onnx`, `${idx.default}.onnx`);
      })
      .catch(() => setError({ title: 'Could not load the example list', message: 'The built-in examples are missing; open a model with the file picker.' }));
  }, [openUrl]);

  // Apply the URL hash once, to the first model opened.
  useEffect(() => {
    const h = pendingHash.current;
    if (!snapshot || (!h.node && !h.pair && h.open.length === 0)) return;
    pendingHash.current = { node: null, pair: null, open: [] };
    void (async () => {
      const open = h.open.filter((g) => snapshot.groups.some((x) => x.id === g));
      if (open.length) await applyExpanded(open);
      if (h.pair && snapshot.pairs.some((p) => p.id === h.pair)) selectPairById(h.pair, !h.node);
      if (h.node && snapshot.nodes.some((n) => n.id === h.node)) {
        await selectNode(h.node);
        await reveal([h.node]);
      }
    })();
  }, [snapshot, applyExpanded, selectPairById, selectNode, reveal]);

  useEffect(() => {
    if (!layout) return;
    performance.mark('fi:layout-committed');
    requestAnimationFrame(() => performance.mark('fi:layout-painted'));
  }, [layout]);

  // Keep the hash in step with the view.
  useEffect(() => {
    if (!snapshot) return;
    const h = pendingHash.current;
    if (h.node || h.pair || h.open.length) return; // not applied yet
    writeHash({ node: selectedNode, pair: selectedPair, open: expanded });
  }, [snapshot, selectedNode, selectedPair, expanded]);

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
      if (e.dataTransfer) void filesFromDrop(e.dataTransfer).then(openPicked);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openPicked]);

  const selectPair = useCallback((p: PairView) => selectPairById(p.id, true), [selectPairById]);

  const comparing = comparison !== null;
  const toggleGroup = useCallback(
    (id: string) => {
      const cur = expandedRef.current;
      const next = cur.includes(id) ? cur.filter((g) => g !== id) : [...cur, id];
      void applyExpanded(next);
      // Both sides of a comparison follow the same groups.
      if (comparing) void client().request<'compare'>({ type: 'compare', expanded: next }).then((r) => setComparison(r.comparison));
    },
    [applyExpanded, comparing],
  );

  const doVerify = useCallback(async () => {
    const r = await run(
      'Verification',
      async (progress) => {
        progress('Preparing the models', 0.01);
        const { job } = await client().request<'verifyJob'>({ type: 'verifyJob' });
        const report = await runVerification(job, progress);
        const { incorrect } = await client().request<'verify'>({ type: 'setVerify', report });
        return { report, incorrect };
      },
      'Verification could not run',
      () => void cancelVerification(),
    );
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
      await showSnapshot(r.snapshot, false);
      const f = r.snapshot.lastFuse;
      if (f) {
        setNotice(
          f.incorrect
            ? `Applied against the rules: ${f.folded.join(', ')}. This model is marked INCORRECT.`
            : `Folded ${count(f.folded.length, 'pair')}: ${count(f.nodesRemoved, 'node')} removed (${r.snapshot.summary.nodeCount + f.nodesRemoved} → ${r.snapshot.summary.nodeCount}).`,
        );
      }
      if (ignoreAxisRule) await doVerify();
    },
    [doVerify, run, showSnapshot],
  );

  const doUndoRedo = useCallback(
    async (type: 'undo' | 'redo') => {
      const r = await client().request<'snapshot'>({ type });
      await showSnapshot(r.snapshot, false);
      setNotice(r.snapshot.step === 0 ? 'Back to the model as opened.' : `Step ${r.snapshot.step}: ${r.snapshot.nodesRemovedTotal} node(s) removed since opening.`);
    },
    [showSnapshot],
  );

  const doDownload = useCallback(async () => {
    const s = snapshotRef.current;
    if (s?.incorrect && !window.confirm('This model contains a fold applied AGAINST the rules and computes different numbers. Download it anyway, labelled INCORRECT?')) return;
    const r = await run('Preparing the download', () => client().request<'download'>({ type: 'download' }), 'Could not prepare the download');
    if (r) saveBlob(new Blob([r.bytes], { type: 'application/octet-stream' }), r.fileName);
  }, [run]);

  const doCompare = useCallback(async () => {
    if (comparison) {
      setComparison(null);
      return;
    }
    const r = await run('Comparing', () => client().request<'compare'>({ type: 'compare', expanded: expandedRef.current }), 'Could not compare');
    if (r) {
      setComparison(r.comparison);
      setCompareSel({ original: null, fused: null });
      setSharedViewport(null);
    }
  }, [comparison, run]);

  const exportView = useCallback(
    async (kind: 'svg' | 'png') => {
      if (!snapshot || !layout) return;
      const svg = layoutToSvg(layout, nodesById, groupsById);
      const name = `${baseName(snapshot.fileName)}.view.${kind}`;
      if (kind === 'svg') saveBlob(new Blob([svg], { type: 'image/svg+xml' }), name);
      else {
        const png = await run('Rendering PNG', () => svgToPngBlob(svg), 'Could not render the PNG');
        if (png) saveBlob(png, name);
      }
    },
    [snapshot, layout, nodesById, groupsById, run],
  );

  const exportReport = useCallback(
    async (kind: 'md' | 'json') => {
      if (!snapshot) return;
      const r = await run('Writing the report', () => client().request<'report'>({ type: 'report' }), 'Could not write the report');
      if (!r) return;
      const name = `${baseName(snapshot.fileName)}.fusion-report.${kind}`;
      if (kind === 'md') saveBlob(new Blob([r.markdown], { type: 'text/markdown' }), name);
      else saveBlob(new Blob([JSON.stringify(r.json, null, 2)], { type: 'application/json' }), name);
    },
    [snapshot, run],
  );

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
    pendingHash.current = { node: null, pair: null, open: [] };
    void openUrl(`${EXAMPLES_BASE}${e.file}`, e.file);
  };

  const pair = snapshot?.pairs.find((p) => p.id === selectedPair) ?? null;
  const pairNodeIds = useMemo(() => new Set(pair ? [...pair.linearNodeIds, pair.bnNodeId, ...(pair.betweenNodeId ? [pair.betweenNodeId] : [])] : []), [pair]);
  const fusableCount = snapshot?.pairs.filter((p) => p.fusable).length ?? 0;
  const isBusy = busy !== null;
  const allGroups = useMemo(() => (snapshot?.groups ?? []).map((g) => g.id).filter((g) => g !== ROOT), [snapshot]);
  const canExpandAll = (snapshot?.nodes.length ?? 0) <= EXPAND_ALL_LIMIT;

  return (
    <div className="app">
      <header className="toolbar">
        <h1>
          Fusion Inspector <span className="tagline">BatchNorm folding, checked</span>
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
              void openPicked(picked);
            }}
          />
          <button onClick={() => setGalleryOpen(true)} data-testid="open-gallery">
            Examples
          </button>
        </div>
        {snapshot && (
          <SearchBox
            nodes={snapshot.nodes}
            onPick={(id) => {
              void selectNode(id);
              void reveal([id]);
            }}
          />
        )}
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
      <div className="subbar">
        <button onClick={() => void applyExpanded(allGroups)} disabled={!snapshot || !canExpandAll} data-testid="expand-all" title={canExpandAll ? 'Open every group' : `Over ${EXPAND_ALL_LIMIT} nodes: open groups one by one`}>
          Expand all
        </button>
        <button onClick={() => void applyExpanded([])} disabled={!snapshot} data-testid="collapse-all">
          Collapse all
        </button>
        <button onClick={() => void doCompare()} disabled={isBusy || !snapshot || snapshot.step === 0} data-testid="compare-toggle" aria-pressed={comparison !== null}>
          {comparison ? 'Close comparison' : 'Compare with original'}
        </button>
        <span className="subbar-sep" />
        <span className="muted small">Export:</span>
        <button onClick={() => void exportView('svg')} disabled={!layout} data-testid="export-svg">
          View SVG
        </button>
        <button onClick={() => void exportView('png')} disabled={!layout} data-testid="export-png">
          View PNG
        </button>
        <button onClick={() => void exportReport('md')} disabled={!snapshot} data-testid="export-md">
          Report .md
        </button>
        <button onClick={() => void exportReport('json')} disabled={!snapshot} data-testid="export-json">
          Report .json
        </button>
      </div>

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
          {comparison ? (
            <CompareView
              comparison={comparison}
              selection={compareSel}
              onSelect={(side, id) => {
                const map = new Map(side === 'original' ? comparison.counterparts : comparison.counterparts.map(([a, b]) => [b, a] as [string, string]));
                const other = id ? (map.get(id) ?? null) : null;
                setCompareSel(side === 'original' ? { original: id, fused: other } : { original: other, fused: id });
                const fusedId = side === 'fused' ? id : other;
                if (fusedId) void client().request<'details'>({ type: 'details', nodeId: fusedId }).then((r) => setDetails(r.details));
                else setDetails(null);
              }}
              viewport={sharedViewport}
              onViewport={(from, v) => setSharedViewport({ from, v })}
              onToggleGroup={toggleGroup}
            />
          ) : snapshot && layout ? (
            <ReactFlowProvider key={openSeq}>
              <GraphCanvas
                nodes={nodesById}
                groups={groupsById}
                layout={layout}
                selectedNode={selectedNode}
                pairNodeIds={pairNodeIds}
                focus={focus}
                onSelectNode={(id) => void selectNode(id)}
                onToggleGroup={toggleGroup}
                testId="canvas"
              />
            </ReactFlowProvider>
          ) : (
            <div className="start">
              {!busy && !error && <p>Loading the example…</p>}
              <p>
                Drop an <code>.onnx</code> file (with its external data files, or its whole folder) anywhere, use <em>Open model…</em>, or pick one of the{' '}
                <button className="linklike" onClick={() => setGalleryOpen(true)}>
                  examples
                </button>
                .
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
                {snapshot.summary.nodeCount} nodes · opset {snapshot.summary.opsets.map((o) => `${o.domain === 'ai.onnx' ? '' : o.domain + ' '}${o.version}`).join(', ')} ·{' '}
                {snapshot.summary.producer || 'unknown producer'} · {count(snapshot.groups.length - 1, 'group')}
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
                          void attachFiles(picked.map((p) => ({ path: p.path, file: p.file })));
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
          )}
          {verifyState && <VerifyPanel report={verifyState.report} incorrect={verifyState.incorrect} stale={verifyState.step !== snapshot?.step} />}
          {pair && !comparison && <ExplainPanel pair={pair} preview={preview} busy={isBusy} onApplyAnyway={(id) => void doFuse([id], true)} />}
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

interface CompareProps {
  comparison: Comparison;
  selection: { original: string | null; fused: string | null };
  onSelect: (side: 'original' | 'fused', id: string | null) => void;
  viewport: { v: Viewport; from: 'original' | 'fused' } | null;
  onViewport: (from: 'original' | 'fused', v: Viewport) => void;
  onToggleGroup: (id: string) => void;
}

/** Original and fused side by side, same layout, viewports kept together. */
function CompareView({ comparison, selection, onSelect, viewport, onViewport, onToggleGroup }: CompareProps) {
  const sides = useMemo(() => {
    const mk = (side: 'original' | 'fused') => {
      const data = comparison[side];
      const marks = new Map<string, NodeMark>();
      for (const id of side === 'original' ? comparison.removed : comparison.rewritten) marks.set(id, side === 'original' ? 'removed' : 'rewritten');
      return {
        nodes: new Map(data.nodes.map((n) => [n.id, n])),
        groups: new Map(data.groups.map((g) => [g.id, g])),
        layout: data.layout,
        marks,
      };
    };
    return { original: mk('original'), fused: mk('fused') };
  }, [comparison]);
  const empty = useMemo(() => new Set<string>(), []);
  return (
    <div className="compare">
      {(['original', 'fused'] as const).map((side) => (
        <div className="compare-pane" key={side}>
          <div className="compare-title">
            {side === 'original' ? 'Original' : 'Fused (current)'}
            <span className="muted small">
              {' '}
              · {side === 'original' ? `${comparison.removed.length} removed` : `${comparison.rewritten.length} rewritten`} · click a node to find its counterpart
            </span>
          </div>
          <ReactFlowProvider>
            <GraphCanvas
              nodes={sides[side].nodes}
              groups={sides[side].groups}
              layout={sides[side].layout}
              selectedNode={selection[side]}
              pairNodeIds={empty}
              marks={sides[side].marks}
              focus={null}
              onSelectNode={(id) => onSelect(side, id && !isGroupId(id) ? id : null)}
              onToggleGroup={onToggleGroup}
              viewport={viewport && viewport.from !== side ? viewport.v : null}
              onViewportChange={(v) => onViewport(side, v)}
              testId={`canvas-${side}`}
            />
          </ReactFlowProvider>
        </div>
      ))}
    </div>
  );
}
