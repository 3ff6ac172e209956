/** The scope path of the group drawn around each view node: a compact node names itself relative to it. */
import { isGroupId, type Group } from './hierarchy';
import { IdMap } from './idIndex';

const scopes = new WeakMap<ReadonlyMap<string, Group>, IdMap<string>>();

/** Each view node's enclosing group path ('' at the top), built once per model's group map. */
export function scopeLookup(groups: ReadonlyMap<string, Group>): (id: string) => string {
  let m = scopes.get(groups);
  if (!m) {
    m = new IdMap<string>();
    for (const g of groups.values()) for (const c of g.children) if (!isGroupId(c)) m.set(c, g.path);
    scopes.set(groups, m);
  }
  const found = m;
  return (id) => found.get(id) ?? '';
}
