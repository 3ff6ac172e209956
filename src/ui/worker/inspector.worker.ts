/// <reference lib="webworker" />
/** The page's worker: parsing, analysis, layout, fusing and verification all run here. */
import { InspectorSession } from '../../core/session/inspectorSession';
import { isOnnxReadError } from '../../core/onnx/errors';
import type { Reply, Request, WorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const session = new InspectorSession();

/** onnxruntime-web (its JS and wasm) loads on the first verification, never before the graph is drawn. */
let verifier: Promise<typeof import('../../core/verify/verify')> | null = null;
function loadVerifier() {
  verifier ??= (async () => {
    const ortSession = await import('../../core/verify/ortSession');
    // One thread: the page keeps the other core.
    ortSession.configureOrtWasm({ numThreads: 1 });
    return import('../../core/verify/verify');
  })();
  return verifier;
}

function post(msg: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

async function handle(id: number, req: Request): Promise<{ reply: Reply; transfer?: Transferable[] }> {
  const progress = (stage: string, fraction: number) => post({ id, progress: { stage, fraction } });
  switch (req.type) {
    case 'open': {
      // A File is read here, off the main thread; a buffer arrives transferred, not copied.
      progress('Reading the file', 0.02);
      const buf = req.bytes instanceof Blob ? await req.bytes.arrayBuffer() : req.bytes;
      return { reply: { type: 'snapshot', snapshot: session.open(req.fileName, new Uint8Array(buf), progress) } };
    }
    case 'fuse':
      return { reply: { type: 'snapshot', snapshot: session.fuse(req.only, req.ignoreAxisRule ?? false, progress) } };
    case 'layout':
      return { reply: { type: 'layout', layout: session.relayout(req.expanded) } };
    case 'undo':
      return { reply: { type: 'snapshot', snapshot: session.undo() } };
    case 'redo':
      return { reply: { type: 'snapshot', snapshot: session.redo() } };
    case 'details':
      return { reply: { type: 'details', details: session.nodeDetails(req.nodeId) } };
    case 'preview':
      return { reply: { type: 'preview', preview: session.foldPreview(req.pairId) } };
    case 'verify': {
      progress('Loading onnxruntime-web', 0.02);
      const { verify } = await loadVerifier();
      const report = await verify(session.originalBytes(), session.currentBytes(), { dims: req.dims, onProgress: progress });
      session.setVerify(report);
      return { reply: { type: 'verify', report, incorrect: session.snapshot().incorrect } };
    }
    case 'compare':
      return { reply: { type: 'compare', comparison: session.compare(req.expanded) } };
    case 'report':
      return { reply: { type: 'report', ...session.report() } };
    case 'download': {
      const d = session.download();
      const copy = d.bytes.slice().buffer;
      return { reply: { type: 'download', fileName: d.fileName, bytes: copy, incorrect: d.incorrect }, transfer: [copy] };
    }
  }
}

self.onmessage = async (ev: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = ev.data;
  try {
    const { reply, transfer } = await handle(id, req);
    post({ id, ok: true, reply }, transfer);
  } catch (e) {
    const code = isOnnxReadError(e) ? e.code : 'ERROR';
    const message = e instanceof Error ? e.message : String(e);
    post({ id, ok: false, error: { code, message } });
  }
};
