/// <reference lib="webworker" />
/** The page's worker: parsing, analysis, layout, fusing and verification all run here. */
import { InspectorSession } from '../../core/session/inspectorSession';
import { isOnnxReadError } from '../../core/onnx/errors';
import { LayoutCancelled } from '../../core/view/groupLayout';
import { readModel } from '../../core/onnx/modelIO';
import { externalLocations, locationProblem, normalizeLocation } from '../../core/onnx/externalData';
import type { DataFile, Reply, Request, WorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const session = new InspectorSession();

/** Request ids the page has cancelled; long jobs check this between slices. */
const cancelled = new Set<number>();

/** Reads just the data files the model refers to (a dropped folder may hold much more). */
async function readNeeded(bytes: Uint8Array, files: DataFile[], have: ReadonlyMap<string, Uint8Array>) {
  const model = readModel(bytes);
  const external = new Map(have);
  for (const loc of externalLocations(model)) {
    if (locationProblem(loc)) continue;
    const norm = normalizeLocation(loc);
    const base = norm.split('/').pop();
    const f = files.find((x) => normalizeLocation(x.path) === norm) ?? files.find((x) => x.path.split('/').pop() === base);
    if (f) external.set(normalizeLocation(f.path), new Uint8Array(await f.file.arrayBuffer()));
  }
  return { model, external };
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
      const bytes = new Uint8Array(buf);
      if (!req.extra?.length) return { reply: { type: 'snapshot', snapshot: session.open(req.fileName, bytes, progress) } };
      progress('Reading the data files', 0.05);
      const { model, external } = await readNeeded(bytes, req.extra, new Map());
      return { reply: { type: 'snapshot', snapshot: session.open(req.fileName, bytes, progress, { model, external }) } };
    }
    case 'attach': {
      // More data files for the open model: it is opened again with all of them.
      progress('Reading the data files', 0.05);
      const bytes = session.originalBytes();
      const { model, external } = await readNeeded(bytes, req.files, session.providedExternalFiles());
      return { reply: { type: 'snapshot', snapshot: session.open(session.snapshot().fileName, bytes, progress, { model, external }) } };
    }
    case 'fuse':
      return { reply: { type: 'snapshot', snapshot: session.fuse(req.only, req.ignoreAxisRule ?? false, progress) } };
    case 'layout':
      try {
        return { reply: { type: 'layout', layout: await session.relayoutAsync(req.expanded, { shouldStop: () => cancelled.has(id), progress }) } };
      } finally {
        cancelled.delete(id);
      }
    case 'cancel':
      cancelled.add(req.target);
      return { reply: { type: 'cancelled' } };
    case 'undo':
      return { reply: { type: 'snapshot', snapshot: session.undo() } };
    case 'redo':
      return { reply: { type: 'snapshot', snapshot: session.redo() } };
    case 'details':
      return { reply: { type: 'details', details: session.nodeDetails(req.nodeId) } };
    case 'preview':
      return { reply: { type: 'preview', preview: session.foldPreview(req.pairId) } };
    case 'verifyJob': {
      // Copies for the verification worker (transferred there); the session keeps its own bytes.
      const copy = (b: Uint8Array) => b.slice().buffer;
      const job = {
        original: copy(session.originalBytes()),
        fused: copy(session.currentBytes()),
        externalData: session.externalData().map((e) => ({ path: e.path, data: copy(e.data) })),
        dims: req.dims,
      };
      return { reply: { type: 'verifyJob', job }, transfer: [job.original, job.fused, ...job.externalData.map((e) => e.data)] };
    }
    case 'setVerify':
      session.setVerify(req.report);
      return { reply: { type: 'verify', incorrect: session.snapshot().incorrect } };
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
    const code = isOnnxReadError(e) ? e.code : e instanceof LayoutCancelled ? 'CANCELLED' : 'ERROR';
    const message = e instanceof Error ? e.message : String(e);
    post({ id, ok: false, error: { code, message } });
  }
};
