/**
 * What op nodes need to know about the drawing they are in, beyond their own data: how much they
 * say (the layout's density) and the scope path of the group drawn around each (a compact node
 * names itself relative to it). Given by the canvas, read by the nodes.
 */
import { createContext } from 'react';
import type { Density } from '../../core/view/layout';
import { isGroupId, type Group } from '../../core/view/hierarchy';
import { IdMap } from '../../core/view/idIndex';

export interface Drawing {
  density: Density;
  /** The path of the group holding this view node ('' at the top). */
  scopeOf: (id: string) => string;
}

export const DrawingContext = createContext<Drawing>({ density: 'detailed', scopeOf: () => '' });

const scopes = new WeakMap<ReadonlyMap<string, Group>, IdMap<string>>();

/** Each view node's enclosing group path, built once per model's group map. */
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
