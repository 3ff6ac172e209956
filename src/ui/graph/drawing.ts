/**
 * What op nodes need to know about the drawing they are in, beyond their own data: how much they
 * say (the layout's density) and the scope path of the group drawn around each (a compact node
 * names itself relative to it). Given by the canvas, read by the nodes.
 */
import { createContext } from 'react';
import type { Density } from '../../core/view/layout';

export { scopeLookup } from '../../core/view/scopes';

export interface Drawing {
  density: Density;
  /** The path of the group holding this view node ('' at the top). */
  scopeOf: (id: string) => string;
}

export const DrawingContext = createContext<Drawing>({ density: 'detailed', scopeOf: () => '' });
