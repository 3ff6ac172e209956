/** `verify --per-value` as text: every value in topological order with its error, and where the models part. */
import { float64Text } from '../core/numberText';
import type { PerValueReport, ValueResult } from '../core/verify/perValue';
import type { Producer, Unmatched } from '../core/verify/valueMatch';
import { table } from './table';
import { engineText } from './engines';

function producerText(p: Producer | null): string {
  return p ? `${p.opType} ${p.node}` : '—';
}

function unmatchedText(w: Unmatched): string {
  switch (w.kind) {
    case 'only-in-a':
      return 'only in a';
    case 'only-in-b':
      return 'only in b';
    case 'type-differs':
      return `another tensor: a ${w.a}, b ${w.b}`;
    case 'rewritten':
      return 'rewritten: written and read by nodes a does not have';
    case 'not-numeric':
      return `not comparable (${w.type})`;
    default:
      return w satisfies never;
  }
}

function row(v: ValueResult): string[] {
  switch (v.kind) {
    case 'compared': {
      const c = v.comparison;
      return [v.name, v.type, producerText(v.a), producerText(v.b), c.maxAbsError.toExponential(3), c.maxRelError.toExponential(3), c.pass ? 'PASS' : 'FAIL'];
    }
    case 'too-big':
      return [v.name, v.type, producerText(v.a), producerText(v.b), '', '', `not compared: ${mib(v.bytes)} is more than half the budget`];
    case 'unmatched':
      return [v.name, '', producerText(v.a), producerText(v.b), '', '', unmatchedText(v.why)];
    default:
      return v satisfies never;
  }
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${Math.round(bytes)} B`;
}

export function printPerValue(r: PerValueReport, out: (s: string) => void): void {
  out(`engine: ${engineText(r.engine)}`);
  out(`inputs (seed ${r.seed}): ${r.inputs.map((i) => `${i.name} ${i.dtype} [${i.dims.join(', ')}]`).join('; ')}`);
  out(table(['value', 'type', 'written by (a)', 'written by (b)', 'max abs err', 'max rel err', 'result'], r.values.map(row)));
  const c = r.counts;
  out(
    `compared ${c.compared} of ${c.values} values (${c.unmatched} without a counterpart, ${c.tooBig} too big for the budget) in ${r.chunks} chunk${r.chunks === 1 ? '' : 's'}; budget ${mib(r.budgetBytes)}, most held at once ${mib(r.peakBytes)}`,
  );
  const f = r.firstDivergent;
  if (f) {
    out(`first divergent value: "${f.name}" ${f.type}, written by ${producerText(f.a)} in a and ${producerText(f.b)} in b; max abs err ${f.comparison.maxAbsError.toExponential(3)}, max rel err ${f.comparison.maxRelError.toExponential(3)} (rtol ${float64Text(f.comparison.rtol)} atol ${float64Text(f.comparison.atol)})`);
    out(`${c.diverged} value${c.diverged === 1 ? '' : 's'} beyond tolerance`);
  }
  if (f) out(`THE MODELS PART AT "${f.name}"`);
  else out(c.tooBig > 0 ? `NO COMPARED VALUE DIVERGES (${c.tooBig} not compared: too big for the budget)` : 'NO SHARED VALUE DIVERGES');
}
