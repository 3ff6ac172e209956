import { describe, expect, it } from 'vitest';
import { InspectorSession } from '../../core/session/inspectorSession';
import { writeModel } from '../../core/onnx/modelIO';
import { syntheticModel } from '../../examples/synthetic';
import { ROOT } from '../../core/view/hierarchy';
import type { LayoutResult } from '../../core/view/groupLayout';
import { AHEAD_MAX_NODES, everyGroupOpen, openableGroups, WholeLayoutAhead } from './wholeLayout';

/** A session on a synthetic model; `asked` lists the groups each layout request opened. */
function setup(nodes: number) {
  const session = new InspectorSession();
  const snapshot = session.open('s.onnx', writeModel(syntheticModel({ nodes })), () => {});
  const asked: string[][] = [];
  const fetch = (expanded: string[]): Promise<LayoutResult> => {
    asked.push(expanded);
    return Promise.resolve(session.relayout(expanded));
  };
  // The idle callback, run by hand.
  const pending: (() => void)[] = [];
  const ahead = new WholeLayoutAhead((f) => pending.push(f));
  const idle = async () => {
    for (const f of pending.splice(0)) f();
    await Promise.resolve();
  };
  return { session, snapshot, asked, fetch, ahead, idle };
}

describe('the whole layout, ahead', () => {
  it('is asked for when the page is idle, with every group open, and is then the layout Expand all would get', async () => {
    const { session, snapshot, asked, fetch, ahead, idle } = setup(300);
    ahead.ask(snapshot, 'compact', fetch);
    expect(asked).toEqual([]);
    expect(ahead.take(snapshot, 'compact')).toBeNull();
    await idle();
    const all = snapshot.groups.map((g) => g.id).filter((g) => g !== ROOT);
    expect(asked).toEqual([all]);
    // What is drawn (`laidOut` names the groups a call laid out for the first time: none when asked again).
    const { items, edges, density } = session.relayout(all);
    expect(ahead.take(snapshot, 'compact')).toMatchObject({ items, edges, density });
    // Asked once per snapshot and density.
    ahead.ask(snapshot, 'compact', fetch);
    await idle();
    expect(asked.length).toBe(1);
  });

  it('is not used for another snapshot or in the other density, and a newer ask drops an older reply', async () => {
    const { session, snapshot, fetch, ahead, idle } = setup(300);
    ahead.ask(snapshot, 'compact', fetch);
    await idle();
    expect(ahead.take(snapshot, 'detailed')).toBeNull();
    const after = session.fuse(undefined, false);
    expect(ahead.take(after, 'compact')).toBeNull();
    // Two asks before the page is idle: only the later is sent.
    let sent = 0;
    const counting = (e: string[]) => (sent++, fetch(e));
    ahead.ask(snapshot, 'detailed', counting);
    ahead.ask(after, 'compact', counting);
    await idle();
    expect(sent).toBe(1);
    expect(ahead.take(after, 'compact')).not.toBeNull();
    expect(ahead.take(snapshot, 'compact')).toBeNull();
  });

  it('is not asked for a model too big to send ahead, nor for one whose first view has every group open', async () => {
    const big = setup(AHEAD_MAX_NODES + 1000);
    expect(big.snapshot.nodes.length).toBeGreaterThan(AHEAD_MAX_NODES);
    big.ahead.ask(big.snapshot, 'compact', big.fetch);
    await big.idle();
    expect(big.asked).toEqual([]);
    const small = setup(20);
    expect(everyGroupOpen(small.snapshot, small.snapshot.expanded)).toBe(true);
    small.ahead.ask(small.snapshot, 'compact', small.fetch);
    await small.idle();
    expect(small.asked).toEqual([]);
  });

  it('says every group is open only when each one but the root is', () => {
    const { snapshot } = setup(300);
    const all = openableGroups(snapshot);
    expect(all.length).toBeGreaterThan(1);
    expect(all).not.toContain(ROOT);
    expect(everyGroupOpen(snapshot, all)).toBe(true);
    expect(everyGroupOpen(snapshot, all.slice(1))).toBe(false);
    expect(everyGroupOpen(snapshot, snapshot.expanded)).toBe(false);
  });
});
