import { isPlainRecord } from './plainRecord';
import { Interner } from '../../core/strings';

/**
 * Structured clone gives every string its own copy: a 10,000-node snapshot arrives on the page with
 * some 200,000 strings, most of them repeats ("op", "Conv", one shape label on hundreds of edges, a
 * value name in its producer, its readers and its pair). Passing what arrives through one table
 * keeps a single copy of each; the copies the clone made are short-lived garbage.
 */
export class StringTable {
  private readonly words = new Interner();

  get size(): number {
    return this.words.size;
  }

  /** Replaces, in place, every string inside `value` (arrays and plain objects) by its table copy. */
  intern<T>(value: T): T {
    if (Array.isArray(value)) this.array(value as unknown[]);
    else if (isPlainRecord(value)) this.object(value);
    return value;
  }

  private array(a: unknown[]): void {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v === 'string') a[i] = this.words.one(v);
      else if (typeof v === 'object' && v !== null) this.intern(v);
    }
  }

  private object(o: Record<string, unknown>): void {
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') o[k] = this.words.one(v);
      else if (typeof v === 'object' && v !== null) this.intern(v);
    }
  }
}
