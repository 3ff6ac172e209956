import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTask, QuietQueue } from './idle';

describe('QuietQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds work until the page has been quiet for its time since the last add, then runs it in order', () => {
    const ran: string[] = [];
    const q = new QuietQueue(3000, (f) => f());
    q.add(() => ran.push('a'));
    vi.advanceTimersByTime(2000);
    q.add(() => ran.push('b'));
    vi.advanceTimersByTime(2999);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a', 'b']);
    expect(q.pending).toBe(0);
  });

  it('runs what it holds at once on flush, and not again when its time comes', () => {
    const ran: string[] = [];
    const q = new QuietQueue(3000, (f) => f());
    q.add(() => ran.push('a'));
    q.flush();
    expect(ran).toEqual(['a']);
    vi.advanceTimersByTime(5000);
    expect(ran).toEqual(['a']);
  });

  it('after the quiet time, waits for the idle callback', () => {
    const ran: string[] = [];
    let idle: (() => void) | null = null;
    const q = new QuietQueue(100, (f) => (idle = f));
    q.add(() => ran.push('a'));
    vi.advanceTimersByTime(100);
    expect(ran).toEqual([]);
    idle!();
    expect(ran).toEqual(['a']);
  });
});

describe('QuietQueue.busy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('makes what is held wait its whole time again, even once its idle callback was asked for', () => {
    const ran: string[] = [];
    const idles: (() => void)[] = [];
    const q = new QuietQueue(3000, (f) => idles.push(f));
    q.add(() => ran.push('a'));
    vi.advanceTimersByTime(2900);
    // A model starts opening just before the warm-up was due.
    q.busy();
    vi.advanceTimersByTime(2999);
    expect(idles).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(idles).toHaveLength(1);
    // Busy again before the page went idle: that callback runs nothing, the next one does.
    q.busy();
    idles[0]();
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(3000);
    idles[1]();
    expect(ran).toEqual(['a']);
  });

  it('with nothing held, sets no timer', () => {
    const q = new QuietQueue(3000, (f) => f());
    q.busy();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('nextTask', () => {
  it('resolves in a later task: after the microtasks queued with it, in the order asked, with timers faked', async () => {
    vi.useFakeTimers();
    try {
      const order: string[] = [];
      const a = nextTask().then(() => order.push('task a'));
      const b = nextTask().then(() => order.push('task b'));
      void Promise.resolve().then(() => order.push('microtask'));
      await Promise.all([a, b]);
      expect(order).toEqual(['microtask', 'task a', 'task b']);
    } finally {
      vi.useRealTimers();
    }
  });
});
