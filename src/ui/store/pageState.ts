/** Everything the page shows, as one immutable value the store replaces on each change. */
import type { Comparison, FoldPreview, NodeDetails, Snapshot } from '../../core/session/inspectorSession';
import type { VerifyReport } from '../../core/verify/verify';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { ViewFocus } from '../../core/view/startView';
import type { Density } from '../../core/view/layout';
import type { ExampleIndex } from '../../examples/exampleFiles';
import type { PlaygroundForm } from '../../examples/playground';
import type { OrtCheckReport } from '../../core/verify/ortCheck';
import type { PerValueResult } from '../worker/protocol';
import { emptySetup, type VerifySetup } from './verifySetup';

/**
 * "Expand all" lays out every node (the page mounts only those near the viewport and paints the
 * rest far out); past this many the layout's memory in the worker is the limit, so it is offered only below.
 */
export const EXPAND_ALL_LIMIT = 300_000;

export interface Busy {
  what: string;
  stage: string;
  fraction: number;
  /** Present when the operation can be stopped. */
  cancel?: () => void;
}

export interface PageError {
  title: string;
  message: string;
  /** Raw text behind the message (onnxruntime's own words), shown folded away. */
  details?: string;
}

/** A verification belongs to the model it checked: `openSeq` and `step` say which. */
export interface VerifyState {
  report: VerifyReport;
  incorrect: boolean;
  openSeq: number;
  step: number;
  /** The other model file the current one was verified against; null: the model as opened. */
  reference: string | null;
}

/** Where the models part (a per-value comparison), for the model on screen at `openSeq`/`step`. */
export interface PerValueState {
  result: PerValueResult;
  openSeq: number;
  step: number;
  reference: string | null;
}

/** onnxruntime's optimizer check of the model on screen at `openSeq`/`step`. */
export interface OrtCheckState {
  report: OrtCheckReport;
  openSeq: number;
  step: number;
}

export interface PlaygroundState {
  form: PlaygroundForm;
  problems: string[];
  channelsHint: string;
}

export type Viewport = { x: number; y: number; zoom: number };
export type Side = 'original' | 'fused';
export type Theme = 'light' | 'dark';

export interface PageState {
  snapshot: Snapshot | null;
  layout: LayoutResult | null;
  /** Groups open in `layout`. */
  expanded: string[];
  busy: Busy | null;
  error: PageError | null;
  notice: string | null;
  selectedNode: string | null;
  selectedPair: string | null;
  details: NodeDetails | null;
  preview: FoldPreview | null;
  verify: VerifyState | null;
  /** Nodes to centre on; `seq` changes on every request so the same nodes can be asked for twice; a move is animated unless it comes with a new layout. */
  focus: ViewFocus | null;
  examples: ExampleIndex | null;
  galleryOpen: boolean;
  dragging: boolean;
  /** Bumped on every newly opened file, so the graph view starts fitted to it. */
  openSeq: number;
  comparison: Comparison | null;
  compareSel: { original: string | null; fused: string | null };
  sharedViewport: { v: Viewport; from: Side } | null;
  /** The comparison's change both panes centre on (an index into `comparison.changes`); `seq` changes with every move to one. */
  compareAt: { change: number; seq: number };
  /** The colour theme: the system's preference until the toolbar's toggle chooses (and remembers) one. */
  theme: Theme;
  /** How much each node says (the Compact / Detailed switch, remembered); `layout` is drawn in it once the worker has laid it out. */
  density: Density;
  /** The lesson being followed (its id), or null. */
  lesson: string | null;
  /** Lessons opened at least once (kept across visits). */
  visitedLessons: string[];
  /** The playground's form while the playground is open, with what is wrong with it and the words beside BatchNorm's channels. */
  playground: PlaygroundState | null;
  /** The user's inputs for verify (per model: see `openSeq` in it). */
  verifySetup: VerifySetup;
  perValue: PerValueState | null;
  ortCheck: OrtCheckState | null;
}

export const INITIAL_STATE: PageState = {
  snapshot: null,
  layout: null,
  expanded: [],
  busy: null,
  error: null,
  notice: null,
  selectedNode: null,
  selectedPair: null,
  details: null,
  preview: null,
  verify: null,
  focus: null,
  examples: null,
  galleryOpen: false,
  dragging: false,
  openSeq: 0,
  comparison: null,
  compareSel: { original: null, fused: null },
  sharedViewport: null,
  compareAt: { change: 0, seq: 0 },
  theme: 'light',
  density: 'compact',
  lesson: null,
  visitedLessons: [],
  playground: null,
  verifySetup: emptySetup(0),
  perValue: null,
  ortCheck: null,
};

/**
 * Why nothing on screen is a model the actions may act on, or null: while the playground's form has
 * an error no model is built, and the graph and pairs left from the last valid form belong to none.
 */
export function noCurrentModel(s: PageState): string | null {
  return s.playground !== null && s.playground.problems.length > 0 ? 'The form has an error: no model is built.' : null;
}

/** Whether a result of `openSeq`/`step` describes the model on screen. */
export function isCurrent(s: PageState, r: { openSeq: number; step: number } | null): boolean {
  return r !== null && s.snapshot !== null && r.openSeq === s.openSeq && r.step === s.snapshot.step;
}

/** Whether a verification still describes the model on screen. */
export function verifyIsCurrent(s: PageState): boolean {
  return s.verify !== null && s.snapshot !== null && s.verify.openSeq === s.openSeq && s.verify.step === s.snapshot.step;
}
