/**
 * Problems in a model that parses but is inconsistent or partly unknown to us: the page and the
 * CLI show them as warnings instead of failing or guessing.
 */
import type { Graph } from './graph';
import { topologicalOrder } from './topology';
import { isExternal, tensorDataProblem } from '../onnx/tensor';

export interface Diagnostic {
  code: 'CYCLE' | 'DUPLICATE_PRODUCER' | 'UNDEFINED_INPUT' | 'BAD_INITIALIZER' | 'UNKNOWN_DOMAIN' | 'EXTERNAL_DATA';
  message: string;
}

const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);
/** At most this many names are quoted in one message. */
const QUOTE = 5;

function list(names: string[]): string {
  const shown = names.slice(0, QUOTE).map((n) => `"${n}"`).join(', ');
  return names.length > QUOTE ? `${shown} and ${names.length - QUOTE} more` : shown;
}

export function diagnose(g: Graph): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { cyclic } = topologicalOrder(g);
  if (cyclic.length > 0) {
    out.push({
      code: 'CYCLE',
      message: `The graph has a cycle: ${cyclic.length} node(s) depend on their own outputs (${list(cyclic.map((i) => g.nodes[i].label))}). ONNX graphs must be acyclic; shapes there are unknown and no pair there is claimed fusable.`,
    });
  }
  const producers = new Map<string, number>();
  const dup: string[] = [];
  for (const n of g.nodes) {
    for (const o of n.proto.output) {
      if (!o) continue;
      if (producers.has(o) || g.values.get(o)?.initializer || g.values.get(o)?.isGraphInput) dup.push(o);
      producers.set(o, n.index);
    }
  }
  if (dup.length > 0) {
    out.push({ code: 'DUPLICATE_PRODUCER', message: `${dup.length} tensor(s) are written by more than one node or also defined as inputs/initializers: ${list(dup)}. Every ONNX value has exactly one definition.` });
  }
  const undefinedInputs = new Set<string>();
  for (const v of g.values.values()) {
    if (v.readerCount > 0 && v.producer < 0 && !v.isGraphInput && !v.initializer) undefinedInputs.add(v.name);
  }
  if (undefinedInputs.size > 0) {
    out.push({
      code: 'UNDEFINED_INPUT',
      message: `${undefinedInputs.size} tensor(s) are read but never defined (not a graph input, an initializer or a node output): ${list([...undefinedInputs])}. (Inside If/Loop bodies this may be an outer-scope value; at the top level it is an error.)`,
    });
  }
  const bad: string[] = [];
  const external: string[] = [];
  for (const t of g.proto.initializer) {
    const p = tensorDataProblem(t);
    if (!p) continue;
    if (isExternal(t)) external.push(t.name ?? '');
    else bad.push(`"${t.name ?? ''}": ${p}`);
  }
  if (bad.length > 0) {
    out.push({ code: 'BAD_INITIALIZER', message: `${bad.length} initializer(s) are inconsistent: ${bad.slice(0, QUOTE).join('; ')}${bad.length > QUOTE ? `; and ${bad.length - QUOTE} more` : ''}. Their values cannot be read.` });
  }
  if (external.length > 0) {
    out.push({ code: 'EXTERNAL_DATA', message: `${external.length} initializer(s) keep their data in external files (${list(external)}); that is not loaded, so pairs using them are not folded. Add the data files next to the model to load them.` });
  }
  const domains = new Map<string, number>();
  for (const n of g.nodes) if (!KNOWN_DOMAINS.has(n.domain)) domains.set(n.domain, (domains.get(n.domain) ?? 0) + 1);
  if (domains.size > 0) {
    out.push({
      code: 'UNKNOWN_DOMAIN',
      message: `${[...domains].map(([d, k]) => `${k} node(s) in domain "${d}"`).join(', ')}: this tool does not know these operators, so shapes after them are unknown and pairs that depend on them are not claimed fusable.`,
    });
  }
  return out;
}
