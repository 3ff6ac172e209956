/** Messages between the page and its worker. Every request carries an id; replies echo it. */
import type { Comparison, FoldPreview, NodeDetails, Snapshot } from '../../core/session/inspectorSession';
import type { PairsReport } from '../../core/export/pairsReport';
import type { VerifyReport } from '../../core/verify/verify';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { VerifyJob } from './verify.worker';

/** An external data file, by its path relative to the model's folder. */
export interface DataFile {
  path: string;
  file: Blob;
}

export type Request =
  | { type: 'open'; fileName: string; bytes: ArrayBuffer | Blob; extra?: DataFile[] }
  | { type: 'attach'; files: DataFile[] }
  | { type: 'fuse'; only?: string[]; ignoreAxisRule?: boolean }
  | { type: 'layout'; expanded: string[] }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'details'; nodeId: string }
  | { type: 'preview'; pairId: string }
  | { type: 'verifyJob'; dims?: Record<string, number> }
  | { type: 'setVerify'; report: VerifyReport }
  | { type: 'cancel'; target: number }
  | { type: 'download' }
  | { type: 'compare'; expanded: string[] }
  | { type: 'report' };

export type Reply =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'layout'; layout: LayoutResult }
  | { type: 'details'; details: NodeDetails | null }
  | { type: 'preview'; preview: FoldPreview | null }
  | { type: 'verifyJob'; job: VerifyJob }
  | { type: 'verify'; incorrect: boolean }
  | { type: 'cancelled' }
  | { type: 'download'; fileName: string; bytes: ArrayBuffer; incorrect: boolean }
  | { type: 'compare'; comparison: Comparison }
  | { type: 'report'; json: PairsReport; markdown: string };

export interface ErrorInfo {
  /** An OnnxReadError code, or 'ERROR'. */
  code: string;
  message: string;
}

export type WorkerMessage =
  | { id: number; ok: true; reply: Reply }
  | { id: number; ok: false; error: ErrorInfo }
  | { id: number; progress: { stage: string; fraction: number } };
