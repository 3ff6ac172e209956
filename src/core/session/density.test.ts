/** The Compact / Detailed switch in the worker's session: every layout after it is in the new density, sized as that density's nodes. */
import { describe, expect, it } from 'vitest';
import { InspectorSession } from './inspectorSession';
import { writeModel } from '../onnx/modelIO';
import { exampleById } from '../../examples/catalog';
import { buildGraphView } from '../view/graphView';
import { buildHierarchy } from '../view/hierarchy';
import { GroupLayout } from '../view/groupLayout';
import { analyzeModel } from '../analysis';

const mlp = exampleById('mlp')!;

/** The layout a fresh GroupLayout of this density gives the model as built (groups as given). */
function expected(density: 'compact' | 'detailed', expanded: string[]) {
  const view = buildGraphView(analyzeModel(mlp.build()));
  return new GroupLayout(view, buildHierarchy(view), density).layout(expanded);
}

describe('InspectorSession density', () => {
  it('lays the open model out again in the chosen density, keeps it for folds and undo, and holds no analysis for it', async () => {
    const s = new InspectorSession();
    const open = s.open('mlp.onnx', writeModel(mlp.build()));
    expect(open.layout.density).toBe('compact');
    const groups = open.groups.map((g) => g.id);
    s.setDensity('detailed');
    const detailed = s.relayout(groups);
    expect(detailed).toEqual(expected('detailed', groups));
    // (The two densities draw this model differently, so the check above can fail.)
    expect(detailed.items).not.toEqual(expected('compact', groups).items);
    // The view was made again from an analysis read for it, and released again.
    expect(s.holdsAnalysis()).toBe(false);
    expect(s.fuse(undefined).layout.density).toBe('detailed');
    s.undo();
    expect((await s.relayoutAsync(groups)).density).toBe('detailed');
    expect(s.compare(groups).original.layout.density).toBe('detailed');
    s.setDensity('compact');
    expect(s.relayout(groups)).toEqual(expected('compact', groups));
    // A model opened after the switch starts in it.
    s.setDensity('detailed');
    expect(s.open('mlp.onnx', writeModel(mlp.build())).layout).toEqual(expected('detailed', open.expanded));
  });
});
