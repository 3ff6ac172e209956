import { describe, expect, it } from 'vitest';
import { medianNative, nativeLine, nativeTotalMs, pageLines, ratioText, summarizePage, TARGETS, type NativeFigure, type PageSample, type VerifyClick } from './verifyTable';

const click = (ms: number, longestTaskMs = 0, engine = 'original vs current model, onnxruntime-web (wasm, optimizations off)'): VerifyClick => ({ ms, longestTaskMs, openForMs: 1000, engine, isolated: true });
const sample = (first: number, second: number, idle: number, tasks: [number, number, number] = [0, 0, 0]): PageSample => ({
  first: click(first, tasks[0]),
  second: click(second, tasks[1]),
  idle: click(idle, tasks[2]),
});

describe('the verify bench table', () => {
  it('takes each kind of verify’s median over the runs, keeping every run in order', () => {
    const row = summarizePage('m', [sample(900, 400, 500), sample(700, 300, 450), sample(1100, 350, 600), sample(800, 310, 470)]);
    // Even count: the mean of the two middle ones.
    expect(row.ms).toEqual({ first: (800 + 900) / 2, second: (310 + 350) / 2, idle: (470 + 500) / 2 });
    expect(row.runs.first).toEqual([900, 700, 1100, 800]);
  });

  it('names the longest task and the verify it fell in, or none', () => {
    expect(summarizePage('m', [sample(1, 1, 1, [60, 0, 0]), sample(1, 1, 1, [0, 0, 140])])).toMatchObject({ longestTaskMs: 140, longestTaskIn: 'idle' });
    expect(summarizePage('m', [sample(1, 1, 1)])).toMatchObject({ longestTaskMs: 0, longestTaskIn: null });
  });

  it('is cross-origin isolated only if every page was, and lists each engine line once', () => {
    const s = sample(1, 1, 1);
    const other: PageSample = { ...s, idle: { ...click(1, 0, 'onnxruntime-web (wasm, 2 threads)'), isolated: false } };
    const row = summarizePage('m', [s, other]);
    expect(row.isolated).toBe(false);
    expect(row.engines).toEqual([s.first.engine, 'onnxruntime-web (wasm, 2 threads)']);
  });

  it('refuses to summarise no runs', () => {
    expect(() => summarizePage('m', [])).toThrow(/no page sample/);
  });

  it('divides the first figure by the second and checks it against the target', () => {
    expect(ratioText(900, 300, 3)).toBe('3.0× ✓');
    expect(ratioText(301, 100, 3)).toBe('3.0× ✗');
    expect(ratioText(100, 300)).toBe('0.3×');
    expect(ratioText(100, null, 3)).toBe('—');
    expect(ratioText(100, 0, 3)).toBe('—');
  });

  it('counts both models’ creates and first runs as the native figure', () => {
    const n: NativeFigure = { createMs: [40, 30], firstRunMs: [20, 10] };
    expect(nativeTotalMs(n)).toBe(100);
    expect(nativeLine('vit', n)).toContain('= 100 ms');
    expect(nativeLine('vit', null)).toContain('not installed');
  });

  it('prints warm ÷ native, first ÷ second and the longest task against the targets', () => {
    const row = summarizePage('vit_tiny_encoder12', [sample(1200, 600, 400, [0, 130, 0])]);
    const natives = new Map<string, NativeFigure | null>([['vit_tiny_encoder12', { createMs: [100, 60], firstRunMs: [25, 15] }]]);
    const line = pageLines([row], natives, 5000).find((l) => l.startsWith('vit_tiny_encoder12') && l.includes('×'));
    expect(line).toBeDefined();
    const cells = line!.split(/\s{2,}/).map((c) => c.trim());
    // second ÷ native = 600 / 200, idle ÷ native = 400 / 200, first ÷ second = 1200 / 600.
    expect(cells).toContain('3.0× ✓');
    expect(cells).toContain('2.0× ✓');
    expect(cells).toContain('2.0× ✗');
    expect(line).toContain(`130 (second) ${130 <= TARGETS.longTaskMs ? '✓' : '✗'}`);
  });

  it('takes the native figure’s median of each part over the samples taken beside the runs', () => {
    const samples: NativeFigure[] = [
      { createMs: [10, 20], firstRunMs: [5, 6] },
      { createMs: [30, 10], firstRunMs: [7, 2] },
      { createMs: [20, 40], firstRunMs: [1, 4] },
    ];
    expect(medianNative(samples)).toEqual({ createMs: [20, 20], firstRunMs: [5, 4] });
    expect(medianNative([])).toBeNull();
  });

  it('says the native figure is missing rather than dividing by nothing', () => {
    const row = summarizePage('m', [sample(1, 1, 1)]);
    const line = pageLines([row], new Map([['m', null]]), 5000).find((l) => l.startsWith('m '))!;
    expect(line).not.toContain('NaN');
    expect(line).not.toContain('Infinity');
    expect(line).toContain('—');
  });
});
