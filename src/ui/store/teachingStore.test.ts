/**
 * The page store's lessons and playground (TeachingStore), in Node with the fakes of
 * testing/storeFakes.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { LESSONS } from '../../examples/lessons';
import { noCurrentModel } from './pageState';
import { FakeEnv, started } from './testing/storeFakes';

describe('the page store’s lessons and playground', () => {
  it('while the playground’s form has an error, no model is current: fuse, verify, download and compare do nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { store, env, state } = await started(new FakeEnv());
      await store.openPlayground();
      expect(noCurrentModel(state())).toBeNull();
      store.setPlaygroundField('input', 'batch, 5, 3'); // Gemm on rank 3: refused
      expect(noCurrentModel(state())).toBe('The form has an error: no model is built.');
      await store.fuse(undefined);
      expect(state().snapshot?.step).toBe(0);
      await store.verify();
      expect(state().verify).toBeNull();
      await store.download();
      expect(env.saved).toEqual([]);
      await store.toggleCompare();
      expect(state().comparison).toBeNull();
      // Fixed, the model is current again and the actions act on it.
      store.setPlaygroundField('input', 'batch, 3');
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(state().busy).toBeNull());
      await store.fuse(undefined);
      expect(state().snapshot?.step).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('building the playground model tells the verifier the page is busy, before the new model’s session is asked for', async () => {
    const { store, verifier } = await started(new FakeEnv());
    expect(verifier.told).toEqual(['busy', 'release', 'prepare 1']);
    await store.openPlayground();
    expect(verifier.told).toEqual(['busy', 'release', 'prepare 1', 'busy', 'release', 'prepare 2']);
  });

  it('a lesson opens its example with its pair selected, is remembered as seen, and lives in the URL', async () => {
    const { store, env, state } = await started(new FakeEnv());
    await store.openLesson('coincidence');
    expect(state().snapshot?.fileName).toBe('coincidence_3d.onnx');
    expect(state().selectedPair).toBe('y');
    expect(state().lesson).toBe('coincidence');
    expect(env.search).toEqual({ lesson: 'coincidence' });
    expect(JSON.parse(env.settings.get('fusion-inspector.lessons-visited')!)).toEqual(['coincidence']);
    store.stepLesson(1);
    await vi.waitFor(() => expect(state().snapshot?.fileName).toBe(`${LESSONS[3].example}.onnx`));
    expect(state().lesson).toBe(LESSONS[3].id);
    // A reload with ?lesson= reopens it, with the progress kept.
    const again = new FakeEnv();
    again.search = { lesson: 'seed' };
    again.settings = env.settings;
    const b = await started(again);
    expect(b.state().lesson).toBe('seed');
    expect(b.state().selectedPair).toBe('y');
    expect(b.state().visitedLessons).toEqual(['coincidence', LESSONS[3].id, 'seed']);
    // Picking a plain example leaves the path.
    await b.store.pickExample(b.state().examples!.examples[0]);
    expect(b.state().lesson).toBeNull();
  });

  it('an unknown lesson in the URL falls back to the default model; an unknown id asked for is an error', async () => {
    const env = new FakeEnv();
    env.search = { lesson: 'nope' };
    const { store, state } = await started(env);
    expect(state().snapshot?.fileName).toBe('mlp.onnx');
    await store.openLesson('nope');
    expect(state().error?.title).toBe('No such lesson');
  });

  it('the playground rebuilds on a valid form, shows problems for an invalid one, and keeps the form in the URL', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { store, env, state } = await started(new FakeEnv());
      await store.openPlayground();
      expect(state().snapshot?.fileName).toBe('playground.onnx');
      expect(state().snapshot?.pairs[0].fusable).toBe(true);
      expect(state().selectedPair).toBe(state().snapshot?.pairs[0].id);
      const openSeq = state().openSeq;
      store.setPlaygroundField('input', 'batch, 5, 3');
      expect(state().playground?.problems.join(' ')).toContain('Gemm takes a 2-D input');
      await vi.advanceTimersByTimeAsync(500);
      expect(state().openSeq).toBe(openSeq);
      store.setPlaygroundField('linear', 'MatMul');
      expect(state().playground?.problems).toEqual([]);
      expect(env.search).toMatchObject({ play: '1', in: 'batch, 5, 3', lin: 'MatMul' });
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(state().openSeq).toBe(openSeq + 1));
      expect(state().snapshot?.pairs[0].reasons.map((r) => r.code)).toEqual(['LINEAR_OUTPUT_RANK']);
      store.closePlayground();
      expect(state().playground).toBeNull();
      expect(env.search).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });
});
