/**
 * One string per distinct text. Strings decoded or built one at a time — op types and attribute
 * names read from the file, shape labels, group summaries, a worker reply's copies on the page —
 * repeat thousands of times in a big model, and every copy takes heap of its own.
 */
export class Interner {
  private readonly seen = new Map<string, string>();

  get size(): number {
    return this.seen.size;
  }

  /** The first string seen with this text. */
  one(s: string): string {
    const had = this.seen.get(s);
    if (had !== undefined) return had;
    this.seen.set(s, s);
    return s;
  }
}
