/** The comparison's changes: one per folded place, in the order the original graph computes them. */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import { corpusBytes, corpusIt } from '../testing/corpus';
import { InspectorSession } from './inspectorSession';
import { EXAMPLES } from '../../examples/catalog';
import type { Comparison } from './types';

/**
 * x → fc1 → bn1 → relu1 → fc2 → bn2 → relu2 → fc3 → bn3 → y, its nodes written to the file in
 * `fileOrder` (names of the nodes above): graph order is then not file order.
 */
function chain(fileOrder: string[]): Uint8Array {
  const r = seededRandom(3);
  const b = new ModelBuilder().opset(14);
  b.input('x', [2, 4]).output('y');
  const nodes = new Map<string, () => void>();
  let prev = 'x';
  for (const k of [1, 2, 3]) {
    const [inp, lin, bn, relu] = [prev, `l${k}`, `b${k}`, k === 3 ? 'y' : `r${k}`];
    b.init(`w${k}`, [4, 4], randomValues(r, 16));
    for (const p of ['s', 'o', 'm', 'v']) b.init(`${p}${k}`, [4], randomValues(r, 4, 0.5, 1));
    nodes.set(`fc${k}`, () => b.node('Gemm', [inp, `w${k}`], [lin], { transB: 1 }, `fc${k}`));
    nodes.set(`bn${k}`, () => b.node('BatchNormalization', [lin, `s${k}`, `o${k}`, `m${k}`, `v${k}`], [k === 3 ? 'y' : bn], {}, `bn${k}`));
    if (k < 3) nodes.set(`relu${k}`, () => b.node('Relu', [bn], [relu], {}, `relu${k}`));
    prev = relu;
  }
  for (const n of fileOrder) nodes.get(n)!();
  return writeModel(b.build());
}

/** The comparison after folding every pair, and the original's node names by id. */
function compared(bytes: Uint8Array, name: string): { c: Comparison; nameOf: (id: string) => string } {
  const s = new InspectorSession();
  const snap = s.open(name, bytes);
  const names = new Map(snap.nodes.map((n) => [n.id, n.name]));
  s.fuse(undefined);
  const all = snap.groups.map((g) => g.id);
  return { c: s.compare(all), nameOf: (id) => names.get(id) ?? id };
}

describe('changesInOrder', () => {
  it('one change per folded pair, Linear and BN together, in graph order whatever the file order', () => {
    const fileOrder = ['fc3', 'bn3', 'relu2', 'fc1', 'bn2', 'relu1', 'fc2', 'bn1'];
    // A valid order to read from: the builder keeps the order given, and the reader sorts.
    const { c, nameOf } = compared(chain(fileOrder), 'shuffled.onnx');
    expect(c.changes.map((ch) => ch.original.map(nameOf))).toEqual([
      ['fc1', 'bn1'],
      ['fc2', 'bn2'],
      ['fc3', 'bn3'],
    ]);
    // The BN is removed, the Linear rewritten: the fused side lists the Linear's counterpart.
    const counterpart = new Map(c.counterparts);
    for (const ch of c.changes) {
      expect(ch.fused).toEqual([counterpart.get(ch.original[0])]);
      expect(c.removed).toContain(ch.original[1]);
    }
  });

  it('each change is anchored at the same places in both panes (counterparts, laid out alike)', () => {
    const { c } = compared(chain(['fc1', 'bn1', 'relu1', 'fc2', 'bn2', 'relu2', 'fc3', 'bn3']), 'chain.onnx');
    const counterpart = new Map(c.counterparts);
    const at = (side: 'original' | 'fused', id: string) => {
      const it = c[side].layout.items.find((i) => i.id === id);
      return it && [it.x, it.y];
    };
    for (const ch of c.changes) {
      expect(ch.anchor.original.length).toBeGreaterThan(0);
      ch.anchor.original.forEach((o, i) => {
        expect(ch.anchor.fused[i]).toBe(counterpart.get(o));
        expect(at('fused', ch.anchor.fused[i])).toEqual(at('original', o));
      });
    }
  });

  it('file order is not what orders them: the same model written in order gives the same changes by name', () => {
    const inOrder = compared(chain(['fc1', 'bn1', 'relu1', 'fc2', 'bn2', 'relu2', 'fc3', 'bn3']), 'a.onnx');
    const reversed = compared(chain(['bn3', 'fc3', 'relu2', 'bn2', 'fc2', 'relu1', 'bn1', 'fc1']), 'b.onnx');
    const names = (x: typeof inOrder) => x.c.changes.map((ch) => ch.original.map(x.nameOf));
    expect(names(reversed)).toEqual(names(inOrder));
    // And the ids differ (file positions), so the order really comes from the graph.
    expect(reversed.c.changes[0].original).not.toEqual(inOrder.c.changes[0].original);
  });

  it('every example: one change per folded pair, whatever its pattern (BN→Linear, Linear→Transpose→BN, …)', () => {
    for (const e of EXAMPLES) {
      const s = new InspectorSession();
      const snap = s.open(e.id, writeModel(e.build()));
      if (!snap.pairs.some((p) => p.fusable)) continue;
      const folded = s.fuse(undefined).lastFuse!.folded.length;
      expect(s.compare(snap.groups.map((g) => g.id)).changes, e.id).toHaveLength(folded);
    }
  });

  corpusIt('MobileNetV3: a BN folded just before the next pair’s Conv leaves two changes, not one', () => {
    const s = new InspectorSession();
    const snap = s.open('mobilenet_v3_small.onnx', corpusBytes('mobilenet_v3_small.onnx'));
    const folded = s.fuse(undefined).lastFuse!.folded.length;
    expect(s.compare(snap.groups.map((g) => g.id)).changes).toHaveLength(folded);
  });

  corpusIt('the ViT: Fuse all leaves one change, its head BN, in the groups that hold it', () => {
    const { c, nameOf } = compared(corpusBytes('vit_tiny_encoder12.onnx'), 'vit.onnx');
    expect(c.changes).toHaveLength(1);
    const [ch] = c.changes;
    expect(ch.original.some((id) => c.removed.includes(id))).toBe(true);
    expect(ch.original.map(nameOf).join(' ')).toMatch(/BatchNormalization/);
    expect(ch.anchor.original.length).toBeGreaterThan(0);
  });

  corpusIt('face_embedding: five changes, the trunk’s in depth order, then the head', () => {
    const { c, nameOf } = compared(corpusBytes('face_embedding.onnx'), 'face.onnx');
    const bns = c.changes.map((ch) => ch.original.map(nameOf).find((n) => n.includes('BatchNormalization')));
    expect(bns).toEqual(['/trunk/trunk.1/BatchNormalization', '/trunk/trunk.4/BatchNormalization', '/trunk/trunk.7/BatchNormalization', '/trunk/trunk.10/BatchNormalization', expect.stringMatching(/BatchNormalization/)]);
    expect(bns[4]).not.toMatch(/trunk/);
  });
});
