/** An input a verify run used, in words: where its values came from, and what they hold (stored floats as float32Text prints them). */
import { float32Text, float64Text } from '../numberText';
import type { ValueSummary } from '../tensorFiles/tensorValue';
import type { InputOrigin } from './verifyInputs';

export function originText(o: InputOrigin): string {
  switch (o.kind) {
    case 'random':
      return `random (seed ${o.seed})`;
    case 'values':
      return 'typed values';
    case 'file':
      return o.file;
    default:
      return o satisfies never;
  }
}

function valueText(x: number, dtype: string): string {
  if (Number.isNaN(x)) return '—';
  return dtype === 'float32' || dtype === 'float16' ? float32Text(x) : float64Text(x);
}

/** `value 16000`, or `min … max … mean …` (and the count of NaN/Inf), parts joined by `sep` (a table column takes two spaces). */
export function summaryText(s: ValueSummary, dtype: string, sep = ', '): string {
  if (s.count === 1) return `value ${valueText(s.min, dtype)}`;
  const mean = Number.isNaN(s.mean) ? '—' : float64Text(Number(s.mean.toPrecision(4)));
  return [`min ${valueText(s.min, dtype)}`, `max ${valueText(s.max, dtype)}`, `mean ${mean}`, ...(s.nonFinite > 0 ? [`${s.nonFinite} NaN/Inf`] : [])].join(sep);
}
