import { describe, expect, it } from 'vitest';
import type { ViewNode } from '../view/graphView';
import type { LayoutResult, VisibleItem } from '../view/groupLayout';
import { layoutToSvg } from './svgExport';

function column(n: number): { layout: LayoutResult; nodes: Map<string, ViewNode> } {
  const items: VisibleItem[] = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: 'node', x: 10, y: 5 + i * 100, width: 240, height: 68, depth: 0 }));
  const nodes = new Map(items.map((it): [string, ViewNode] => [it.id, { id: it.id, kind: 'op', opType: 'Relu', name: it.id, outputs: '[1]' }]));
  return { layout: { items, edges: [], laidOut: [], density: 'detailed' }, nodes };
}

describe('the view as SVG', () => {
  it('is sized to the layout with a margin, the origin included', () => {
    const { layout, nodes } = column(3);
    const svg = layoutToSvg(layout, nodes, new Map());
    // x from min(0, 10) − 20 to 10 + 240 + 20; y from min(0, 5) − 20 to 205 + 68 + 20.
    expect(svg).toContain('viewBox="-20 -20 290 313"');
    expect(svg.match(/<rect /g)).toHaveLength(4);
  });

  it('exports an expanded graph of 150,000 items (the bounds are not a spread into Math.max)', () => {
    const { layout, nodes } = column(150_000);
    expect(layoutToSvg(layout, nodes, new Map())).toContain(`height="${5 + 149_999 * 100 + 68 + 20 + 20}"`);
  });
});
