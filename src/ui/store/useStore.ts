/**
 * React's view of the store: one context, and narrow selectors so a component re-renders only for
 * what it reads. Subscriptions set component state (not `useSyncExternalStore`): its updates always
 * render synchronously, and a new 10,000-node view rendered in the same task as the worker's reply
 * blocked the main thread for over 100 ms; a state update lets React render it as a scheduled task.
 */
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { VerifyingStore } from './verifyingStore';
import type { PageState } from './pageState';

export const StoreContext = createContext<VerifyingStore | null>(null);

export function useInspectorStore(): VerifyingStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('The page store is missing (StoreContext).');
  return store;
}

/** Reads one slice of the page state; the selector should return a value already in the state (no new objects). */
export function useStore<T>(select: (s: PageState) => T): T {
  const store = useInspectorStore();
  const [value, setValue] = useState(() => select(store.getState()));
  const selectRef = useRef(select);
  useLayoutEffect(() => {
    selectRef.current = select;
  });
  useEffect(() => {
    // Catch up with changes made between the first render and the subscription.
    const check = () => setValue(() => selectRef.current(store.getState()));
    check();
    return store.subscribe(check);
  }, [store]);
  return value;
}
