/**
 * The graph painted by a per-value comparison: each node that writes a compared value gets the bin
 * of its worst value's relative error on a sequential scale, with the error as text (never colour
 * alone). One entry per painted node, built once per result.
 */
import type { PerValueResult } from '../worker/protocol';

/** 0: equal; 1: within tolerance; 2–4: beyond it, by size. */
export type HeatBin = 0 | 1 | 2 | 3 | 4;

export const HEAT_BINS: readonly { bin: HeatBin; label: string }[] = [
  { bin: 0, label: 'equal' },
  { bin: 1, label: 'within tolerance' },
  { bin: 2, label: 'beyond, < 0.1 %' },
  { bin: 3, label: '0.1 % – 10 %' },
  { bin: 4, label: '≥ 10 %' },
];

export interface NodeHeat {
  bin: HeatBin;
  /** The value the bin is for (the node's worst). */
  value: string;
  relError: number;
  pass: boolean;
  /** `rel err 3.2e-1 (beyond tolerance)`: on the node and in its title. */
  text: string;
  /** `✗ rel err 3.2e-1`: the same on a compact node's one line (✓ within tolerance, ✗ beyond: not by colour alone). */
  tag: string;
}

export function heatBin(relError: number, pass: boolean): HeatBin {
  if (pass) return relError === 0 ? 0 : 1;
  if (!(relError < 1e-1)) return 4;
  return relError < 1e-3 ? 2 : 3;
}

export function relText(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : String(x);
}

export function heatOf(result: PerValueResult): Map<string, NodeHeat> {
  const out = new Map<string, NodeHeat>();
  for (const v of result.report.values) {
    if (v.kind !== 'compared') continue;
    const id = result.nodeOf[v.name];
    if (!id) continue;
    const c = v.comparison;
    const bin = heatBin(c.maxRelError, c.pass);
    const had = out.get(id);
    if (had && had.bin >= bin) continue;
    out.set(id, { bin, value: v.name, relError: c.maxRelError, pass: c.pass, text: `rel err ${relText(c.maxRelError)} ${c.pass ? '(within tolerance)' : '(beyond tolerance)'}`, tag: `${c.pass ? '✓' : '✗'} rel err ${relText(c.maxRelError)}` });
  }
  return out;
}
