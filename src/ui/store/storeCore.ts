/**
 * The state container under the page store: one immutable state, listeners notified once per turn,
 * and the two ways actions end — progress with errors and cancellation caught (`run`), or a quick
 * call whose failure becomes the page's error (`guard`).
 */
import { CancelledError } from '../worker/verifier';
import { WorkerError } from '../worker/client';
import { INITIAL_STATE, type Busy, type PageError, type PageState } from './pageState';
import type { Progress } from '../../core/session/inspectorSession';

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How `run` shows and ends an action. */
export interface RunOptions {
  /** Offered on the progress banner. */
  cancel?: () => void;
  /** Show progress only after this long (0: at once). */
  quietMs?: number;
  /** The notice when the action is cancelled. */
  cancelled?: string;
}

export abstract class StoreCore {
  protected state: PageState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private notifyPending = false;

  getState = (): PageState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called after every change, with the state before and after it. */
  protected abstract changed(prev: PageState, next: PageState): void;

  protected set(patch: Partial<PageState>): void {
    const prev = this.state;
    this.state = { ...prev, ...patch };
    this.changed(prev, this.state);
    // Several changes in one turn (a snapshot, its layout, the end of `busy`) make one render, not one each.
    if (this.notifyPending) return;
    this.notifyPending = true;
    queueMicrotask(() => {
      this.notifyPending = false;
      for (const l of this.listeners) l();
    });
  }

  /**
   * Runs a slow action with progress; errors and cancellation end up in the page state. With
   * `quietMs`, the progress appears only if the action is still running after that long: opening a
   * small file or opening one group is over before a banner could be read, and drawing one slowed
   * the work. The banner is cleared only while it is still this action's (a later one may own it).
   * `errorTitle` may be a function of the error, for a title and message that depend on what failed.
   */
  protected async run<T>(what: string, fn: (progress: Progress) => Promise<T>, errorTitle: string | ((e: unknown) => PageError), opts: RunOptions = {}): Promise<T | null> {
    const { cancel, quietMs = 0, cancelled = `${what} was cancelled; nothing changed.` } = opts;
    let busy: Busy = { what, stage: 'Starting', fraction: 0, cancel };
    let shown = quietMs <= 0;
    const timer = shown
      ? undefined
      : setTimeout(() => {
          shown = true;
          this.set({ busy });
        }, quietMs);
    if (shown) this.set({ busy, error: null });
    else if (this.state.error) this.set({ error: null });
    try {
      return await fn((stage, fraction) => {
        busy = { what, stage, fraction, cancel };
        if (shown) this.set({ busy });
      });
    } catch (e) {
      if (e instanceof CancelledError || (e instanceof WorkerError && e.code === 'CANCELLED')) this.set({ notice: cancelled });
      else this.set({ error: typeof errorTitle === 'string' ? { title: errorTitle, message: messageOf(e) } : errorTitle(e) });
      return null;
    } finally {
      clearTimeout(timer);
      if (shown && this.state.busy === busy) this.set({ busy: null });
    }
  }

  /** A quick action with no progress: any failure becomes the page's error. */
  protected async guard(errorTitle: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.set({ error: { title: errorTitle, message: messageOf(e) } });
    }
  }
}
