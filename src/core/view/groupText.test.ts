import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../analysis';
import { attributeText } from '../onnx/attributes';
import { AttributeType, type AttributeProto } from '../onnx/types';
import { count } from '../plural';
import { BOX_MAX_WIDTH, BOX_WIDTH, GROUP_INSET, LABEL_FONT, boxLabelWidth, boxWidth, nodesText, pairCounts } from './groupText';
import type { Group } from './hierarchy';
import { fitText, textWidth } from './textWidth';
import { buildGraphView } from './graphView';
import { buildHierarchy, isGroupId } from './hierarchy';
import { GroupLayout } from './groupLayout';
import { frameHeaderWidth } from './groupText';
import { corpusBytes, corpusIt } from '../testing/corpus';

const group = (over: Partial<Group>): Group => ({ id: 'g:/a', label: 'a', path: '/a', parent: null, children: [], nodeCount: 2, ops: 'Conv ×2', fusable: 0, blocked: 0, synthetic: false, ...over });

describe('counted words', () => {
  it('one in the singular, any other number in the plural', () => {
    expect(count(1, 'node')).toBe('1 node');
    expect(count(0, 'pair')).toBe('0 pairs');
    expect(count(2, 'op')).toBe('2 ops');
    expect(nodesText(group({ nodeCount: 1 }))).toBe('1 node');
    expect(pairCounts(group({ fusable: 1, blocked: 1 })).map((p) => p.text)).toEqual(['✓ 1 fusable', '✗ 1 not fusable']);
  });

  it('an attribute holding a one-node graph says "1 node"', () => {
    const a: AttributeProto = { name: 'body', type: AttributeType.GRAPH, g: { name: 'b', node: [{ input: [], output: ['y'], opType: 'Identity', attribute: [] }] } } as unknown as AttributeProto;
    expect(attributeText(a)).toBe('graph "b" (1 node)');
  });

  it('a stored float32 attribute reads as written: the MLP example’s BatchNormalization epsilon is 1e-5', () => {
    const an = analyzeBytes(new Uint8Array(readFileSync('public/examples/mlp.onnx')));
    const bn = an.graph.nodes.find((n) => n.opType === 'BatchNormalization')!;
    const eps = bn.proto.attribute.find((x) => x.name === 'epsilon')!;
    // The stored value is the float32 nearest 1e-5, not 1e-5 itself.
    expect(eps.f).not.toBe(1e-5);
    expect(Math.fround(eps.f!)).toBe(Math.fround(1e-5));
    expect(attributeText(eps)).toBe('1e-5');
  });
});

describe('group boxes sized to their text', () => {
  it('a box is as wide as its longest line (within its bounds), in steps that keep similar groups equal', () => {
    const short = group({ label: 'a', ops: 'Conv ×2' });
    expect(boxWidth(short)).toBe(BOX_WIDTH);
    const ops = 'BatchNormalization ×1, Conv ×1, HardSwish ×1';
    const wide = group({ ops, fusable: 1 });
    expect(boxWidth(wide)).toBeGreaterThanOrEqual(textWidth(ops, { px: 13, bold: false }) + GROUP_INSET);
    expect(boxWidth(wide) % 20).toBe(0);
    expect(boxWidth(group({ label: 'x'.repeat(200) }))).toBe(BOX_MAX_WIDTH);
  });

  it('a label is shortened in the middle only when even the widest box cannot hold it', () => {
    const room = BOX_MAX_WIDTH - GROUP_INSET - boxLabelWidth('');
    expect(fitText('features.1/block', room, LABEL_FONT)).toBe('features.1/block');
    const long = `/encoder/${'layer.'.repeat(30)}attention`;
    const fitted = fitText(long, room, LABEL_FONT);
    expect(fitted).toContain('…');
    expect(fitted.startsWith('/encoder/')).toBe(true);
    expect(fitted.endsWith('attention')).toBe(true);
    expect(textWidth(fitted, LABEL_FONT)).toBeLessThanOrEqual(room);
  });

  corpusIt('MobileNetV3 expanded: each frame is as wide as its header, its children inside it and centred', () => {
    const view = buildGraphView(analyzeBytes(corpusBytes('mobilenet_v3_small.onnx')));
    const h = buildHierarchy(view);
    const r = new GroupLayout(view, h).layout([...h.groups.keys()]);
    const byId = new Map(r.items.map((i) => [i.id, i]));
    let frames = 0;
    for (const f of r.items.filter((i) => i.kind === 'frame')) {
      const g = h.groups.get(f.id)!;
      expect(f.width).toBeGreaterThanOrEqual(frameHeaderWidth(g));
      const kids = g.children.map((c) => byId.get(c)!);
      const left = Math.min(...kids.map((k) => k.x - f.x));
      const right = Math.min(...kids.map((k) => f.x + f.width - (k.x + k.width)));
      expect(left).toBeGreaterThan(0);
      expect(right).toBeGreaterThan(0);
      expect(Math.abs(left - right), f.id).toBeLessThanOrEqual(1);
      for (const k of kids) expect(k.y).toBeGreaterThan(f.y);
      frames++;
    }
    expect(frames).toBeGreaterThan(10);
    expect(r.items.some((i) => i.kind === 'frame' && isGroupId(i.id))).toBe(true);
  });
});
