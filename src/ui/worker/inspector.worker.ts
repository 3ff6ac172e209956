/// <reference lib="webworker" />
/** The page's worker: parsing, analysis, layout and fusing run here (protocol.ts lists the methods). */
import { InspectorSession } from '../../core/session/inspectorSession';
import { isOnnxReadError } from '../../core/onnx/errors';
import { LayoutCancelled } from '../../core/view/groupLayout';
import { readModel, writeModel } from '../../core/onnx/modelIO';
import { buildPlayground } from '../../examples/playground';
import { externalLocations, fileForLocation, locationProblem, normalizeLocation } from '../../core/onnx/externalData';
import type { DataFile, FusedJob, Method, Params, Request, Result, VerifyJob, WorkerMessage } from './protocol';
import { splitResult } from './chunks';
import { WarmUp } from './warmUp';

declare const self: DedicatedWorkerGlobalScope;

const session = new InspectorSession();

/** Requests other than the warm-up received so far (the warm-up stops when this moves). */
let received = 0;

// Warming starts with the worker, while the page fetches its first model, and goes on when the page asks after it.
const warmUp = new WarmUp();
void warmUp.run(() => received > 0);

/** Request ids the page has cancelled; long jobs check this between slices. */
const cancelled = new Set<number>();

/** Reads just the data files the model refers to (a dropped folder may hold much more). */
async function readNeeded(bytes: Uint8Array, files: DataFile[], have: ReadonlyMap<string, Uint8Array>) {
  const model = readModel(bytes);
  const external = new Map(have);
  for (const loc of externalLocations(model)) {
    if (locationProblem(loc)) continue;
    const f = fileForLocation(loc, files);
    if (f) external.set(normalizeLocation(f.path), new Uint8Array(await f.file.arrayBuffer()));
  }
  return { model, external };
}

function post(msg: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

interface Context {
  id: number;
  progress: (stage: string, fraction: number) => void;
}

type Reply<M extends Method> = { result: Result<M>; transfer?: Transferable[] };
type Handlers = { [M in Method]: (params: Params<M>, ctx: Context) => Reply<M> | Promise<Reply<M>> };

const copy = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

/**
 * The number of the model's current state (protocol.ts: `FusedJob`), moved in the same task as the
 * state itself, so bytes and number read together always match.
 */
let revision = 0;
const changed = <T>(snapshot: T): T => {
  revision++;
  return snapshot;
};

/** Copies of the current bytes and data files, with their state's number. */
function fusedJobNow(): FusedJob {
  return { revision, fused: copy(session.currentBytes()), externalData: session.externalData().map((e) => ({ path: e.path, data: copy(e.data) })) };
}
const transferOf = (j: FusedJob): Transferable[] => [j.fused, ...j.externalData.map((e) => e.data)];

const handlers: Handlers = {
  async open(p, { progress }) {
    // A File is read here, off the main thread; a buffer arrives transferred, not copied.
    const t = performance.now();
    progress('Reading the file', 0.02);
    const bytes = new Uint8Array(p.bytes instanceof Blob ? await p.bytes.arrayBuffer() : p.bytes);
    const readMs = performance.now() - t;
    if (!p.extra?.length) {
      const snapshot = changed(session.open(p.fileName, bytes, progress));
      snapshot.timings.readMs = readMs;
      return { result: snapshot };
    }
    progress('Reading the data files', 0.05);
    const { model, external } = await readNeeded(bytes, p.extra, new Map());
    return { result: changed(session.open(p.fileName, bytes, progress, { model, external })) };
  },
  async warm() {
    const at = received;
    await warmUp.run(() => received !== at);
    return { result: null };
  },
  playground: (p, { progress }) => ({ result: changed(session.open('playground.onnx', writeModel(buildPlayground(p.spec)), progress)) }),
  async attach(p, { progress }) {
    // More data files for the open model: it is opened again with all of them.
    progress('Reading the data files', 0.05);
    const bytes = session.originalBytes();
    const { model, external } = await readNeeded(bytes, p.files, session.providedExternalFiles());
    return { result: changed(session.open(session.openFileName(), bytes, progress, { model, external })) };
  },
  fuse: (p, { progress }) => ({ result: changed(session.fuse(p.only, p.ignoreAxisRule ?? false, progress)) }),
  async layout(p, { id, progress }) {
    try {
      return { result: await session.relayoutAsync(p.expanded, { shouldStop: () => cancelled.has(id), progress }) };
    } finally {
      cancelled.delete(id);
    }
  },
  setDensity(p) {
    session.setDensity(p.density);
    return { result: null };
  },
  cancel(p) {
    cancelled.add(p.target);
    return { result: null };
  },
  undo: (_p, { progress }) => ({ result: changed(session.undo(progress)) }),
  redo: (_p, { progress }) => ({ result: changed(session.redo(progress)) }),
  details: (p, { progress }) => ({ result: session.nodeDetails(p.nodeId, progress) }),
  preview: (p, { progress }) => ({ result: session.foldPreview(p.pairId, progress) }),
  verifyJob(p) {
    // Copies for the verification worker (transferred there); the session keeps its own bytes.
    const job: VerifyJob = { ...fusedJobNow(), original: copy(session.originalBytes()), dims: p.dims };
    return { result: job, transfer: [job.original, ...transferOf(job)] };
  },
  fusedJob() {
    const job = fusedJobNow();
    return { result: job, transfer: transferOf(job) };
  },
  setVerify(p) {
    session.setVerify(p.report);
    return { result: { incorrect: session.isIncorrect() } };
  },
  compare: (p, { progress }) => ({ result: session.compare(p.expanded, progress) }),
  report: (_p, { progress }) => ({ result: session.report(progress) }),
  download() {
    const d = session.download();
    const bytes = copy(d.bytes);
    return { result: { fileName: d.fileName, bytes, incorrect: d.incorrect }, transfer: [bytes] };
  },
};

/** Calls the handler of the request's method (the request's union keeps method and params together). */
function dispatch(req: Request, ctx: Context): Reply<Method> | Promise<Reply<Method>> {
  const handler = handlers[req.method] as (params: Params<Method>, ctx: Context) => Reply<Method> | Promise<Reply<Method>>;
  return handler(req.params, ctx);
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const req = ev.data;
  const id = req.id;
  if (req.method !== 'warm') received++;
  try {
    const { result, transfer } = await dispatch(req, { id, progress: (stage, fraction) => post({ id, progress: { stage, fraction } }) });
    const { parts, rest } = splitResult(result);
    for (const part of parts) post({ id, part });
    post({ id, ok: true, result: rest }, transfer);
  } catch (e) {
    const code = isOnnxReadError(e) ? e.code : e instanceof LayoutCancelled ? 'CANCELLED' : 'ERROR';
    post({ id, ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } });
  }
};
