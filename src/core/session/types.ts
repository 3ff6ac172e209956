/** What the page receives from the session: plain serializable data (it crosses the worker boundary). */
import type { Dim } from '../graph/shapeInference';
import type { ModelSummary, PairJson } from '../report';
import type { PairPattern } from '../rules/pair';
import type { Group } from '../view/hierarchy';
import type { LayoutResult } from '../view/groupLayout';
import type { ViewNode } from '../view/graphView';
import type { Diagnostic } from '../graph/diagnostics';
import type { ExternalFileStatus } from '../onnx/externalData';

/** A constant an Add or Mul applies to an op's output: its node, its name and its dims. */
export interface ConstantView {
  node: string;
  constant: string;
  shape: number[];
}

/** The normalization a pair folds: no ε, γ, μ or σ² on a Mul, only its own constants. */
export type NormView = { op: 'BatchNormalization'; epsilon: number } | { op: 'Mul'; scale: ConstantView; shift: ConstantView | null };

export interface PairView extends Omit<PairJson, 'linear'> {
  /** The weight and bias names stay in the worker (the report and the node details have them): 14,000 pairs carried 0.75 MB of names the page never shows. */
  linear: Omit<PairJson['linear'], 'weight' | 'bias'>;
  pattern: PairPattern;
  /** The pattern's label and panel position, from the registry. */
  patternLabel: string;
  patternOrder: number;
  transpose?: { node: string; perm: number[] | null };
  reshape?: { node: string; shape: Dim[] | null };
  /** Drawn node ids of the Linear's nodes, of the BatchNormalization, and of the Transpose or Reshape between. */
  linearNodeIds: string[];
  bnNodeId: string;
  betweenNodeId?: string;
  outFeatures: number | null;
  /** The Linear's input features (the axis its weight contracts), when known. */
  inFeatures: number | null;
  /** The Linear's features on BN's side: its outputs, or its inputs for BN→Linear (what the explanation compares BN's channels with). */
  features: number | null;
  weightShape: Dim[] | null;
  /** What normalizes: a BatchNormalization (γ, β, μ, σ², ε) or, for Linear/Conv → Mul [→ Add], the Mul's scale and the Add's shift as they are. */
  norm: NormView;
  /** Conv → Add → BN: the Add between them and its constant (Linear/Conv → Mul → Add has its Add in `norm`). */
  add?: ConstantView;
  /** True when the axis rule (and the channel count it implies) is the only problem. */
  axisRuleOnly: boolean;
  /** Why "apply anyway" cannot even compute the naive fold, or null when it can. */
  naiveProblem: string | null;
}

export interface FuseSummary {
  folded: string[];
  skipped: { id: string; codes: string[] }[];
  nodesRemoved: number;
  /** Folds whose BatchNormalization gave its place to a bias Add (a MatMul without bias): they remove no node. */
  biasAdds: number;
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
  /** For a constant computed from constants: the node that computes it (drawn as part of its reader). */
  via?: string;
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

/** The selected pair's explanation, fetched when it is selected (not sent with every pair). */
export interface FoldPreview {
  pairId: string;
  /** The fold as the page states it: the pattern's `explain`, from the layout its fold uses. */
  formulaLines: string[];
  /** First values before and after folding; null for a pair that is not fusable. */
  numbers: FoldNumbers | null;
}

export interface FoldNumbers {
  weightShape: number[];
  /** The first slices of W each s value scales (a row, a column, a filter…), as the fold pairs them. */
  slices: ScaledSlice[];
  biasBefore: number[];
  biasAfter: number[];
}

/** Entries of W that one value of s scales. */
export interface ScaledSlice {
  /** What the slice is: `row 0 (output feature 0)`, `column 2 (input feature 2)`, `filter 1 (output channel 1)`. */
  what: string;
  /** The entries shown, as indices into W: `W[0, :4]`, `W[:4, 2]`, `W[1, …] (first 4 of its 27 values)`. */
  at: string;
  /** Which s value scales them, and that value. */
  sIndex: number;
  s: number;
  /** Their positions in W's row-major values. */
  flat: number[];
  before: number[];
  after: number[];
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
  /** The places the folds changed, in graph order (compareChanges.ts): the view opens on the first. */
  changes: CompareChange[];
}

/** One place the folds changed (a Linear and its BatchNormalization, say). */
export interface CompareChange {
  /** Original nodes removed or rewritten here, in graph order. */
  original: string[];
  /** Current nodes rewritten here. */
  fused: string[];
  /** Original ids and, index for index, their current counterparts: the same places in both panes, which both centre on. */
  anchor: { original: string[]; fused: string[] };
  /** The groups holding it (named alike in both models): opened to show it. */
  groups: string[];
}

export type Progress = (stage: string, fraction: number) => void;
