/**
 * The check every written model passes before it is returned: in every graph and subgraph, each
 * node input is defined before it is read (in its own graph or an enclosing one), each value is
 * defined once per graph, and every graph output is produced.
 */
import { inScope, newScope, type Scope } from '../graph/scope';
import { listOf } from '../onnx/protobuf';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types';

export function modelProblems(model: ModelProto): string[] {
  const problems: string[] = [];
  if (model.graph) checkGraph(model.graph, null, '', problems);
  return problems;
}

function nodeName(n: NodeProto): string {
  return `${n.opType ?? ''} "${n.name || n.output[0] || ''}"`;
}

function checkGraph(g: GraphProto, outer: Scope | null, where: string, problems: string[]): void {
  const scope = newScope(outer);
  scope.names.add('');
  for (const v of g.input) scope.names.add(v.name ?? '');
  for (const t of g.initializer) scope.names.add(t.name ?? '');
  for (const n of g.node) {
    for (const i of n.input) if (!inScope(scope, i)) problems.push(`${nodeName(n)}${where} reads "${i}" before it is defined`);
    for (const a of n.attribute) {
      const bodies = a.g ? [a.g] : listOf(a.graphs);
      for (const body of bodies) checkGraph(body, scope, ` (in the ${a.name ?? ''} of ${nodeName(n)}${where})`, problems);
    }
    for (const o of n.output) {
      if (o && scope.names.has(o)) problems.push(`"${o}"${where} is defined twice`);
      scope.names.add(o);
    }
  }
  for (const o of g.output) if (!inScope(scope, o.name ?? '')) problems.push(`graph output "${o.name ?? ''}"${where} is never produced`);
}
