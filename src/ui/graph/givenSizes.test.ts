import { describe, expect, it } from 'vitest';
import type { InternalNode, ReactFlowState } from '@xyflow/react';
import { trustGivenSizes, type FlowStore } from './givenSizes';

type Updates = Parameters<ReactFlowState['updateNodeInternals']>[0];

/** A node as React Flow holds it, with only what the filter reads. */
function internal(id: string, width: number, height: number, handles: boolean): InternalNode {
  return { id, position: { x: 0, y: 0 }, data: {}, measured: { width, height }, internals: { positionAbsolute: { x: 0, y: 0 }, z: 0, userNode: { id, position: { x: 0, y: 0 }, data: {} }, handleBounds: handles ? { source: [], target: [] } : undefined } };
}

/** An element of this box, as the ResizeObserver reports it. */
const element = (offsetWidth: number, offsetHeight: number) => ({ offsetWidth, offsetHeight }) as HTMLDivElement;

function storeWith(nodes: InternalNode[]): { store: FlowStore; measuredIds: string[][] } {
  const measuredIds: string[][] = [];
  let state = {
    nodeLookup: new Map(nodes.map((n) => [n.id, n])),
    updateNodeInternals: (updates: Updates) => void measuredIds.push([...updates.keys()]),
  } as unknown as ReactFlowState;
  const store: FlowStore = { getState: () => state, setState: (partial) => void (state = { ...state, ...partial }) };
  return { store, measuredIds };
}

const report = (...entries: [string, HTMLDivElement][]): Updates => new Map(entries.map(([id, nodeElement]) => [id, { id, nodeElement, force: true }]));

describe('trustGivenSizes', () => {
  it('drops the forced measurement of a node whose element has the size it was given', () => {
    const { store, measuredIds } = storeWith([internal('a', 160, 24, true), internal('b', 200, 40, true)]);
    trustGivenSizes(store);
    store.getState().updateNodeInternals(report(['a', element(160, 24)], ['b', element(200, 40)]));
    expect(measuredIds).toEqual([]);
  });

  it('measures a node whose box changed, one without handles yet, and one it does not know, and only those', () => {
    const { store, measuredIds } = storeWith([internal('same', 160, 24, true), internal('grew', 160, 24, true), internal('bare', 160, 24, false)]);
    trustGivenSizes(store);
    store.getState().updateNodeInternals(report(['same', element(160, 24)], ['grew', element(160, 37)], ['bare', element(160, 24)], ['new', element(10, 10)]));
    expect(measuredIds).toEqual([['grew', 'bare', 'new']]);
  });
});
