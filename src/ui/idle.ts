/** When the page's work can wait: in an idle callback, or once the page has been quiet a while. */

/** Runs `f` when the page is idle (within 2 s), or soon where there is no idle callback (Node). */
export function whenIdle(f: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 2000 });
  else setTimeout(f, 0);
}

/**
 * Resolves in a task of its own, next in the event loop: a message to itself, which timers' clamping
 * and fake timers do not touch.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Work held until the page has gone `quietMs` without a new `add` (each one starts the wait again),
 * then run in an idle callback — or at once, with `flush`, when something needs it sooner.
 */
export class QuietQueue {
  private jobs: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Moves at each add or busy: an idle callback asked for before then does not run what is held. */
  private wait = 0;

  constructor(
    private readonly quietMs: number,
    private readonly idle: (f: () => void) => void = whenIdle,
  ) {}

  get pending(): number {
    return this.jobs.length;
  }

  add(job: () => void): void {
    this.jobs.push(job);
    this.restart();
  }

  /**
   * The page is busy again (a model is opening: its own add comes only once it is drawn): what is held
   * waits its whole quiet time from now, even if its idle callback was already asked for.
   */
  busy(): void {
    if (this.jobs.length > 0) this.restart();
  }

  private restart(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const wait = ++this.wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.idle(() => {
        if (wait === this.wait) this.flush();
      });
    }, this.quietMs);
  }

  /** Runs what is held now, in the order added. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const jobs = this.jobs;
    this.jobs = [];
    for (const j of jobs) j();
  }
}
