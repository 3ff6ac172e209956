/**
 * Which drawn nodes are selected, in the selected pair, or hold the keyboard focus — outside the
 * node objects, so a click re-renders the few nodes whose flags change, not every node of the graph
 * (each node reads its own flags through a narrow selector).
 */
import { createContext, useContext, useSyncExternalStore } from 'react';

export class NodeFlags {
  private selected: string | null = null;
  private pair: ReadonlySet<string> = new Set();
  private focused: string | null = null;
  private readonly listeners = new Set<() => void>();

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  set(selected: string | null, pair: ReadonlySet<string>, focused: string | null): void {
    if (selected === this.selected && pair === this.pair && focused === this.focused) return;
    this.selected = selected;
    this.pair = pair;
    this.focused = focused;
    for (const l of this.listeners) l();
  }

  /** The classes of one node: a string, so an unchanged node's selector returns an equal value. */
  classes(id: string): string {
    return `${id === this.selected ? 'is-selected' : ''} ${this.pair.has(id) ? 'in-selected-pair' : ''} ${id === this.focused ? 'kb-focus' : ''}`.trim();
  }
}

export const NodeFlagsContext = createContext<NodeFlags>(new NodeFlags());

export function useNodeClasses(id: string): string {
  const flags = useContext(NodeFlagsContext);
  return useSyncExternalStore(flags.subscribe, () => flags.classes(id));
}
