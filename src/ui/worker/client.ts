/** A promise-based handle on the inspector worker. */
import type { ErrorInfo, Reply, Request, WorkerMessage } from './protocol';

export class WorkerError extends Error {
  readonly code: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
  }
}

type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void; onProgress?: (stage: string, fraction: number) => void };

export class InspectorClient {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

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
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.reply);
      else p.reject(new WorkerError(msg.error));
    };
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      for (const p of this.pending.values()) p.reject(new WorkerError({ code: 'ERROR', message: `The worker failed: ${ev.message || 'unknown error'}` }));
      this.pending.clear();
    };
  }

  request<T extends Reply['type']>(req: Request, onProgress?: Pending['onProgress'], transfer: Transferable[] = []): Promise<Extract<Reply, { type: T }>> {
    return this.start<T>(req, onProgress, transfer).done;
  }

  /** Like `request`, with the id a later `cancel` needs. */
  start<T extends Reply['type']>(req: Request, onProgress?: Pending['onProgress'], transfer: Transferable[] = []): { id: number; done: Promise<Extract<Reply, { type: T }>> } {
    const id = this.next++;
    const done = new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Reply) => void, reject, onProgress });
      this.worker.postMessage({ id, req }, transfer);
    });
    return { id, done };
  }

  /** Asks the worker to stop request `id` at its next check; it then fails with code CANCELLED. */
  cancel(id: number): void {
    void this.request({ type: 'cancel', target: id });
  }
}
