/** Which drawn op node writes each value of a model (`n<index>`, as the graph view names them). */
import type { ModelProto } from '../onnx/types';
import { nodeId } from '../view/ids';

/** The drawn id of the node writing each of `names` in `model`; values no top-level node writes (inputs, initializers) are left out. */
export function producerIds(model: ModelProto, names: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  model.graph!.node.forEach((n, i) => {
    for (const o of n.output) if (o && names.has(o)) out[o] = nodeId(i);
  });
  return out;
}
