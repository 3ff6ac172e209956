/**
 * One ValueType per distinct dtype and shape. A big model's thousands of activations share a few
 * shapes (every block of a ResNet stage writes [batch, 64, 56, 56]); types are never changed in
 * place, so the values can share one object and one dims list.
 */
import { UNKNOWN, type ValueType } from './dims';

/** Types kept per dtype and rank: found by comparing dims, no key built; a model with more shapes of one rank shares the first ones. */
const PER_RANK = 64;

export class TypeTable {
  private readonly byDtype = new Map<number | undefined, ValueType[][]>();

  one(t: ValueType): ValueType {
    const shape = t.shape;
    if (shape === null) return t.dtype === undefined ? UNKNOWN : t;
    let byRank = this.byDtype.get(t.dtype);
    if (!byRank) this.byDtype.set(t.dtype, (byRank = []));
    const kept = (byRank[shape.length] ??= []);
    for (const k of kept) {
      const dims = k.shape!;
      let i = 0;
      while (i < dims.length && dims[i] === shape[i]) i++;
      if (i === dims.length) return k;
    }
    if (kept.length < PER_RANK) kept.push(t);
    return t;
  }
}
