/**
 * What the page works on: the opened model, its fused versions with undo/redo, and everything the
 * UI shows about each state, as plain serializable data. Lives in the worker; pure TypeScript so
 * it is tested in Node as it is.
 *
 * Memory: every history step keeps only its model, whose untouched tensors are the original's
 * (fuse never copies them), and a summary; the model as opened is its file's bytes. View and layout
 * are held for two states only — the model as opened and the current one — and rebuilt from the
 * step's model on undo/redo. Their analyses (the decoded model, its index and pairs: about half the
 * worker's memory) are dropped once a snapshot is made, since the snapshot holds all the page draws,
 * and made again by the first question that needs one (details, a fold, the report). The current
 * model's bytes are written only when asked for (verify, download).
 */
import { analyzeModel, type Analysis } from '../analysis';
import { readModel, writeModel } from '../onnx/modelIO';
import type { ModelProto } from '../onnx/types';
import { summarizeModel } from '../report';
import { fuse } from '../rewrite/fuse';
import { buildGraphView } from '../view/graphView';
import { buildHierarchy, initialExpansion, type Hierarchy } from '../view/hierarchy';
import { GroupLayout, type LayoutResult } from '../view/groupLayout';
import type { Density } from '../view/layout';
import { pairsReportJson, pairsReportMarkdown, type PairsReport } from '../export/pairsReport';
import type { VerifyReport } from '../verify/verify';
import { attachExternalData, type ExternalDataEntry } from '../onnx/externalData';
import { compareStates } from './compare';
import { nodeDetails } from './details';
import { foldPreview, pairView } from './pairView';
import type { Comparison, FoldPreview, FuseSummary, NodeDetails, Progress, Snapshot } from './types';

export type { Comparison, ConstantView, FoldPreview, FuseSummary, NodeDetails, NormView, PairView, Progress, Snapshot, TensorDetails } from './types';

/** One entry of the history: small, whatever the model's size. The model as opened is the file's bytes. */
type Step = { kind: 'opened' } | { kind: 'folded'; model: ModelProto; lastFuse: FuseSummary; removedTotal: number; incorrect: boolean };

/**
 * A step with everything the page needs of it. Its pairs as the page shows them are made when a
 * snapshot is sent, not kept: ~550 bytes a pair, 14,000 pairs on a 50k model. Its analysis is
 * dropped by `release` and made again from the step's model when asked for.
 */
class State {
  private held: Analysis | null;

  constructor(
    readonly step: number,
    analysis: Analysis,
    private readonly remake: (progress: Progress) => Analysis,
    readonly hierarchy: Hierarchy,
    private laid: GroupLayout,
    readonly snapshot: Omit<Snapshot, 'pairs'>,
  ) {
    this.held = analysis;
  }

  /**
   * The layout in this density: the one made with the state, else made again from the view (after
   * a Compact / Detailed switch; only one density is held: each caches its own group layouts).
   */
  layout(density: Density, progress?: Progress): GroupLayout {
    if (this.laid.density === density) return this.laid;
    const wasReleased = this.released;
    this.laid = new GroupLayout(buildGraphView(this.analysis(progress)), this.hierarchy, density);
    // The analysis was needed for the view only: held no longer than before.
    if (wasReleased) this.release();
    return this.laid;
  }

  analysis(progress: Progress = () => {}): Analysis {
    return (this.held ??= this.remake(progress));
  }

  get released(): boolean {
    return this.held === null;
  }

  release(): void {
    this.held = null;
  }
}

export class InspectorSession {
  private steps: Step[] = [];
  private index = -1;
  private fileName = '';
  private bytes0: Uint8Array = new Uint8Array();
  private original: State | null = null;
  private cur: State | null = null;
  /** The current model's bytes, written on first request (the file's own for the model as opened: see currentBytes). */
  private curBytes: Uint8Array | null = null;
  private externalFiles: ReadonlyMap<string, Uint8Array> = new Map();
  private externalEntries: ExternalDataEntry[] = [];
  private lastVerify: { step: number; report: VerifyReport } | null = null;
  /** How much the nodes say (the page's Compact / Detailed switch): every layout from now on is in it. */
  private density: Density = 'compact';

  /**
   * Parses, analyses and lays out a file; replaces whatever was open. Throws OnnxReadError.
   * `opts.external`: data files by path relative to the model (or base name); `opts.model`: the
   * already parsed `bytes`, when the caller had to look inside first.
   */
  open(fileName: string, bytes: Uint8Array, progress: Progress = () => {}, opts: { external?: ReadonlyMap<string, Uint8Array>; model?: ModelProto } = {}): Snapshot {
    const timings: Record<string, number> = {};
    const t = performance.now();
    progress('Parsing', 0.1);
    const model = opts.model ?? readModel(bytes);
    timings.parseMs = performance.now() - t;
    const previousFiles = this.externalFiles;
    this.externalFiles = opts.external ?? new Map();
    const step: Step = { kind: 'opened' };
    const reread = (p: Progress) => {
      p('Reading the model again', 0.1);
      return readModel(bytes);
    };
    let state: State;
    try {
      state = this.makeState(fileName, 0, step, model, reread, progress, timings);
    } catch (e) {
      this.externalFiles = previousFiles;
      throw e;
    }
    this.fileName = fileName;
    this.bytes0 = bytes;
    this.lastVerify = null;
    this.steps = [step];
    this.index = 0;
    this.original = state;
    this.cur = state;
    this.curBytes = null;
    return this.snapshot();
  }

  /** `model` is the step's model; `modelAgain` gives it once more after the state's analysis was released. */
  private makeState(fileName: string, index: number, step: Step, model: ModelProto, modelAgain: (p: Progress) => ModelProto, progress: Progress, timings: Record<string, number>): State {
    let t = performance.now();
    const files = this.externalFiles;
    // Attaching is idempotent; a fused model shares the original's external tensors.
    const ext = attachExternalData(model, files);
    this.externalEntries = ext.entries;
    progress('Inferring shapes and analysing pairs', 0.35);
    const analysis = analyzeModel(model);
    timings.analyzeMs = performance.now() - t;
    t = performance.now();
    progress('Laying out the graph', 0.6);
    const view = buildGraphView(analysis);
    const hierarchy = buildHierarchy(view);
    const groupLayout = new GroupLayout(view, hierarchy, this.density);
    const expanded = initialExpansion(hierarchy);
    const layout = groupLayout.layout(expanded);
    timings.layoutMs = performance.now() - t;
    const snapshot: Omit<Snapshot, 'pairs'> = {
      fileName,
      summary: summarizeModel(model),
      nodes: view.nodes,
      groups: [...hierarchy.groups.values()],
      expanded,
      layout,
      diagnostics: analysis.diagnostics,
      external: ext.statuses,
      step: index,
      canUndo: index > 0,
      canRedo: false,
      lastFuse: step.kind === 'folded' ? step.lastFuse : null,
      nodesRemovedTotal: step.kind === 'folded' ? step.removedTotal : 0,
      incorrect: step.kind === 'folded' && step.incorrect,
      timings,
    };
    progress('Drawing', 0.9);
    // Only the diagnostics are taken in: holding `analysis` here would keep what `release` drops.
    const diagnostics = analysis.diagnostics;
    const remake = (p: Progress) => {
      const again = modelAgain(p);
      attachExternalData(again, files);
      p('Inferring shapes and analysing pairs', 0.5);
      // The same model has the same diagnostics (75 ms at 50,000 nodes).
      return analyzeModel(again, { diagnostics });
    };
    return new State(index, analysis, remake, hierarchy, groupLayout, snapshot);
  }

  private get current(): State {
    if (!this.cur) throw new Error('No model is open.');
    return this.cur;
  }

  private get first(): State {
    if (!this.original) throw new Error('No model is open.');
    return this.original;
  }

  /** What the page draws of the current state. Releases the analyses held (see the file's comment). */
  snapshot(progress?: Progress): Snapshot {
    const state = this.current;
    const snap = { ...state.snapshot, pairs: state.analysis(progress).pairs.map(pairView), step: this.index, canUndo: this.index > 0, canRedo: this.index < this.steps.length - 1 };
    this.release();
    return snap;
  }

  /** Drops the analyses held; the snapshots, hierarchies and layouts stay. */
  release(): void {
    this.original?.release();
    this.cur?.release();
  }

  /** Whether the current state's analysis is held (for tests of `release`). */
  holdsAnalysis(): boolean {
    return !this.current.released;
  }

  /** The open file's name. */
  openFileName(): string {
    return this.current.snapshot.fileName;
  }

  /** Whether the current model holds a fold applied against the rules. */
  isIncorrect(): boolean {
    return this.current.snapshot.incorrect;
  }

  /** Makes step `index` the current one, rebuilding its analysis and layout from its model. */
  private goTo(index: number, progress: Progress = () => {}): void {
    this.index = index;
    const step = this.steps[index];
    if (step.kind === 'opened') this.cur = this.first;
    else this.cur = this.makeState(this.fileName, index, step, step.model, () => step.model, progress, {});
    this.curBytes = null;
  }

  /** Folds pairs (all fusable ones by default). `ignoreAxisRule` is the teaching "apply anyway". */
  fuse(only: string[] | undefined, ignoreAxisRule = false, progress: Progress = () => {}): Snapshot {
    const analysis = this.current.analysis(progress);
    progress('Folding', 0.1);
    const res = fuse(analysis, { only, ignoreAxisRule });
    if (res.folded.length === 0) {
      const why = res.skipped.map((s) => `${s.id}: ${s.reasons.map((r) => r.code).join(', ')}`).join('; ');
      throw new Error(res.skipped.length > 0 ? `Nothing folded — ${why}` : 'Nothing to fold: no fusable pair is left.');
    }
    const summary: FuseSummary = {
      folded: res.folded.map((f) => f.id),
      skipped: res.skipped.map((s) => ({ id: s.id, codes: s.reasons.map((r) => r.code) })),
      nodesRemoved: res.nodesBefore - res.nodesAfter,
      biasAdds: res.folded.filter((f) => f.addedNodes.length > 0).length,
      incorrect: res.incorrect,
    };
    const prev = this.steps[this.index];
    const before = prev.kind === 'folded' ? prev : { removedTotal: 0, incorrect: false };
    const step: Step = { kind: 'folded', model: res.model, lastFuse: summary, removedTotal: before.removedTotal + summary.nodesRemoved, incorrect: before.incorrect || res.incorrect };
    const state = this.makeState(this.fileName, this.index + 1, step, res.model, () => res.model, progress, {});
    this.steps = [...this.steps.slice(0, this.index + 1), step];
    this.index++;
    this.cur = state;
    this.curBytes = null;
    return this.snapshot(progress);
  }

  /** The density of the layouts made from now on; the next `relayout` draws the current model in it. */
  setDensity(density: Density): void {
    this.density = density;
  }

  /** Lays out the current model with these groups open; groups laid out before come from a cache. */
  relayout(expanded: string[]): LayoutResult {
    const known = expanded.filter((g) => this.current.hierarchy.groups.has(g));
    return this.current.layout(this.density).layout(known);
  }

  /** `relayout` in slices that can be cancelled (throws LayoutCancelled; the page keeps its view). */
  async relayoutAsync(expanded: string[], opts: { shouldStop?: () => boolean; progress?: Progress } = {}): Promise<LayoutResult> {
    const state = this.current;
    const known = expanded.filter((g) => state.hierarchy.groups.has(g));
    const layout = state.layout(this.density, opts.progress);
    await layout.prepare(known, { shouldStop: opts.shouldStop, onProgress: (f) => opts.progress?.('Laying out the graph', f) });
    return layout.layout(known);
  }

  /** The original and the current model side by side (see compare.ts). */
  compare(expanded: string[], progress?: Progress): Comparison {
    const compared = (s: State) => ({ analysis: s.analysis(progress), hierarchy: s.hierarchy, layout: s.layout(this.density), snapshot: s.snapshot });
    return compareStates(compared(this.first), compared(this.current), expanded);
  }

  /** Remembers a verification of the current state, for the report. */
  setVerify(report: VerifyReport): void {
    this.lastVerify = { step: this.index, report };
  }

  /** Every pair of the model as opened, what was folded since, and the last verification of this state. */
  report(progress?: Progress): { json: PairsReport; markdown: string } {
    const folded: string[] = [];
    let incorrect = false;
    for (let i = 1; i <= this.index; i++) {
      const step = this.steps[i];
      if (step.kind !== 'folded') continue;
      folded.push(...step.lastFuse.folded);
      incorrect ||= step.lastFuse.incorrect;
    }
    const input = {
      fileName: this.fileName,
      summary: this.first.snapshot.summary,
      pairs: this.first.analysis(progress).pairs,
      folded,
      incorrect,
      verify: this.lastVerify && this.lastVerify.step === this.index ? this.lastVerify.report : null,
    };
    return { json: pairsReportJson(input), markdown: pairsReportMarkdown(input) };
  }

  undo(progress?: Progress): Snapshot {
    if (this.index > 0) this.goTo(this.index - 1, progress);
    return this.snapshot(progress);
  }

  redo(progress?: Progress): Snapshot {
    if (this.index < this.steps.length - 1) this.goTo(this.index + 1, progress);
    return this.snapshot(progress);
  }

  originalBytes(): Uint8Array {
    return this.bytes0;
  }

  currentBytes(): Uint8Array {
    const step = this.steps[this.index];
    return (this.curBytes ??= step.kind === 'folded' ? writeModel(step.model) : this.bytes0);
  }

  /** The external data files that were loaded, for onnxruntime-web. */
  externalData(): ExternalDataEntry[] {
    return this.externalEntries;
  }

  /** The data files given so far, to add more to. */
  providedExternalFiles(): ReadonlyMap<string, Uint8Array> {
    return this.externalFiles;
  }

  /** The download: `<name>.fused.onnx` after a fold, the file as opened before any, or an unmistakable name when the model is incorrect. */
  download(): { fileName: string; bytes: Uint8Array; incorrect: boolean } {
    const base = this.fileName.replace(/\.onnx$/i, '');
    const incorrect = this.isIncorrect();
    return { fileName: incorrect ? `${base}.INCORRECT-fold.onnx` : this.index === 0 ? `${base}.onnx` : `${base}.fused.onnx`, bytes: this.currentBytes(), incorrect };
  }

  nodeDetails(id: string, progress?: Progress): NodeDetails | null {
    return nodeDetails(this.current.analysis(progress), id);
  }

  /** A few numbers of the weight and bias before and after folding one pair, for the explanation panel. */
  foldPreview(pairId: string, progress?: Progress): FoldPreview | null {
    return foldPreview(this.current.analysis(progress), pairId);
  }
}
