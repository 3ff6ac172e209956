/**
 * Our nodes come with their size and their handles (the layout placed them), yet React Flow's
 * ResizeObserver reports every node it starts observing with `force: true`: it measures each one's
 * handles in the DOM and draws every mounted node and edge a second time, inside the frame that first
 * paints them (40-59 ms of MobileNetV3's Expand all frame, 26-29 ms without). `trustGivenSizes` drops
 * the reports whose element still has the size the node was given; a node whose box really changed
 * (its text grew, a font arrived) is measured as before.
 */
import type { InternalNode, ReactFlowState } from '@xyflow/react';

type Updates = Parameters<ReactFlowState['updateNodeInternals']>[0];

/** True when a report tells nothing new: the node has handles and its element has the size it was given. */
function keepsGivenSize(node: InternalNode | undefined, element: HTMLElement): boolean {
  if (!node || node.hidden || !node.internals.handleBounds) return false;
  return node.measured.width === element.offsetWidth && node.measured.height === element.offsetHeight;
}

/** The two parts of React Flow's store (useStoreApi) this needs. */
export interface FlowStore {
  getState(): ReactFlowState;
  setState(partial: Partial<ReactFlowState>): void;
}

/**
 * Wraps the store's `updateNodeInternals` once. It must run before the canvas first renders its
 * nodes: React Flow's ResizeObserver keeps the function it found then.
 */
export function trustGivenSizes(store: FlowStore): void {
  const measure = store.getState().updateNodeInternals;
  const filtered: ReactFlowState['updateNodeInternals'] = (updates: Updates, params) => {
    const { nodeLookup } = store.getState();
    const news: Updates = new Map();
    for (const [id, update] of updates) {
      if (!keepsGivenSize(nodeLookup.get(id), update.nodeElement)) news.set(id, update);
    }
    if (news.size > 0) measure(news, params);
  };
  store.setState({ updateNodeInternals: filtered });
}
