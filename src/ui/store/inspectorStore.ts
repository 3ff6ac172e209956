/**
 * The page's state and actions, outside React (components read it through `useStore` with narrow
 * selectors). Every action handles its own errors — they end in `state.error`, never in an
 * unhandled rejection — and a reply that arrives after a newer request of the same kind is dropped.
 * This layer opens models (a URL, a file, a folder, data files), folds, undoes and verifies; the
 * graph view it shows them in is ViewingStore's.
 */
import type { Progress, Snapshot } from '../../core/session/inspectorSession';
import type { ExampleIndex, ExampleIndexEntry } from '../../examples/exampleFiles';
import { CancelledError, type VerifierLike } from '../worker/verifier';
import { failureOfError } from '../../core/verify/verifyFailure';
import type { InspectorApiClient } from '../worker/client';
import type { DataFile, VerifyJob, VerifyTask } from '../worker/protocol';
import type { VerifyReport } from '../../core/verify/verify';
import { planPicked, unusedFiles, unusedNote, whatItNames, type OpenModel, type PickedFile } from '../files';
import { isOnnxErrorCode } from '../../core/onnx/errors';
import { fuseNotice } from '../../core/session/fuseNotice';
import { sameOriginUrl, type PageEnv } from './environment';
import { noCurrentModel, type PageError } from './pageState';
import { messageOf, type RunOptions } from './storeCore';
import { NO_HASH, QUIET_MS, ViewingStore } from './viewingStore';

const dataFile = (p: PickedFile): DataFile => ({ path: p.path, file: p.file });

/**
 * Why a file did not open. One not named `.onnx` that the reader refuses is said not to be a model
 * (a stray .txt or image), and not a data file of the model that stays open when that names some.
 */
function openError(fileName: string, e: unknown, stays: OpenModel | null): PageError {
  const read = isOnnxErrorCode((e as { code?: unknown } | null)?.code);
  if (!read || /\.onnx$/i.test(fileName)) return { title: `Could not open “${fileName}”`, message: messageOf(e) };
  const orData = stays && stays.needs.length > 0 ? ` Nor is it a data file of the open model: ${whatItNames(stays)}.` : '';
  return { title: `${fileName} is not an ONNX model`, message: `${messageOf(e)}${orData}` };
}

export class InspectorStore extends ViewingStore {
  private started = false;
  /** The open model's number for the verification worker, which keeps its original's session under it: a new one per model opened or data files given. */
  protected verifyModel = 0;

  constructor(
    client: InspectorApiClient,
    protected readonly verifier: VerifierLike,
    env: PageEnv,
    protected readonly examplesBase: string,
  ) {
    super(client, env);
  }

  // ---- opening ----

  /** First load: `?model=<same-origin URL>` (with the view in the hash), else the default example. */
  async init(): Promise<void> {
    if (this.started) return;
    this.started = true;
    let idx: ExampleIndex;
    try {
      idx = JSON.parse(new TextDecoder().decode(await this.env.fetchBytes(this.env.resolve(`${this.examplesBase}index.json`)))) as ExampleIndex;
    } catch {
      this.set({ error: { title: 'Could not load the example list', message: 'The built-in examples are missing; open a model with the file picker.' } });
      return;
    }
    this.set({ examples: idx });
    await this.openFromUrl(idx);
    // While the user looks at the first model, the worker compiles the paths the next one will take.
    this.client.call('warm', {}).catch(() => {});
  }

  /** What the URL names (`?model=`), else the default example. */
  protected async openFromUrl(idx: ExampleIndex): Promise<void> {
    const param = this.env.searchParam('model');
    if (param) await this.openUrl(param);
    else await this.openUrl(`${this.examplesBase}${idx.default}.onnx`, `${idx.default}.onnx`);
  }

  async openUrl(url: string, fileName?: string): Promise<boolean> {
    const name = fileName ?? decodeURIComponent(url.split('/').pop()?.split('?')[0] || 'model.onnx');
    const target = sameOriginUrl(this.env, url);
    if (typeof target === 'string') {
      this.set({ error: { title: `Could not open “${url}”`, message: target } });
      return false;
    }
    const bytes = await this.run(`Downloading ${name}`, () => this.env.fetchBytes(target), `Could not open “${name}”`);
    return bytes ? this.openBytes(name, bytes) : false;
  }

  /** A file the user picked or dropped: the URL no longer names an example, and the old view is not reapplied. */
  async openFile(file: File, extra?: DataFile[]): Promise<boolean> {
    this.pendingHash = NO_HASH;
    this.env.setSearch({});
    return this.openBytes(file.name, file, extra);
  }

  /** Picking an example puts it in the URL, so a reload or a shared link reopens it. */
  async pickExample(e: ExampleIndexEntry): Promise<void> {
    this.set({ galleryOpen: false });
    this.pendingHash = NO_HASH;
    const url = `${this.examplesBase}${e.file}`;
    this.env.setSearch({ model: url });
    await this.openUrl(url, e.file);
  }

  /**
   * `run` for what brings the worker a new model or new weights (a file, data files, the playground's
   * build). The verifier is told first: a warm-up due now waits for a quiet page again, rather than
   * take a core from this open (its own prepare comes only once the model is drawn).
   */
  protected runOpening<T>(what: string, fn: (progress: Progress) => Promise<T>, errorTitle: string | ((e: unknown) => PageError), opts?: RunOptions): Promise<T | null> {
    this.verifier.busy();
    return this.run(what, fn, errorTitle, opts);
  }

  protected async openBytes(fileName: string, bytes: ArrayBuffer | Blob, extra?: DataFile[]): Promise<boolean> {
    this.env.mark('fi:open-request');
    const open = (progress: Progress) => this.client.call('open', { fileName, bytes, extra }, { onProgress: progress, transfer: bytes instanceof ArrayBuffer ? [bytes] : [] });
    // Before the reply: the model open now is the one that stays if this file is refused.
    const stays = this.openModel();
    const snapshot = await this.runOpening(`Opening ${fileName}`, open, (e) => openError(fileName, e, stays), { quietMs: QUIET_MS });
    if (!snapshot) return false;
    this.env.mark('fi:snapshot-received');
    await this.showOpened(snapshot);
    return true;
  }

  /** A model just opened: its first view, no verification yet, and the URL's view applied once. */
  protected async showOpened(snapshot: Snapshot): Promise<void> {
    this.showFresh(snapshot);
    this.set({ openSeq: this.state.openSeq + 1, verify: null, notice: null });
    this.verifyNewModel();
    await this.applyPendingHash();
  }

  /** The original (or its data files) changed: the verification worker drops what it kept, and makes the new one's session when the page is idle. */
  private verifyNewModel(): void {
    this.verifier.release();
    const model = ++this.verifyModel;
    this.verifier.prepare(model, () => this.client.call('verifyJob', {}));
  }

  /**
   * The model on screen changed: its bytes are asked for before its layout, so the inspector worker
   * copies them first, and the verification worker makes its session while the fold is laid out.
   */
  private verifyOnScreenAhead(snapshot: Snapshot): void {
    // Undone to the model as opened, there is no fold to prove (and the next fold comes soon): nothing made.
    if (snapshot.step > 0) this.verifier.prepareFused(this.verifyModel, () => this.client.call('fusedJob', {}));
  }

  /** The open model's name and the data files it can read (a refused location is never read). */
  private openModel(): OpenModel | null {
    const s = this.state.snapshot;
    return s && { fileName: s.fileName, needs: s.external.filter((e) => e.state !== 'refused').map((e) => e.location) };
  }

  /** More external data files for the open model; the picked files it does not name are listed as not used. */
  async attachFiles(picked: PickedFile[]): Promise<void> {
    const open = this.openModel();
    if (!open || picked.length === 0) return;
    const unused = unusedFiles(picked, open.needs);
    if (unused.length === picked.length) {
      this.set({ error: { title: 'Could not add these files', message: `${unusedNote(unused, open)} Nothing was added.` } });
      return;
    }
    const files = picked.filter((f) => !unused.includes(f)).map(dataFile);
    const snapshot = await this.runOpening('Adding data files', (progress) => this.client.call('attach', { files }, { onProgress: progress }), 'Could not add the data files');
    if (!snapshot) return;
    this.showFresh(snapshot);
    this.verifyNewModel();
    const loaded = snapshot.external.filter((e) => e.state === 'loaded').length;
    const note = unusedNote(unused, open);
    this.set({ verify: null, notice: `${loaded} of ${snapshot.external.length} external data file(s) loaded.${note ? ` ${note}` : ''}` });
  }

  /**
   * Several files or a folder: the model and its data files, or data files for the open model. Any
   * other file gets a reason, and the open model stays.
   */
  async openPicked(picked: PickedFile[]): Promise<void> {
    if (picked.length === 0) return;
    const open = this.openModel();
    const plan = planPicked(picked, open);
    switch (plan.kind) {
      case 'refuse':
        this.set({ error: { title: 'Could not open these files', message: plan.message } });
        return;
      case 'probe':
        await this.openFile(plan.file.file);
        return;
      case 'data':
        await this.attachFiles([...plan.data, ...plan.unused]);
        return;
      case 'model': {
        if (!(await this.openFile(plan.model.file, plan.data.map(dataFile)))) return;
        // The files the new model does not name: said, so a mistyped or stray file is not silently dropped.
        const now = this.openModel();
        const note = now && unusedNote(unusedFiles(plan.data, now.needs), now);
        if (note) this.set({ notice: note });
        return;
      }
    }
  }

  // ---- folding, history, verification ----

  /** A row's Fuse: stable, so memoized rows keep their props. */
  fuseSome = (ids: string[] | undefined): void => void this.fuse(ids);

  async fuse(only: string[] | undefined, ignoreAxisRule = false): Promise<void> {
    if (noCurrentModel(this.state)) return;
    const snapshot = await this.run(ignoreAxisRule ? 'Applying the fold anyway' : 'Fusing', (progress) => this.client.call('fuse', { only, ignoreAxisRule }, { onProgress: progress }), 'Could not fuse');
    if (!snapshot) return;
    this.verifyOnScreenAhead(snapshot);
    await this.guard('Could not lay out the fused model', () => this.showNext(snapshot));
    const f = snapshot.lastFuse;
    if (f) {
      this.set({ notice: fuseNotice(f, snapshot.summary.nodeCount) });
    }
    if (ignoreAxisRule) await this.verify();
  }

  async undoRedo(type: 'undo' | 'redo'): Promise<void> {
    const s = this.state.snapshot;
    if (!s || (type === 'undo' ? !s.canUndo : !s.canRedo)) return;
    const snapshot = await this.run(type === 'undo' ? 'Undoing' : 'Redoing', (progress) => this.client.call(type, {}, { onProgress: progress }), `Could not ${type}`);
    if (!snapshot) return;
    this.verifyOnScreenAhead(snapshot);
    await this.guard('Could not lay out the model', () => this.showNext(snapshot));
    this.set({ notice: snapshot.step === 0 ? 'Back to the model as opened.' : `Step ${snapshot.step}: ${snapshot.nodesRemovedTotal} node(s) removed since opening.` });
  }

  async verify(): Promise<void> {
    if (noCurrentModel(this.state)) return;
    const openSeq = this.state.openSeq;
    const step = this.state.snapshot?.step ?? 0;
    // Cancel works in every phase: before the verification worker starts, the flag stops it.
    let cancelled = false;
    const r = await this.run(
      'Verification',
      async (progress) => {
        progress('Preparing the models', 0.01);
        const job = await this.client.call('verifyJob', {});
        if (cancelled) throw new CancelledError();
        const task = this.verifyTask(job);
        const outcome = await this.verifier.run(task, progress);
        if (outcome.kind !== 'verify') throw new Error(`The verification worker answered a ${outcome.kind} task.`);
        const report = outcome.report;
        const reference = task.kind === 'verify' && task.reference.kind === 'file' ? task.reference.name : null;
        // Against another file, the report is no proof of this history's folds: the session (and its exported report) keeps none.
        const { incorrect } = reference === null ? await this.client.call('setVerify', { report }) : { incorrect: this.state.snapshot?.incorrect ?? false };
        return { report, incorrect, reference };
      },
      // In words (verifyFailure.ts), onnxruntime's own text behind the details.
      (e) => {
        const f = failureOfError(e);
        return { title: 'Verification could not run', message: f.sentence, ...(f.raw !== null ? { details: f.raw } : {}) };
      },
      {
        cancel: () => {
          cancelled = true;
          this.verifier.cancel();
        },
      },
    );
    if (r) {
      this.set({ verify: { report: r.report, incorrect: r.incorrect, openSeq, step, reference: r.reference } });
      await this.verified(r.report);
    }
  }

  /** What a verification runs: the model as opened against the current one, on seeded random inputs (VerifyingStore adds the user's). Throws to refuse. */
  protected verifyTask(job: VerifyJob): VerifyTask {
    return { kind: 'verify', job, given: { inputs: {}, dims: {}, testData: null }, reference: { kind: 'original' }, model: this.verifyModel };
  }

  /** After a verification is on screen. */
  protected async verified(_report: VerifyReport): Promise<void> {}

  async download(): Promise<void> {
    if (noCurrentModel(this.state)) return;
    if (this.state.snapshot?.incorrect && !this.env.confirm('This model contains a fold applied AGAINST the rules and computes different numbers. Download it anyway, labelled INCORRECT?')) return;
    const r = await this.run('Preparing the download', () => this.client.call('download', {}), 'Could not prepare the download');
    if (r) this.env.save(new Blob([r.bytes], { type: 'application/octet-stream' }), r.fileName);
  }

  // ---- small page state ----

  /** Starts verification's worker and onnxruntime ahead of time (for offline use: its worker is then fetched and kept). */
  warmVerification = (): void => this.verifier.warm();
  setGalleryOpen = (galleryOpen: boolean): void => this.set({ galleryOpen });
  setDragging = (dragging: boolean): void => this.set({ dragging });
  dismissError = (): void => this.set({ error: null });
}
