/**
 * What the page works on: the opened model, its fused versions with undo/redo, and everything the
 * UI shows about each state, as plain serializable data. Lives in the worker; pure TypeScript so
 * it is tested in Node as it is.
 */
import { analyzeModel, type Analysis } from '../analysis';
import { attributeText } from '../onnx/attributes';
import { formatShape, type Dim } from '../graph/shapeInference';
import { readModel, writeModel } from '../onnx/modelIO';
import { dtypeName, tensorDataProblem, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import { bnAffine, constTensor, dense } from '../patterns/foldMath';
import type { ModelProto } from '../onnx/types';
import { betweenJson, pairJson, summarizeModel, type ModelSummary, type PairJson } from '../report';
import { fuse, type FuseResult } from '../rewrite/fuse';
import { naiveFoldProblem } from '../rewrite/naiveFold';
import { betweenNode, type Pair, type PairPattern } from '../rules/pair';
import { patternOf } from '../patterns/registry';
import { formulaLines, type FoldFormula } from '../patterns/formula';
import { buildGraphView, type ViewNode } from '../view/graphView';
import { buildHierarchy, initialExpansion, type Group, type Hierarchy } from '../view/hierarchy';
import { GroupLayout, type LayoutResult, type VisibleItem } from '../view/groupLayout';
import { pairsReportJson, pairsReportMarkdown, type PairsReport } from '../export/pairsReport';
import type { VerifyReport } from '../verify/verify';
import type { Diagnostic } from '../graph/diagnostics';
import { attachExternalData, type ExternalDataEntry, type ExternalFileStatus } from '../onnx/externalData';

export interface PairView extends PairJson {
  pattern: PairPattern;
  transpose?: { node: string; perm: number[] | null };
  reshape?: { node: string; shape: Dim[] | null };
  /** Drawn node ids of the Linear's nodes, of the BatchNormalization, and of the Transpose or Reshape between. */
  linearNodeIds: string[];
  bnNodeId: string;
  betweenNodeId?: string;
  outFeatures: number | null;
  weightShape: Dim[] | null;
  epsilon: number;
  /** The fold as the page states it, from the layout the fold uses, and its lines of text. */
  formula: FoldFormula;
  formulaLines: string[];
  /** True when the axis rule (and the channel count it implies) is the only problem. */
  axisRuleOnly: boolean;
  /** Why "apply anyway" cannot even compute the naive fold, or null when it can. */
  naiveProblem: string | null;
}

export interface FuseSummary {
  folded: string[];
  skipped: { id: string; codes: string[] }[];
  nodesRemoved: number;
  incorrect: boolean;
}

export interface Snapshot {
  fileName: string;
  summary: ModelSummary;
  /** Every drawable node (positions come with `layout`). */
  nodes: ViewNode[];
  /** The name-scope groups, root (`g:`) first. */
  groups: Group[];
  /** Groups open in `layout`. */
  expanded: string[];
  layout: LayoutResult;
  pairs: PairView[];
  /** Position in the history; 0 is the file as opened. */
  step: number;
  canUndo: boolean;
  canRedo: boolean;
  /** The last fuse that produced this state. */
  lastFuse: FuseSummary | null;
  /** Inconsistencies found in the model (cycles, undefined inputs, unknown domains…). */
  diagnostics: Diagnostic[];
  /** External data files the model refers to, and whether each was loaded. */
  external: ExternalFileStatus[];
  /** Nodes removed since the file was opened. */
  nodesRemovedTotal: number;
  /** This state contains a fold that ignored the axis rule: it does not compute the same function. */
  incorrect: boolean;
  timings: Record<string, number>;
}

export interface TensorDetails {
  name: string;
  dtype: string;
  shape: string;
  /** For constants: statistics over the values. */
  stats?: { min: number; max: number; mean: number; count: number };
  kind: 'initializer' | 'constant' | 'graph input' | 'computed' | 'missing';
  problem?: string;
}

export interface NodeDetails {
  id: string;
  opType: string;
  name: string;
  domain: string;
  docString: string;
  attributes: { name: string; value: string }[];
  inputs: TensorDetails[];
  outputs: TensorDetails[];
  pairIds: string[];
}

export interface FoldPreview {
  pairId: string;
  weightShape: number[];
  weightBefore: number[];
  weightAfter: number[];
  biasBefore: number[];
  biasAfter: number[];
  scale: number[];
}

/** Original and current model drawn with the same layout, and which node is which. */
export interface Comparison {
  original: { nodes: ViewNode[]; groups: Group[]; layout: LayoutResult };
  fused: { nodes: ViewNode[]; groups: Group[]; layout: LayoutResult };
  /** [original node id, current node id] for every node that has a counterpart. */
  counterparts: [string, string][];
  /** Original nodes the folds removed (the BatchNormalizations). */
  removed: string[];
  /** Current nodes the folds changed or added (the Linears, new bias Adds). */
  rewritten: string[];
}

interface State {
  bytes: Uint8Array;
  analysis: Analysis;
  hierarchy: Hierarchy;
  layout: GroupLayout;
  snapshot: Snapshot;
}

export type Progress = (stage: string, fraction: number) => void;

function pairView(p: Pair): PairView {
  const between = betweenNode(p);
  const axisCodes = new Set(['LINEAR_OUTPUT_RANK', 'CHANNEL_MISMATCH']);
  const formula = patternOf(p).explain(p);
  return {
    ...pairJson(p),
    pattern: p.pattern,
    ...betweenJson(p),
    ...(between ? { betweenNodeId: `n${between.nodeIndex}` } : {}),
    linearNodeIds: p.linear.nodeIndices.map((i) => `n${i}`),
    bnNodeId: `n${p.batchNorm.nodeIndex}`,
    outFeatures: p.linear.outFeatures,
    weightShape: p.linear.weightShape,
    epsilon: p.batchNorm.epsilon,
    formula,
    formulaLines: formulaLines(formula),
    axisRuleOnly: !p.fusable && p.reasons.some((r) => r.code === 'LINEAR_OUTPUT_RANK') && p.reasons.every((r) => axisCodes.has(r.code)),
    naiveProblem: p.fusable ? null : naiveFoldProblem(p),
  };
}

export class InspectorSession {
  private states: State[] = [];
  private index = -1;
  private fileName = '';
  private externalFiles: ReadonlyMap<string, Uint8Array> = new Map();
  private externalEntries: ExternalDataEntry[] = [];

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
    this.externalFiles = opts.external ?? new Map();
    const state = this.makeState(fileName, 0, bytes, model, null, 0, false, progress, timings);
    this.fileName = fileName;
    this.lastVerify = null;
    this.states = [state];
    this.index = 0;
    return state.snapshot;
  }

  private makeState(fileName: string, step: number, bytes: Uint8Array, model: ModelProto, lastFuse: FuseSummary | null, removedTotal: number, incorrect: boolean, progress: Progress, timings: Record<string, number>): State {
    let t = performance.now();
    // Every state is re-read from its own bytes: its external tensors are attached again.
    const ext = attachExternalData(model, this.externalFiles);
    this.externalEntries = ext.entries;
    progress('Inferring shapes and analysing pairs', 0.35);
    const analysis = analyzeModel(model);
    timings.analyzeMs = performance.now() - t;
    t = performance.now();
    progress('Laying out the graph', 0.6);
    const view = buildGraphView(analysis);
    const hierarchy = buildHierarchy(view);
    const groupLayout = new GroupLayout(view, hierarchy);
    const expanded = initialExpansion(hierarchy);
    const layout = groupLayout.layout(expanded);
    timings.layoutMs = performance.now() - t;
    const snapshot: Snapshot = {
      fileName,
      summary: summarizeModel(model),
      nodes: view.nodes,
      groups: [...hierarchy.groups.values()],
      expanded,
      layout,
      pairs: analysis.pairs.map(pairView),
      diagnostics: analysis.diagnostics,
      external: ext.statuses,
      step,
      canUndo: step > 0,
      canRedo: false,
      lastFuse,
      nodesRemovedTotal: removedTotal,
      incorrect,
      timings,
    };
    progress('Drawing', 0.9);
    return { bytes, analysis, hierarchy, layout: groupLayout, snapshot };
  }

  private get current(): State {
    if (this.index < 0) throw new Error('No model is open.');
    return this.states[this.index];
  }

  snapshot(): Snapshot {
    const s = this.current.snapshot;
    return { ...s, step: this.index, canUndo: this.index > 0, canRedo: this.index < this.states.length - 1 };
  }

  /** Folds pairs (all fusable ones by default). `ignoreAxisRule` is the teaching "apply anyway". */
  fuse(only: string[] | undefined, ignoreAxisRule = false, progress: Progress = () => {}): Snapshot {
    const cur = this.current;
    progress('Folding', 0.1);
    const res: FuseResult = fuse(cur.analysis, { only, ignoreAxisRule });
    if (res.folded.length === 0) {
      const why = res.skipped.map((s) => `${s.id}: ${s.reasons.map((r) => r.code).join(', ')}`).join('; ');
      throw new Error(res.skipped.length > 0 ? `Nothing folded — ${why}` : 'Nothing to fold: no fusable pair is left.');
    }
    const t = performance.now();
    const bytes = writeModel(res.model);
    const timings: Record<string, number> = { serializeMs: performance.now() - t };
    const summary: FuseSummary = {
      folded: res.folded.map((f) => f.id),
      skipped: res.skipped.map((s) => ({ id: s.id, codes: s.reasons.map((r) => r.code) })),
      nodesRemoved: res.nodesBefore - res.nodesAfter,
      incorrect: res.incorrect,
    };
    const removedTotal = cur.snapshot.nodesRemovedTotal + summary.nodesRemoved;
    // Re-read the written bytes so the new state's tensors are views of its own buffer.
    const state = this.makeState(this.fileName, this.index + 1, bytes, readModel(bytes), summary, removedTotal, cur.snapshot.incorrect || res.incorrect, progress, timings);
    this.states = this.states.slice(0, this.index + 1);
    this.states.push(state);
    this.index++;
    return this.snapshot();
  }

  /** Lays out the current model with these groups open; groups laid out before come from a cache. */
  relayout(expanded: string[]): LayoutResult {
    const known = expanded.filter((g) => this.current.hierarchy.groups.has(g));
    return this.current.layout.layout(known);
  }

  /** `relayout` in slices that can be cancelled (throws LayoutCancelled; the page keeps its view). */
  async relayoutAsync(expanded: string[], opts: { shouldStop?: () => boolean; progress?: Progress } = {}): Promise<LayoutResult> {
    const state = this.current;
    const known = expanded.filter((g) => state.hierarchy.groups.has(g));
    await state.layout.prepare(known, { shouldStop: opts.shouldStop, onProgress: (f) => opts.progress?.('Laying out the graph', f) });
    return state.layout.layout(known);
  }

  /**
   * The original and the current model side by side with the original's layout: each current node
   * sits where its counterpart (same node name, else same first output) sits in the original.
   */
  compare(expanded: string[]): Comparison {
    const orig = this.states[0];
    const cur = this.current;
    const origLayout = orig.layout.layout(expanded.filter((g) => orig.hierarchy.groups.has(g)));
    const og = orig.analysis.graph;
    const cg = cur.analysis.graph;
    const byName = new Map<string, number>();
    const byOutput = new Map<string, number>();
    for (const n of og.nodes) {
      if (n.proto.name) byName.set(n.proto.name, n.index);
      if (n.proto.output[0]) byOutput.set(n.proto.output[0], n.index);
    }
    const toOrig = new Map<string, string>();
    const fromOrig = new Map<string, string>();
    const rewritten: string[] = [];
    for (const n of cg.nodes) {
      let k = n.proto.name ? byName.get(n.proto.name) : undefined;
      if (k === undefined && n.proto.output[0]) k = byOutput.get(n.proto.output[0]);
      if (k === undefined || fromOrig.has(`n${k}`)) {
        rewritten.push(`n${n.index}`);
        continue;
      }
      toOrig.set(`n${n.index}`, `n${k}`);
      fromOrig.set(`n${k}`, `n${n.index}`);
      const o = og.nodes[k].proto;
      const same = o.opType === n.proto.opType && o.input.join('\0') === n.proto.input.join('\0') && o.output.join('\0') === n.proto.output.join('\0');
      if (!same) rewritten.push(`n${n.index}`);
    }
    // Inputs and outputs keep their ids (their tensor names).
    for (const v of cur.snapshot.nodes) if (v.kind !== 'op') {
      toOrig.set(v.id, v.id);
      fromOrig.set(v.id, v.id);
    }
    const removed = og.nodes.filter((n) => n.opType !== 'Constant' && !fromOrig.has(`n${n.index}`)).map((n) => `n${n.index}`);
    const fusedGroups = cur.hierarchy.groups;
    const items: VisibleItem[] = [];
    for (const it of origLayout.items) {
      if (it.kind !== 'node') {
        if (fusedGroups.has(it.id)) items.push(it);
        continue;
      }
      const c = fromOrig.get(it.id);
      if (c) items.push({ ...it, id: c });
    }
    // A node new to the fused model (no counterpart) goes where the node it replaced stood.
    const shown = new Set(items.map((i) => i.id));
    const curLayout = cur.layout.layout(expanded.filter((g) => fusedGroups.has(g)));
    return {
      original: { nodes: orig.snapshot.nodes, groups: orig.snapshot.groups, layout: origLayout },
      fused: {
        nodes: cur.snapshot.nodes,
        groups: cur.snapshot.groups,
        layout: { items, edges: curLayout.edges.filter((e) => shown.has(e.source) && shown.has(e.target)), laidOut: curLayout.laidOut },
      },
      counterparts: [...fromOrig.entries()],
      removed,
      rewritten,
    };
  }

  private lastVerify: { step: number; report: VerifyReport } | null = null;

  /** Remembers a verification of the current state, for the report. */
  setVerify(report: VerifyReport): void {
    this.lastVerify = { step: this.index, report };
  }

  /** Every pair of the model as opened, what was folded since, and the last verification of this state. */
  report(): { json: PairsReport; markdown: string } {
    const folded: string[] = [];
    let incorrect = false;
    for (let i = 1; i <= this.index; i++) {
      const f = this.states[i].snapshot.lastFuse;
      if (f) folded.push(...f.folded);
      incorrect ||= f?.incorrect ?? false;
    }
    const input = {
      fileName: this.fileName,
      summary: this.states[0].snapshot.summary,
      pairs: this.states[0].analysis.pairs.map(pairJson),
      folded,
      incorrect,
      verify: this.lastVerify && this.lastVerify.step === this.index ? this.lastVerify.report : null,
    };
    return { json: pairsReportJson(input), markdown: pairsReportMarkdown(input) };
  }

  undo(): Snapshot {
    if (this.index > 0) this.index--;
    return this.snapshot();
  }

  redo(): Snapshot {
    if (this.index < this.states.length - 1) this.index++;
    return this.snapshot();
  }

  originalBytes(): Uint8Array {
    return this.states[0].bytes;
  }

  currentBytes(): Uint8Array {
    return this.current.bytes;
  }

  /** The external data files that were loaded, for onnxruntime-web. */
  externalData(): ExternalDataEntry[] {
    return this.externalEntries;
  }

  /** The data files given so far, to add more to. */
  providedExternalFiles(): ReadonlyMap<string, Uint8Array> {
    return this.externalFiles;
  }

  /** The download: `<name>.fused.onnx`, or an unmistakable name when the model is incorrect. */
  download(): { fileName: string; bytes: Uint8Array; incorrect: boolean } {
    const base = this.fileName.replace(/\.onnx$/i, '');
    const incorrect = this.current.snapshot.incorrect;
    return { fileName: incorrect ? `${base}.INCORRECT-fold.onnx` : `${base}.fused.onnx`, bytes: this.current.bytes, incorrect };
  }

  nodeDetails(id: string): NodeDetails | null {
    const a = this.current.analysis;
    const g = a.graph;
    const m = /^n(\d+)$/.exec(id);
    if (!m) return this.ioDetails(id);
    const n = g.nodes[Number(m[1])];
    if (!n) return null;
    return {
      id,
      opType: n.opType,
      name: n.proto.name ?? '',
      domain: n.domain || 'ai.onnx',
      docString: n.proto.docString ?? '',
      attributes: n.proto.attribute.map((at) => ({ name: at.name ?? '', value: attributeText(at) })),
      inputs: n.proto.input.filter((x) => x !== '').map((x) => this.tensorDetails(x)),
      outputs: n.proto.output.filter((x) => x !== '').map((x) => this.tensorDetails(x)),
      pairIds: a.pairs.filter((p) => p.batchNorm.nodeIndex === n.index || p.linear.nodeIndices.includes(n.index)).map((p) => p.id),
    };
  }

  private ioDetails(id: string): NodeDetails | null {
    const m = /^(in|out):(.*)$/s.exec(id);
    if (!m) return null;
    const t = this.tensorDetails(m[2]);
    return { id, opType: m[1] === 'in' ? 'Input' : 'Output', name: m[2], domain: '', docString: '', attributes: [], inputs: m[1] === 'out' ? [t] : [], outputs: m[1] === 'in' ? [t] : [], pairIds: [] };
  }

  private tensorDetails(name: string): TensorDetails {
    const a = this.current.analysis;
    const v = a.graph.values.get(name);
    const t = a.shapes.types.get(name);
    const base = { name, dtype: dtypeName(t?.dtype), shape: formatShape(t?.shape ?? null) };
    const c = v?.constant ?? v?.initializer;
    if (c) {
      const problem = tensorDataProblem(c);
      const kind = v?.initializer ? 'initializer' : 'constant';
      if (problem) return { ...base, kind, problem };
      let stats: TensorDetails['stats'];
      try {
        const vals = tensorToFloat64(c);
        let min = Infinity;
        let max = -Infinity;
        let sum = 0;
        for (const x of vals) {
          if (x < min) min = x;
          if (x > max) max = x;
          sum += x;
        }
        stats = { min, max, mean: vals.length ? sum / vals.length : NaN, count: vals.length };
      } catch {
        stats = undefined;
      }
      return { ...base, shape: formatShape(tensorDims(c)), kind, stats };
    }
    if (!v) return { ...base, kind: 'missing' };
    return { ...base, kind: v.isGraphInput ? 'graph input' : v.producer >= 0 ? 'computed' : 'missing' };
  }

  /** A few numbers of the weight and bias before and after folding this one pair (its pattern's `compute`, no whole-model fuse). */
  foldPreview(pairId: string, count = 4): FoldPreview | null {
    const a = this.current.analysis;
    const p = a.pairs.find((x) => x.id === pairId);
    if (!p || !p.fusable) return null;
    const folded = patternOf(p).compute(a.graph, p);
    const w0 = dense(constTensor(a.graph, p.linear.weight));
    const b0 = p.linear.bias ? dense(constTensor(a.graph, p.linear.bias)) : null;
    const { s } = bnAffine(a.graph, p.batchNorm);
    const take = (x: Float64Array) => Array.from(x.subarray(0, count));
    return {
      pairId,
      weightShape: w0.dims,
      weightBefore: take(w0.values),
      weightAfter: take(folded.weight.values),
      biasBefore: b0 ? take(b0.values) : [],
      biasAfter: take(folded.bias.values),
      scale: take(s),
    };
  }

}
