/**
 * The graph model: nodes, and values with their producer and consumers. Initializers and
 * `Constant` nodes are both "constants". Built once per model in linear time.
 */
import { constantNodeTensor } from '../onnx/attributes';
import { listOf } from '../onnx/protobuf';
import { toNumber } from '../onnx/tensor';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types';
import type { Graph, GraphNode, Value } from './graphTypes';
import { foldConstants } from './constantFolding';
import { inScope, newScope, type Scope } from './scope';
import { BODY_READ, bodyReadKey } from './readers';
import { ProtoNode } from './protoNode';
import { ValueTable } from './valueTable';

export type { BodyConsumer, Consumer, Graph, GraphNode, SlotConsumer, Value } from './graphTypes';
export { inputOf, inputsOf } from './nodeInputs';

export function opsetVersion(g: Graph, domain: string): number | undefined {
  return g.opsets.get(domain === 'ai.onnx' ? '' : domain);
}

function valueOf(values: Map<string, Value>, table: ValueTable, name: string): Value {
  let v = values.get(name);
  if (!v) {
    v = table.add(name);
    values.set(name, v);
  }
  return v;
}

export function buildGraph(model: ModelProto): Graph {
  const proto = model.graph!;
  const values = new Map<string, Value>();
  let expected = proto.input.length + proto.initializer.length + proto.output.length;
  for (const n of proto.node) expected += n.output.length;
  const table = new ValueTable(expected);
  const opsets = new Map<string, number>();
  const irVersion = toNumber(model.irVersion ?? 0);
  for (const o of model.opsetImport) {
    const d = o.domain ?? '';
    opsets.set(d === 'ai.onnx' ? '' : d, toNumber(o.version ?? 0));
  }
  for (const vi of proto.input) if (vi.name) valueOf(values, table, vi.name).isGraphInput = true;
  for (const t of proto.initializer) {
    if (!t.name) continue;
    const v = valueOf(values, table, t.name);
    v.initializer = t;
    // Before IR version 4 every initializer had to be listed as a graph input too, so there the
    // listing says nothing; from IR 4 on it means a caller may feed another value (as ONNX Runtime reads it).
    if (v.isGraphInput && irVersion >= 4) {
      v.notConstantBecause = `"${t.name}" is an initializer that is also a graph input, and from IR version 4 on (this model is IR ${irVersion}) a caller may override it`;
    } else {
      v.constant = t;
    }
  }
  const nodes: GraphNode[] = proto.node.map((p, index) => new ProtoNode(index, p));
  for (const n of nodes) {
    const p = n.proto;
    p.output.forEach((name, slot) => {
      if (name === '') return;
      const v = valueOf(values, table, name);
      v.producer = n.index;
      v.producerSlot = slot;
      // The same text, as one string: the file spells a value's name once per node that names it.
      p.output[slot] = v.name;
    });
    if (n.opType === 'Constant' && n.domain === '' && p.output[0]) {
      const t = constantNodeTensor(p);
      if (t) valueOf(values, table, p.output[0]).constant = t;
    }
  }
  let sorted = true;
  // Readers in two passes: collected in file order (value, then node and slot), then written value
  // after value into one table sized to fit.
  const bodyReads = new Map<string, string>();
  const readValues: Value[] = [];
  const readAt: number[] = [];
  for (const n of nodes) {
    const ins = n.proto.input;
    for (let slot = 0; slot < ins.length; slot++) {
      const name = ins[slot];
      if (name === '') continue;
      const v = valueOf(values, table, name);
      ins[slot] = v.name;
      v.readerCount++;
      readValues.push(v);
      readAt.push(n.index, slot);
      if (v.producer >= n.index) sorted = false;
    }
    if (hasSubgraph(n.proto)) {
      for (const [name, where] of outerScopeReads(n)) {
        const v = valueOf(values, table, name);
        bodyReads.set(bodyReadKey(n.index, name), where);
        v.readerCount++;
        readValues.push(v);
        readAt.push(n.index, BODY_READ);
        if (v.producer >= n.index) sorted = false;
      }
    }
  }
  const readers = new Int32Array(2 * readValues.length);
  let at = 0;
  for (const v of values.values()) {
    v.firstReader = at;
    at += v.readerCount;
    v.readerCount = 0;
  }
  for (let i = 0; i < readValues.length; i++) {
    const v = readValues[i];
    const k = 2 * (v.firstReader + v.readerCount++);
    readers[k] = readAt[2 * i];
    readers[k + 1] = readAt[2 * i + 1];
  }
  for (const vi of proto.output) if (vi.name) valueOf(values, table, vi.name).isGraphOutput = true;
  table.seal();
  const graph: Graph = { model, proto, nodes, values, opsets, sorted, irVersion, folded: new Set(), readers, bodyReads };
  foldConstants(graph);
  return graph;
}

/** Whether a node holds a subgraph (a loop without allocation: it runs for every node). */
function hasSubgraph(p: NodeProto): boolean {
  for (const a of p.attribute) if (a.g !== undefined || listOf(a.graphs).length > 0) return true;
  return false;
}

/** How a subgraph attribute is named in messages. */
function bodyName(attribute: string): string {
  switch (attribute) {
    case 'then_branch':
      return 'then-branch';
    case 'else_branch':
      return 'else-branch';
    default:
      return attribute;
  }
}

/**
 * The outer-scope names a node's subgraphs read, at any depth, each with where it is first read. A
 * name the subgraph defines itself (its inputs, initializers, node outputs) shadows the outer one.
 */
export function outerScopeReads(n: GraphNode): Map<string, string> {
  const reads = new Map<string, string>();
  for (const a of n.proto.attribute) {
    const bodies = a.g ? [a.g] : listOf(a.graphs);
    for (const body of bodies) {
      collectReads(body, `the ${bodyName(a.name ?? '')} of ${n.opType} "${n.label}"`, null, reads);
    }
  }
  return reads;
}

function collectReads(body: GraphProto, where: string, outer: Scope | null, reads: Map<string, string>): void {
  const scope = newScope(outer);
  for (const v of body.input) if (v.name) scope.names.add(v.name);
  for (const t of body.initializer) if (t.name) scope.names.add(t.name);
  for (const node of body.node) for (const o of node.output) if (o) scope.names.add(o);
  const read = (name: string) => {
    if (name && !inScope(scope, name) && !reads.has(name)) reads.set(name, where);
  };
  for (const node of body.node) {
    for (const i of node.input) read(i);
    for (const a of node.attribute) {
      const inner = a.g ? [a.g] : listOf(a.graphs);
      for (const sub of inner) collectReads(sub, `the ${bodyName(a.name ?? '')} of ${node.opType ?? ''} "${node.name || node.opType || ''}", in ${where}`, scope, reads);
    }
  }
  for (const o of body.output) if (o.name) read(o.name);
}
