/** Details of one drawn node for the side panel: attributes, inputs and outputs with shapes, initializer statistics. */
import type { Analysis } from '../analysis';
import { attributeText } from '../onnx/attributes';
import { formatShape } from '../graph/shapeInference';
import { dtypeName, tensorDataProblem, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import { parseId } from '../view/ids';
import type { NodeDetails, TensorDetails } from './types';

export function nodeDetails(a: Analysis, id: string): NodeDetails | null {
  const parsed = parseId(id);
  switch (parsed.kind) {
    case 'node':
      return opDetails(a, id, parsed.index);
    case 'input':
    case 'output': {
      const t = tensorDetails(a, parsed.name);
      const input = parsed.kind === 'input';
      return { id, opType: input ? 'Input' : 'Output', name: parsed.name, domain: '', docString: '', attributes: [], inputs: input ? [] : [t], outputs: input ? [t] : [], pairIds: [] };
    }
    case 'group':
    case 'unknown':
      return null;
  }
}

function opDetails(a: Analysis, id: string, index: number): NodeDetails | null {
  const n = a.graph.nodes[index];
  if (!n) return null;
  return {
    id,
    opType: n.opType,
    name: n.proto.name ?? '',
    domain: n.domain || 'ai.onnx',
    docString: n.proto.docString ?? '',
    attributes: n.proto.attribute.map((at) => ({ name: at.name ?? '', value: attributeText(at) })),
    inputs: n.proto.input.filter((x) => x !== '').map((x) => tensorDetails(a, x)),
    outputs: n.proto.output.filter((x) => x !== '').map((x) => tensorDetails(a, x)),
    pairIds: a.pairs.filter((p) => p.batchNorm.nodeIndex === n.index || p.linear.nodeIndices.includes(n.index)).map((p) => p.id),
  };
}

function tensorDetails(a: Analysis, name: string): TensorDetails {
  const v = a.graph.values.get(name);
  const t = a.shapes.types.get(name);
  const base = { name, dtype: dtypeName(t?.dtype), shape: formatShape(t?.shape ?? null) };
  const c = v?.constant ?? v?.initializer;
  if (c) {
    const problem = tensorDataProblem(c);
    const kind = v?.initializer ? 'initializer' : 'constant';
    if (problem) return { ...base, kind, problem };
    let stats: TensorDetails['stats'];
    try {
      const vals = tensorToFloat64(c);
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const x of vals) {
        if (x < min) min = x;
        if (x > max) max = x;
        sum += x;
      }
      stats = { min, max, mean: vals.length ? sum / vals.length : NaN, count: vals.length };
    } catch {
      stats = undefined;
    }
    const producer = v && v.producer >= 0 ? a.graph.nodes[v.producer] : null;
    // A constant computed by a node the graph does not draw (an Identity forwarding a weight): say which.
    const via = producer ? `${producer.opType}${producer.proto.name ? ` “${producer.proto.name}”` : ''}` : undefined;
    return { ...base, shape: formatShape(tensorDims(c)), kind, stats, ...(via ? { via } : {}) };
  }
  if (!v) return { ...base, kind: 'missing' };
  return { ...base, kind: v.isGraphInput ? 'graph input' : v.producer >= 0 ? 'computed' : 'missing' };
}
