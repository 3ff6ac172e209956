/**
 * The least a page built on this project's stack holds: React and React Flow drawing 17 plain
 * nodes in a chain (face_embedding's size), with no worker, no model and no app. The bench
 * measures its JS heap beside ours and Netron's, so the heap target can be read against it.
 */
import { createRoot } from 'react-dom/client';
import { ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';

const NODES = 17;
const nodes: Node[] = Array.from({ length: NODES }, (_, i) => ({ id: `n${i}`, position: { x: 0, y: i * 100 }, data: { label: `Node ${i}` } }));
const edges: Edge[] = Array.from({ length: NODES - 1 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` }));

createRoot(document.getElementById('root')!).render(<ReactFlow nodes={nodes} edges={edges} fitView />);
