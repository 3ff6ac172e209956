/** React's view of the store: one context, and narrow selectors so a component re-renders only for what it reads. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { InspectorStore } from './inspectorStore';
import type { PageState } from './pageState';

export const StoreContext = createContext<InspectorStore | null>(null);

export function useInspectorStore(): InspectorStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('The page store is missing (StoreContext).');
  return store;
}

/** Reads one slice of the page state; the selector should return a value already in the state (no new objects). */
export function useStore<T>(select: (s: PageState) => T): T {
  const store = useInspectorStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
