/** A typed, promise-based handle on the inspector worker (methods and results from protocol.ts). */
import type { Progress } from '../../core/session/inspectorSession';
import type { ErrorInfo, Method, Params, Result, WorkerMessage } from './protocol';
import { joinResult, type Part } from './chunks';
import { StringTable } from './stringTable';

export class WorkerError extends Error {
  readonly code: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
  }
}

/** What the page needs of a worker; the store is tested against a fake of this. */
export interface InspectorApiClient {
  call<M extends Method>(method: M, params: Params<M>, opts?: { onProgress?: Progress; transfer?: Transferable[] }): Promise<Result<M>>;
  /** Like `call`, with the id a later `cancel` needs. */
  start<M extends Method>(method: M, params: Params<M>, opts?: { onProgress?: Progress; transfer?: Transferable[] }): { id: number; done: Promise<Result<M>> };
  /** Asks the worker to stop request `id` at its next check; it then fails with code CANCELLED. */
  cancel(id: number): void;
}

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: Progress;
  /** Slices of the result's large arrays, received ahead of it. */
  parts: Part[];
  /** One copy of each string of this reply (see stringTable.ts). */
  strings: StringTable;
}

export class InspectorClient implements InspectorApiClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./inspector.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if ('progress' in msg) {
        p.onProgress?.(msg.progress.stage, msg.progress.fraction);
        return;
      }
      if ('part' in msg) {
        p.parts.push(p.strings.intern(msg.part));
        return;
      }
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(joinResult(p.strings.intern(msg.result), p.parts));
      else p.reject(new WorkerError(msg.error));
    };
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      for (const p of this.pending.values()) p.reject(new WorkerError({ code: 'ERROR', message: `The worker failed: ${ev.message || 'unknown error'}` }));
      this.pending.clear();
    };
  }

  call<M extends Method>(method: M, params: Params<M>, opts: { onProgress?: Progress; transfer?: Transferable[] } = {}): Promise<Result<M>> {
    return this.start(method, params, opts).done;
  }

  start<M extends Method>(method: M, params: Params<M>, opts: { onProgress?: Progress; transfer?: Transferable[] } = {}): { id: number; done: Promise<Result<M>> } {
    const id = this.next++;
    const done = new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onProgress: opts.onProgress, parts: [], strings: new StringTable() });
      this.worker.postMessage({ id, method, params }, opts.transfer ?? []);
    });
    return { id, done };
  }

  cancel(id: number): void {
    // The reply to a cancel carries nothing; a failure to deliver it changes nothing either.
    this.call('cancel', { target: id }).catch(() => {});
  }
}
