import { describe, expect, it } from 'vitest';
import { WarmUp } from './warmUp';

describe('the worker warm-up', () => {
  it('gives way when asked, then carries on from where it stopped', async () => {
    const w = new WarmUp();
    let asked = 0;
    // Give way before the second step.
    await w.run(() => ++asked > 1);
    expect(w.done).toBe(false);
    expect(asked).toBe(2);
    // Resumed: it runs the steps left (three more), each after one check.
    asked = 0;
    await w.run(() => {
      asked++;
      return false;
    });
    expect(w.done).toBe(true);
    expect(asked).toBe(3);
    // Done: nothing more to run.
    asked = 0;
    await w.run(() => ++asked > 0);
    expect(asked).toBe(0);
  });
});
