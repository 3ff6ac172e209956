import { describe, expect, it } from 'vitest';
import type { ViewNode } from '../view/graphView';
import type { LayoutResult, VisibleItem } from '../view/groupLayout';
import { layoutToSvg } from './svgExport';
import { EXAMPLES } from '../../examples/catalog';
import { analyzeModel } from '../analysis';
import { buildGraphView } from '../view/graphView';
import { buildHierarchy } from '../view/hierarchy';
import { GroupLayout } from '../view/groupLayout';
import { indexById } from '../view/idIndex';
import { textWidth } from '../view/textWidth';

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

const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

interface DrawnText {
  x: number;
  y: number;
  /** The largest font size in it. */
  px: number;
  /** Its estimated width: each run's, in its own font, and the gaps between runs. */
  width: number;
  end: boolean;
  text: string;
}

/** Each op node's rect in the exported SVG with the texts drawn after it (until the next rect). */
function nodeTexts(svg: string): { rect: { x: number; y: number; width: number; height: number }; texts: DrawnText[] }[] {
  const out: ReturnType<typeof nodeTexts> = [];
  const num = (attrs: string, k: string) => Number(new RegExp(`\\b${k}="([-\\d.]+)"`).exec(attrs)?.[1]);
  for (const line of svg.split('\n')) {
    if (line.startsWith('<rect') && line.includes('rx="6"')) out.push({ rect: { x: num(line, 'x'), y: num(line, 'y'), width: num(line, 'width'), height: num(line, 'height') }, texts: [] });
    else if (line.startsWith('<rect')) out.push({ rect: { x: NaN, y: NaN, width: NaN, height: NaN }, texts: [] });
    else if (line.startsWith('<text') && out.length > 0) {
      const [, attrs, body] = /<text([^>]*)>(.*)<\/text>/.exec(line)!;
      const runs = [...body.matchAll(/<tspan([^>]*)>(.*?)<\/tspan>/g)].map((m) => ({ attrs: m[1], text: unescape(m[2]) }));
      const all = runs.length > 0 ? runs : [{ attrs: '', text: unescape(body) }];
      const fontOf = (a: string) => ({ px: num(a, 'font-size') || num(attrs, 'font-size'), bold: (a || attrs).includes('font-weight="700"') });
      const width = all.reduce((w, r) => w + (num(r.attrs, 'dx') || 0) + textWidth(r.text, fontOf(r.attrs)), 0);
      out[out.length - 1].texts.push({ x: num(attrs, 'x'), y: num(attrs, 'y'), px: Math.max(...all.map((r) => fontOf(r.attrs).px)), width, end: attrs.includes('text-anchor="end"'), text: all.map((r) => r.text).join(' ') });
    }
  }
  return out.filter((n) => !Number.isNaN(n.rect.x));
}

describe('the view as SVG, per density', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id}: compact nodes hold their one line (and a BatchNormalization's verdict and reason) inside their box, as the page draws them`, () => {
      const view = buildGraphView(analyzeModel(ex.build()));
      const h = buildHierarchy(view);
      const all = [...h.groups.keys()];
      const layout = new GroupLayout(view, h, 'compact').layout(all);
      const drawn = nodeTexts(layoutToSvg(layout, indexById(view.nodes), h.groups));
      expect(drawn.length).toBe(layout.items.filter((i) => i.kind === 'node').length);
      for (const { rect, texts } of drawn) {
        for (const t of texts) {
          const w = t.width;
          const left = t.end ? t.x - w : t.x;
          // A baseline's text rises about 0.8 em above it and falls 0.25 em below.
          expect(t.y - 0.8 * t.px, `${t.text} below the top`).toBeGreaterThanOrEqual(rect.y);
          expect(t.y + 0.25 * t.px, `${t.text} above the bottom`).toBeLessThanOrEqual(rect.y + rect.height);
          expect(left, `${t.text} inside on the left`).toBeGreaterThanOrEqual(rect.x);
          expect(left + w, `${t.text} inside on the right`).toBeLessThanOrEqual(rect.x + rect.width);
        }
        // One line a plain node: its texts share one baseline.
        const lines = new Set(texts.map((t) => t.y)).size;
        expect(lines).toBe(Math.round((rect.height - 12) / 16));
      }
    });
  }

  it('detailed nodes keep the four-line card: op type, path, shape, pair state', () => {
    const ex = EXAMPLES[0];
    const view = buildGraphView(analyzeModel(ex.build()));
    const h = buildHierarchy(view);
    const layout = new GroupLayout(view, h, 'detailed').layout([...h.groups.keys()]);
    const drawn = nodeTexts(layoutToSvg(layout, indexById(view.nodes), h.groups));
    const bn = view.nodes.find((n) => n.pair && n.opType === 'BatchNormalization')!;
    const item = layout.items.find((i) => i.id === bn.id)!;
    const texts = drawn.find((d) => d.rect.x === item.x && d.rect.y === item.y)!.texts.map((t) => t.text);
    expect(texts.slice(0, 3)).toEqual([bn.opType, bn.name, bn.outputs]);
    expect(texts[3]).toMatch(bn.pair!.fusable ? /^✓ FUSABLE/ : /^✗ NOT FUSABLE/);
  });
});
