/** Whether a node is in the default ONNX domain (`''` or `ai.onnx`): the only ops this tool knows. */
import type { GraphNode } from './graphTypes';

export function isOnnxOp(n: GraphNode): boolean {
  return n.domain === '' || n.domain === 'ai.onnx';
}
