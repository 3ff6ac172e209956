/**
 * The page store's graph view (ViewingStore): late replies dropped, progress only when slow, the
 * hash applied once, Expand all from the whole layout made ahead. In Node with the fakes of
 * testing/storeFakes.ts.
 */
import { describe, expect, it } from 'vitest';
import { writeModel } from '../../core/onnx/modelIO';
import { WorkerError } from '../worker/client';
import type { Params } from '../worker/protocol';
import { syntheticModel } from '../../examples/synthetic';
import { openableGroups } from './wholeLayout';
import { FakeEnv, started } from './testing/storeFakes';
import { nextTask } from '../idle';

describe('the page store’s graph view', () => {
  it('a late reply for an earlier request is dropped (details of A arriving after B was clicked)', async () => {
    const { store, client, state } = await started();
    const [a, b] = state().snapshot!.nodes.filter((n) => n.kind === 'op');
    client.hold.add('details');
    const first = store.selectNode(a.id);
    const second = store.selectNode(b.id);
    client.release([1, 0]); // B's reply first, then A's
    await Promise.all([first, second]);
    expect(state().selectedNode).toBe(b.id);
    expect(state().details?.id).toBe(b.id);
  });

  it("a node's details show progress only when slow (the worker reading the model again), and the banner goes with the reply", async () => {
    const { store, client, state } = await started();
    const seen: (string | null)[] = [];
    store.subscribe(() => seen.push(state().busy?.what ?? null));
    const [a, b] = state().snapshot!.nodes.filter((n) => n.kind === 'op');
    await store.selectNode(a.id);
    expect(state().details?.id).toBe(a.id);
    expect(seen.filter((w) => w !== null)).toEqual([]);
    client.hold.add('details');
    const slow = store.selectNode(b.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(state().busy).toBeNull();
    await new Promise((r) => setTimeout(r, 250));
    expect(state().busy?.what).toBe('Reading the node');
    client.release([0]);
    await slow;
    expect(state().busy).toBeNull();
    expect(state().details?.id).toBe(b.id);
  });

  it('a layout shows progress only when slow, never takes away a later banner, and when cancelled or failed keeps the groups that were open', async () => {
    const { store, client, state } = await started();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const seen: (string | null)[] = [];
    store.subscribe(() => seen.push(state().busy?.what ?? null));
    const open = state().expanded;
    // A quick layout: never a banner.
    await expect(store.applyExpanded([...open])).resolves.toBe(true);
    expect(seen.filter((w) => w !== null)).toEqual([]);
    // A slow one: a banner with Cancel after 150 ms.
    client.hold.add('layout');
    const slow = store.applyExpanded([...open, 'some-group']);
    await sleep(50);
    expect(state().busy).toBeNull();
    await sleep(250);
    expect(state().busy?.what).toBe('Laying out');
    expect(state().busy?.cancel).toBeTypeOf('function');
    // Fusing takes the banner; the layout ending under it leaves the banner to Fusing.
    client.hold.add('fuse');
    const fusing = store.fuse(undefined);
    await Promise.resolve();
    expect(state().busy?.what).toBe('Fusing');
    client.release([0]);
    await expect(slow).resolves.toBe(true);
    expect(state().busy?.what).toBe('Fusing');
    client.hold.delete('layout');
    client.release([0]);
    await fusing;
    expect(state().busy).toBeNull();
    client.hold.clear();
    // Cancelled, then failed: the groups open before stay open.
    const before = state().expanded;
    client.fail.set('layout', new WorkerError({ code: 'CANCELLED', message: 'cancelled' }));
    await expect(store.applyExpanded([...before, 'another-group'])).resolves.toBe(false);
    expect(state().expanded).toEqual(before);
    expect(state().notice).toBe('Layout cancelled; the previous view is kept.');
    expect(state().error).toBeNull();
    client.fail.set('layout', 'the worker ran out of memory');
    await expect(store.applyExpanded([...before, 'another-group'])).resolves.toBe(false);
    expect(state().expanded).toEqual(before);
    expect(state().error).toEqual({ title: 'Could not lay out the graph', message: 'the worker ran out of memory' });
    expect(state().busy).toBeNull();
  });

  it('the hash the page was opened with is applied once, to the first model', async () => {
    const env = new FakeEnv('/examples/mlp.onnx', { node: null, pair: 'y', open: [] });
    const { state } = await started(env);
    expect(state().selectedPair).toBe('y');
    expect(env.hash.pair).toBe('y');
  });

  it('a layout of thousands of items is drawn in a task after the one receiving it, and one asked for meanwhile overtakes it', async () => {
    const { store, client, state } = await started();
    await store.openFile(new File([writeModel(syntheticModel({ nodes: 3000 })).slice()], 'big.onnx'));
    const all = openableGroups(state().snapshot!);
    const first = state().layout!;
    client.hold.add('layout');
    const big = store.applyExpanded(all);
    await new Promise((r) => setTimeout(r, 0));
    client.release([0]);
    // A task queued as the reply arrives runs before the drawing: the first view is still on screen then.
    let onScreen = null as typeof first | null;
    const queued = nextTask().then(() => (onScreen = state().layout));
    client.hold.delete('layout');
    await queued;
    expect(onScreen).toBe(first);
    expect(await big).toBe(true);
    expect(state().layout!.items.length).toBeGreaterThan(2000);
    expect(state().layout!.items.length).toBe(client.session.relayout(all).items.length);

    // Collapse all asked while the whole layout waits for its task: the whole one is dropped.
    await store.collapseAll();
    client.hold.add('layout');
    const again = store.applyExpanded(all);
    await new Promise((r) => setTimeout(r, 0));
    client.release([0]);
    client.hold.delete('layout');
    // Asked in a task queued before the drawing's: the whole layout has arrived and waits for its task.
    let collapsed: Promise<boolean> | null = null;
    await nextTask().then(() => (collapsed = store.applyExpanded([])));
    expect(await again).toBe(false);
    expect(await collapsed).toBe(true);
    expect(state().expanded).toEqual([]);
    expect(state().layout!.items.length).toBeLessThan(100);
  });

  it('Expand all draws the whole layout asked for while the page was idle, without asking the worker; a fold or the other density asks again', async () => {
    const { store, client, state } = await started();
    const idle = () => new Promise((r) => setTimeout(r, 20));
    const { asked: layouts } = layoutCalls(client);
    await store.openFile(new File([writeModel(syntheticModel({ nodes: 300 })).slice()], 'synthetic.onnx'));
    const all = openableGroups(state().snapshot!);
    expect(state().expanded.length).toBeLessThan(all.length);
    await idle();
    // Asked once, ahead, with every group open.
    expect(layouts).toEqual([all]);
    // Drawn in a task after the click's: a task queued just before the click still sees the grouped view.
    const grouped = state().layout;
    let onScreen = null as typeof grouped;
    const queued = nextTask().then(() => (onScreen = state().layout));
    const expanding = store.expandAll();
    await queued;
    expect(onScreen).toBe(grouped);
    await expanding;
    expect(layouts).toHaveLength(1);
    expect(state().expanded).toEqual(all);
    const { items, edges } = client.session.relayout(all);
    expect(state().layout).toMatchObject({ items, edges });
    // Centred on the first pair, as a laid-out-on-request Expand all is.
    const pair = state().snapshot!.pairs[0];
    expect(state().focus).toMatchObject({ nodeIds: [...pair.linearNodeIds, pair.bnNodeId], place: 'start' });
    // A fold: the old whole layout is not the new model's.
    await store.collapseAll();
    await store.fuse(undefined);
    await idle();
    const fused = openableGroups(state().snapshot!);
    const asked = layouts.length;
    await store.expandAll();
    expect(layouts).toHaveLength(asked);
    expect(state().layout).toMatchObject({ items: client.session.relayout(fused).items });
    // The other density: drawn in it even when asked for at once, before the new whole layout is back.
    await store.collapseAll();
    const switching = store.setDensity('detailed');
    await switching;
    await store.expandAll();
    expect(state().layout?.density).toBe('detailed');
  });

  it('a Collapse all clicked while Expand all waits for its task wins: the whole layout is never drawn', async () => {
    const { store, client, state } = await started();
    // The whole layout asked for ahead, and its reply.
    const { replies: ahead } = layoutCalls(client);
    await store.openFile(new File([writeModel(syntheticModel({ nodes: 300 })).slice()], 'synthetic.onnx'));
    while (ahead.length === 0) await new Promise((r) => setTimeout(r, 5));
    await ahead[0];
    const all = openableGroups(state().snapshot!);
    const drawn: number[] = [];
    store.subscribe(() => drawn.push(state().expanded.length));
    const expanding = store.expandAll();
    const collapsing = store.collapseAll();
    await Promise.all([expanding, collapsing]);
    // Drawn from the layout made ahead, the worker not asked again for it.
    expect(ahead).toHaveLength(2);
    expect(state().expanded).toEqual([]);
    expect(drawn).not.toContain(all.length);
    expect(state().layout!.items).toEqual(client.session.relayout([]).items);
  });
});

/** Records every layout the store asks the worker for: the groups open in it, and its reply. */
function layoutCalls(client: Awaited<ReturnType<typeof started>>['client']): { asked: string[][]; replies: Promise<unknown>[] } {
  const asked: string[][] = [];
  const replies: Promise<unknown>[] = [];
  const start = client.start.bind(client);
  client.start = ((method, params) => {
    const call = start(method, params);
    if (method === 'layout') {
      asked.push((params as Params<'layout'>).expanded);
      replies.push(call.done);
    }
    return call;
  }) as typeof client.start;
  return { asked, replies };
}
