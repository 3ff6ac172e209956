/**
 * A model's timings in a verify report, in the words the verify panel and the exported Markdown both
 * use: a kept session is not this verify's create time, kept outputs are not this verify's run.
 * `text` is what it is; `note`, shown quieter, what the figure is (null when it is this verify's own).
 */
import type { ModelTiming } from './verify';

export interface TimingWords {
  text: string;
  note: string | null;
}

/** Creating its session: this verify's time, or when the kept session was made. */
export function createWords(t: ModelTiming): TimingWords {
  switch (t.source) {
    case 'this-verify':
      return { text: `${t.createMs.toFixed(1)} ms`, note: null };
    case 'kept-session':
    case 'kept-outputs':
      return { text: 'kept', note: `made before, in ${t.createMs.toFixed(1)} ms` };
    default:
      return t.source satisfies never;
  }
}

/** Its median run: this verify's, or that of the earlier runs whose outputs (same inputs) were kept. */
export function runWords(t: ModelTiming): TimingWords {
  switch (t.source) {
    case 'this-verify':
    case 'kept-session':
      return { text: `${t.runMs.toFixed(2)} ms`, note: null };
    case 'kept-outputs':
      return { text: 'not run', note: `same inputs: kept outputs, ${t.runMs.toFixed(2)} ms then` };
    default:
      return t.source satisfies never;
  }
}

/** On one line of text: `kept (made before, in 4.1 ms)`. */
export const wordsText = (w: TimingWords): string => (w.note === null ? w.text : `${w.text} (${w.note})`);
