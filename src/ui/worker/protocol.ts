/**
 * Every message between the page and its workers, in one place.
 *
 * The inspector worker answers the methods of `InspectorApi`: each method names its params and its
 * result, so asking for the wrong result type does not compile. A request carries an id; the reply
 * echoes it, with the result or an error, and long methods send progress in between; a large result
 * comes in parts first (chunks.ts), each its own message, so no single copy blocks the page. A request can
 * be cancelled by id (`cancel`); methods that check for it end with the error code CANCELLED.
 *
 * The verification worker takes `VerifyRequest`s: a `VerifyTask` (a verify, a per-value comparison or
 * onnxruntime's optimizer check, on a `VerifyJob`'s bytes and the user's inputs), answered with
 * `VerifyMessage`s — progress, then its outcome or an error — and, unanswered, the work it does ahead:
 * start onnxruntime, make the open model's original session and the session of the model on screen, release them. It is terminated to cancel
 * (onnxruntime-web's runs cannot be interrupted).
 */
import type { Comparison, FoldPreview, NodeDetails, Snapshot } from '../../core/session/inspectorSession';
import type { PairsReport } from '../../core/export/pairsReport';
import type { VerifyReport } from '../../core/verify/verify';
import type { VerifyFailure } from '../../core/verify/verifyFailure';
import type { PerValueReport } from '../../core/verify/perValue';
import type { OrtCheckReport, OrtLevel } from '../../core/verify/ortCheck';
import type { Normalization } from '../../core/tensorFiles/imageTensor';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { Density } from '../../core/view/layout';
import type { PlaygroundSpec } from '../../examples/playground';
import type { Part } from './chunks';

/** An external data file, by its path relative to the model's folder. */
export interface DataFile {
  path: string;
  file: Blob;
}

/**
 * The model on screen (the fused side of a verify) and its data files, transferred to the
 * verification worker. `revision`: the inspector worker's number for this state of the model — a
 * new one for every open, fold, undo, redo or data files added — under which the worker keeps its session.
 */
export interface FusedJob {
  revision: number;
  fused: ArrayBuffer;
  externalData: { path: string; data: ArrayBuffer }[];
}

/** The files and options of one verification, transferred to the verification worker. */
export interface VerifyJob extends FusedJob {
  original: ArrayBuffer;
  dims?: Record<string, number>;
}

/** One model input as the page gives it; files are read and images decoded in the verification worker. */
export type PageInput =
  | { kind: 'values'; text: string }
  | { kind: 'file'; name: string; file: Blob }
  /** Resized to `height` × `width` (RGB), scaled to [0, 1], then normalized when asked. */
  | { kind: 'image'; name: string; file: Blob; height: number; width: number; normalize: Normalization | null };

/** The user's inputs for a run: inputs left out are random (floats) or refused (integers, bools). */
export interface PageInputs {
  inputs: Record<string, PageInput>;
  /** Symbolic dims set by hand (those no given input binds). */
  dims: Record<string, number>;
  /** A test data set's files: its inputs (unless given above) and the outputs to expect. */
  testData: DataFile[] | null;
}

/** The model `job.fused` is compared with, when it is not `job.original`: a file the user opened for it. */
export type Reference = { kind: 'original' } | { kind: 'file'; name: string; file: Blob };

export type VerifyTask =
  /** `model`: the open model's number (a new one for each model opened or data files given), under which the worker keeps its original's session. */
  | { kind: 'verify'; job: VerifyJob; given: PageInputs; reference: Reference; model: number }
  | { kind: 'per-value'; job: VerifyJob; given: PageInputs; reference: Reference }
  /** onnxruntime's optimizer on `job.fused` (the model on screen): disabled against `level`. */
  | { kind: 'ort-check'; job: VerifyJob; given: PageInputs; level: OrtLevel };

/** A per-value report with the drawn node (of the model on screen) that writes each compared value. */
export interface PerValueResult {
  report: PerValueReport;
  nodeOf: Record<string, string>;
}

export type VerifyOutcome = { kind: 'verify'; report: VerifyReport } | { kind: 'per-value'; result: PerValueResult } | { kind: 'ort-check'; report: OrtCheckReport };

export interface InspectorApi {
  /** Parses, analyses and lays out a file (a File is read in the worker). */
  open: { params: { fileName: string; bytes: ArrayBuffer | Blob; extra?: DataFile[] }; result: Snapshot };
  /** Runs the whole pipeline once on a small built-in model in a throwaway session, so the first real file finds the code compiled. */
  warm: { params: Record<string, never>; result: null };
  /** Builds the playground's model from its spec and opens it like a file. */
  playground: { params: { spec: PlaygroundSpec }; result: Snapshot };
  /** More external data files for the open model. */
  attach: { params: { files: DataFile[] }; result: Snapshot };
  fuse: { params: { only?: string[]; ignoreAxisRule?: boolean }; result: Snapshot };
  /** How much the nodes say in every layout from now on (the page's Compact / Detailed switch; then a `layout` draws it). */
  setDensity: { params: { density: Density }; result: null };
  /** Cancellable. */
  layout: { params: { expanded: string[] }; result: LayoutResult };
  undo: { params: Record<string, never>; result: Snapshot };
  redo: { params: Record<string, never>; result: Snapshot };
  details: { params: { nodeId: string }; result: NodeDetails | null };
  preview: { params: { pairId: string }; result: FoldPreview | null };
  /** Copies of the original and current bytes for the verification worker. */
  verifyJob: { params: { dims?: Record<string, number> }; result: VerifyJob };
  /** A copy of the current bytes alone, for the verification worker to make the fused session ahead. */
  fusedJob: { params: Record<string, never>; result: FusedJob };
  /** Remembers a verification of the current state (for the report); says whether the state is incorrect. */
  setVerify: { params: { report: VerifyReport }; result: { incorrect: boolean } };
  cancel: { params: { target: number }; result: null };
  download: { params: Record<string, never>; result: { fileName: string; bytes: ArrayBuffer; incorrect: boolean } };
  compare: { params: { expanded: string[] }; result: Comparison };
  report: { params: Record<string, never>; result: { json: PairsReport; markdown: string } };
}

export type Method = keyof InspectorApi;
export type Params<M extends Method> = InspectorApi[M]['params'];
export type Result<M extends Method> = InspectorApi[M]['result'];

/** A request as posted to the worker. */
export type Request = { [M in Method]: { id: number; method: M; params: Params<M> } }[Method];

export interface ErrorInfo {
  /** An OnnxReadError code, CANCELLED, or ERROR. */
  code: string;
  message: string;
}

/** What the worker posts back for request `id`. */
export type WorkerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ErrorInfo }
  | { id: number; progress: { stage: string; fraction: number } }
  /** A slice of a large array of the coming result (chunks.ts), sent ahead of it. */
  | { id: number; part: Part };

/** The open model's original and data files, for the verification worker to make its session ahead. */
export interface PrepareJob {
  model: number;
  original: ArrayBuffer;
  externalData: { path: string; data: ArrayBuffer }[];
}

/** What the page posts to the verification worker; only a task is answered. */
export type VerifyRequest =
  /** Start onnxruntime-web now, while the page is idle, so the first verify finds it running. */
  | { kind: 'start' }
  /** Make the session of the open model's original now, and keep it while that model stays open. */
  | { kind: 'prepare'; job: PrepareJob }
  /** The model on screen changed (a fold, undo or redo): make its session now, in place of the one made for an earlier state. */
  | { kind: 'prepare-fused'; model: number; job: FusedJob }
  /** The model is closed or another opened: release what is kept for it. */
  | { kind: 'release' }
  | { kind: 'task'; task: VerifyTask };

export type VerifyMessage = { progress: { stage: string; fraction: number } } | { outcome: VerifyOutcome } | { error: VerifyFailure };
