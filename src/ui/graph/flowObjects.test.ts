import { describe, expect, it } from 'vitest';
import { InspectorSession } from '../../core/session/inspectorSession';
import { writeModel } from '../../core/onnx/modelIO';
import { syntheticModel } from '../../examples/synthetic';
import { indexById } from '../../core/view/idIndex';
import { hierarchyFromGroups, ROOT } from '../../core/view/hierarchy';
import type { LayoutResult } from '../../core/view/groupLayout';
import { FlowObjects } from './flowObjects';

describe('FlowObjects', () => {
  const session = new InspectorSession();
  const snap = session.open('s.onnx', writeModel(syntheticModel({ nodes: 300 })), () => {});
  const groups = hierarchyFromGroups(snap.groups).groups;
  const objects = (layout: LayoutResult) => new FlowObjects(layout, indexById(snap.nodes), groups, undefined, () => {});
  const first = snap.layout;
  const all = session.relayout(snap.groups.map((g) => g.id).filter((g) => g !== ROOT));

  it('gives a group the same React Flow node type collapsed and open, so opening it does not make React Flow measure it again', () => {
    const before = objects(first);
    const after = objects(all);
    const opened = first.items.filter((b) => b.kind === 'box' && all.items.some((f) => f.id === b.id && f.kind === 'frame'));
    // The synthetic model's first view has collapsed groups that Expand all opens.
    expect(opened.length).toBeGreaterThan(0);
    for (const box of opened) {
      const frame = all.items.find((f) => f.id === box.id)!;
      expect(after.node(frame).type).toBe(before.node(box).type);
      // Not one of the types React Flow's stylesheet draws as a padded, bordered box of its own.
      expect(['input', 'default', 'output', 'group']).not.toContain(after.node(frame).type);
      // What still tells them apart: the data the node draws by, and the class the stylesheet reads.
      expect([before.node(box).data.expanded, after.node(frame).data.expanded]).toEqual([false, true]);
      expect([before.node(box).className, after.node(frame).className]).toEqual(['flow-box', 'flow-frame']);
    }
  });

  it("gives each op node the layout's density and the path of the group it sits in, and each edge the density (no context does)", () => {
    const o = objects(all);
    const ops = all.items.filter((it) => it.kind === 'node');
    expect(ops.length).toBeGreaterThan(0);
    // The group each op is a child of, found from the groups, not from the lookup the objects use.
    const parentPath = new Map<string, string>();
    for (const g of groups.values()) for (const c of g.children) parentPath.set(c, g.path);
    const nested = ops.filter((it) => (parentPath.get(it.id) ?? '') !== '');
    expect(nested.length).toBeGreaterThan(0);
    for (const it of ops) {
      const n = o.node(it);
      if (n.type !== 'op') throw new Error(`${it.id} is drawn as ${n.type}`);
      expect(n.data.density).toBe(all.density);
      expect(n.data.scope).toBe(parentPath.get(it.id) ?? '');
    }
    expect(all.edges.length).toBeGreaterThan(0);
    for (let i = 0; i < all.edges.length; i++) expect(o.edge(i).data?.density).toBe(all.density);
  });
});
