/**
 * The page's state and actions, outside React (components read it through `useStore` with narrow
 * selectors). Every action handles its own errors — they end in `state.error`, never in an
 * unhandled rejection — and a reply that arrives after a newer request of the same kind is dropped.
 */
import type { NodeDetails, Progress, Snapshot } from '../../core/session/inspectorSession';
import type { ExampleIndex, ExampleIndexEntry } from '../../examples/exampleFiles';
import { ancestorsOf, hierarchyFromGroups } from '../../core/view/hierarchy';
import { CancelledError, type VerifierLike } from '../worker/verifier';
import { failureOfError } from '../../core/verify/verifyFailure';
import type { InspectorApiClient } from '../worker/client';
import type { DataFile, VerifyJob, VerifyTask } from '../worker/protocol';
import type { VerifyReport } from '../../core/verify/verify';
import { planPicked, unusedFiles, unusedNote, whatItNames, type OpenModel, type PickedFile } from '../files';
import { isOnnxErrorCode } from '../../core/onnx/errors';
import type { HashState } from '../urlState';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { ViewFocus } from '../../core/view/startView';
import { fuseNotice } from '../../core/session/fuseNotice';
import { sameOriginUrl, type PageEnv } from './environment';
import { noCurrentModel, type PageError, type PageState, type Theme } from './pageState';
import { messageOf, StoreCore } from './storeCore';
import { saveDensity, savedDensity } from './densitySetting';
import type { Density } from '../../core/view/layout';
import { openableGroups, WholeLayoutAhead } from './wholeLayout';

const THEME_KEY = 'fusion-inspector.theme';
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
const NO_HASH: HashState = { node: null, pair: null, open: [] };
/** Opening a small model or one group is over in tens of milliseconds: no progress banner flashes for it. */
const QUIET_MS = 150;
/** What a new model on screen leaves behind of the old one's selection. */
const CLEARED = { details: null, selectedNode: null, preview: null, comparison: null } as const;

export class InspectorStore extends StoreCore {
  /** Hash state to apply once, to the model opened from the URL. */
  protected pendingHash: HashState;
  private started = false;
  /** Sequence numbers of the latest request of each kind; older replies are dropped. */
  protected seq = { details: 0, preview: 0, layout: 0, compare: 0 };
  /** The layout with every group open, asked for ahead so Expand all only draws. */
  private readonly whole = new WholeLayoutAhead();
  /** The open model's number for the verification worker, which keeps its original's session under it: a new one per model opened or data files given. */
  protected verifyModel = 0;

  constructor(
    protected readonly client: InspectorApiClient,
    protected readonly verifier: VerifierLike,
    protected readonly env: PageEnv,
    protected readonly examplesBase: string,
  ) {
    super();
    this.pendingHash = env.readHash();
    const saved = env.loadSetting(THEME_KEY);
    this.state = { ...this.state, theme: saved === 'dark' || saved === 'light' ? saved : env.prefersDark() ? 'dark' : 'light', density: savedDensity(env) };
    env.applyTheme(this.state.theme);
    // Before the first model is asked for, so its first layout is already in the remembered density.
    client.call('setDensity', { density: this.state.density }).catch(() => {});
  }

  /** The Compact / Detailed switch: remembered, and the graph laid out again with the same groups open (the selection stays). */
  setDensity = async (density: Density): Promise<void> => {
    if (density === this.state.density) return;
    this.set({ density });
    saveDensity(this.env, density);
    await this.guard('Could not change the node density', async () => void (await this.client.call('setDensity', { density })));
    if (!this.state.snapshot) return;
    await this.applyExpanded(this.state.expanded);
    this.groupsToggled(this.state.expanded);
    this.layoutWholeAhead();
  };

  /** The toolbar's theme toggle: applied at once and remembered. */
  setTheme = (theme: Theme): void => {
    this.set({ theme });
    this.env.applyTheme(theme);
    this.env.saveSetting(THEME_KEY, theme);
  };

  protected changed(prev: PageState, s: PageState): void {
    if (s.snapshot && (s.snapshot !== prev.snapshot || s.selectedNode !== prev.selectedNode || s.selectedPair !== prev.selectedPair || s.expanded !== prev.expanded)) this.syncHash();
  }

  /** Keeps the hash in step with the view, once the hash the page was opened with is applied. */
  private syncHash(): void {
    const h = this.pendingHash;
    if (h.node || h.pair || h.open.length) return;
    const all = (this.state.snapshot?.groups.length ?? 0) - 1;
    // Every group open is written as `*`: a big model's group ids would make a URL of hundreds of kilobytes.
    const open = all > 0 && this.state.expanded.length >= all ? ['*'] : this.state.expanded;
    this.env.writeHash({ node: this.state.selectedNode, pair: this.state.selectedPair, open });
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

  protected async openBytes(fileName: string, bytes: ArrayBuffer | Blob, extra?: DataFile[]): Promise<boolean> {
    this.env.mark('fi:open-request');
    const open = (progress: Progress) => this.client.call('open', { fileName, bytes, extra }, { onProgress: progress, transfer: bytes instanceof ArrayBuffer ? [bytes] : [] });
    // Before the reply: the model open now is the one that stays if this file is refused.
    const stays = this.openModel();
    const snapshot = await this.run(`Opening ${fileName}`, open, (e) => openError(fileName, e, stays), { quietMs: QUIET_MS });
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
    const snapshot = await this.run('Adding data files', (progress) => this.client.call('attach', { files }, { onProgress: progress }), 'Could not add the data files');
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

  /** A newly opened model: its own first view, nothing selected. */
  private showFresh(s: Snapshot): void {
    this.seq.layout++;
    this.set({ ...CLEARED, snapshot: s, selectedPair: null, expanded: s.expanded, layout: s.layout });
    this.layoutWholeAhead();
  }

  /** Asks for the current model's whole layout once the page is idle (wholeLayout.ts). */
  private layoutWholeAhead(): void {
    const s = this.state.snapshot;
    if (s) this.whole.ask(s, this.state.density, (expanded) => this.client.call('layout', { expanded }));
  }

  /** After a fold, undo or redo: keep the groups the user had open and the pair if it still exists. */
  private async showNext(s: Snapshot): Promise<void> {
    const keep = this.state.expanded.filter((g) => s.groups.some((x) => x.id === g));
    const pair = this.state.selectedPair && s.pairs.some((x) => x.id === this.state.selectedPair) ? this.state.selectedPair : null;
    const show = { ...CLEARED, snapshot: s, selectedPair: pair, expanded: keep };
    const token = ++this.seq.layout;
    // The new groups and their layout are shown together: the old layout's frames may name groups the
    // fold removed (Conv → Add → BN leaves the Conv alone in its box), and a frame without its group cannot be drawn.
    const layout = await this.client.call('layout', { expanded: keep }).catch((e: unknown) => {
      this.set(show);
      throw e;
    });
    this.set(token === this.seq.layout ? { ...show, layout } : show);
    this.layoutWholeAhead();
  }

  /** Applies the URL hash once, to the first model opened. */
  private async applyPendingHash(): Promise<void> {
    const h = this.pendingHash;
    const s = this.state.snapshot;
    if (!s || (!h.node && !h.pair && h.open.length === 0)) return;
    this.pendingHash = NO_HASH;
    const open = h.open.includes('*') ? openableGroups(s) : h.open.filter((g) => s.groups.some((x) => x.id === g));
    if (open.length) await this.applyExpanded(open);
    if (h.pair && s.pairs.some((p) => p.id === h.pair)) this.selectPair(h.pair, !h.node);
    if (h.node && s.nodes.some((n) => n.id === h.node)) {
      await this.selectNode(h.node);
      await this.reveal([h.node]);
    }
    this.syncHash();
  }

  // ---- the graph view ----

  /**
   * Lays out the current model with these groups open (cached per group in the worker). A layout
   * still running after a moment shows progress and can be cancelled; the previous view then stays.
   */
  /** Returns whether the new layout is on screen (not cancelled, failed or overtaken). */
  async applyExpanded(next: string[], focusIds?: (layout: LayoutResult) => string[], place: ViewFocus['place'] = 'centre'): Promise<boolean> {
    const before = this.state.expanded;
    const token = ++this.seq.layout;
    this.set({ expanded: next });
    let callId = -1;
    const layout = await this.run(
      'Laying out',
      (progress) => {
        const call = this.client.start('layout', { expanded: next }, { onProgress: progress });
        callId = call.id;
        return call.done;
      },
      'Could not lay out the graph',
      { cancel: () => this.client.cancel(callId), quietMs: QUIET_MS, cancelled: 'Layout cancelled; the previous view is kept.' },
    );
    if (token !== this.seq.layout) return false;
    if (layout === null) {
      this.set({ expanded: before });
      return false;
    }
    this.set(this.shown(layout, focusIds, place));
    return true;
  }

  /** A layout to draw and its view's target: they come together, so the first drawing of it is already there (no move after). */
  private shown(layout: LayoutResult, focusIds: ((layout: LayoutResult) => string[]) | undefined, place: ViewFocus['place']): Pick<PageState, 'layout'> & Partial<Pick<PageState, 'focus'>> {
    const ids = focusIds?.(layout) ?? [];
    return { layout, ...(ids.length > 0 ? { focus: { nodeIds: ids, seq: (this.state.focus?.seq ?? 0) + 1, animate: false, place } } : {}) };
  }

  toggleGroup = (id: string): void => {
    const cur = this.state.expanded;
    const next = cur.includes(id) ? cur.filter((g) => g !== id) : [...cur, id];
    void this.applyExpanded(next);
    this.groupsToggled(next);
  };

  /** After a group is opened or closed by hand (the comparison's two sides follow). */
  protected groupsToggled(_expanded: string[]): void {}

  /**
   * Opens every group, then shows the graph's start with the first pair in it (else centred on the
   * pair): the old viewport may show nothing of the new layout.
   */
  expandAll = async (): Promise<void> => {
    const s = this.state.snapshot;
    if (!s) return;
    const pair = s.pairs[0];
    const focusIds = (layout: LayoutResult) => {
      const start = layout.items.find((i) => i.kind === 'node');
      return pair ? [...pair.linearNodeIds, pair.bnNodeId] : start ? [start.id] : [];
    };
    const all = openableGroups(s);
    const ready = this.whole.take(s, this.state.density);
    if (!ready) {
      await this.applyExpanded(all, focusIds, 'start');
      return;
    }
    // Laid out ahead: drawn at once, and any layout still on its way is overtaken.
    this.seq.layout++;
    this.set({ expanded: all, ...this.shown(ready, focusIds, 'start') });
  };

  /** Closes every group, then shows the graph's start. */
  collapseAll = async (): Promise<void> => {
    await this.applyExpanded([], (layout) => (layout.items[0] ? [layout.items[0].id] : []));
  };

  /** Centres the view on these drawn items (a new `seq` each time, so the same ones can be asked for again). */
  private focusOn(ids: string[]): void {
    this.set({ focus: { nodeIds: ids, seq: (this.state.focus?.seq ?? 0) + 1, animate: true, place: 'centre' } });
  }

  private hierarchyCache: { groups: Snapshot['groups']; h: ReturnType<typeof hierarchyFromGroups> } | null = null;

  /** The group tree of a snapshot, built once per snapshot (a 50,000-node model has thousands of groups). */
  private hierarchyOf(groups: Snapshot['groups']): ReturnType<typeof hierarchyFromGroups> {
    if (this.hierarchyCache?.groups !== groups) this.hierarchyCache = { groups, h: hierarchyFromGroups(groups) };
    return this.hierarchyCache.h;
  }

  /** Opens the groups holding these nodes and centres on them. */
  async reveal(ids: string[]): Promise<void> {
    const s = this.state.snapshot;
    if (!s) return;
    const hierarchy = this.hierarchyOf(s.groups);
    const need = new Set(this.state.expanded);
    const before = need.size;
    for (const id of ids) for (const g of ancestorsOf(hierarchy, id)) need.add(g);
    if (need.size === before) this.focusOn(ids);
    else await this.applyExpanded([...need], () => ids);
  }

  selectPair = (id: string, centre: boolean): void => {
    this.set({ selectedPair: id, preview: null });
    const token = ++this.seq.preview;
    this.client.call('preview', { pairId: id }).then(
      (preview) => token === this.seq.preview && this.set({ preview }),
      () => token === this.seq.preview && this.set({ preview: null }),
    );
    const p = this.state.snapshot?.pairs.find((x) => x.id === id);
    if (centre && p) void this.reveal([...p.linearNodeIds, p.bnNodeId]);
  };

  /** A pair's row: select it and centre the graph on it (stable, so memoized rows keep their props). */
  selectPairCentred = (p: { id: string }): void => this.selectPair(p.id, true);
  fuseSome = (ids: string[] | undefined): void => void this.fuse(ids);

  selectNode = async (id: string | null): Promise<void> => {
    const token = ++this.seq.details;
    this.set({ selectedNode: id, ...(id ? {} : { details: null }) });
    if (!id) return;
    const details = await this.detailsOf(id);
    if (token !== this.seq.details) return;
    this.set({ details });
    const pairId = details?.pairIds[0];
    if (pairId) this.selectPair(pairId, false);
  };

  /** A node's details. The worker may read the model again first (its analyses are dropped after each snapshot): progress shows if that is slow. */
  protected detailsOf(id: string): Promise<NodeDetails | null> {
    return this.run('Reading the node', (progress) => this.client.call('details', { nodeId: id }, { onProgress: progress }), 'Could not read the node', { quietMs: QUIET_MS });
  }

  /** A search hit: select it and bring it into view. */
  pickNode = (id: string): void => void Promise.all([this.selectNode(id), this.reveal([id])]);

  // ---- folding, history, verification ----

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
