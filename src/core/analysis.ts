/** One call from bytes or a model to everything the tool knows about it. */
import { buildGraph, type Graph } from './graph/graph';
import { inferShapes, type ShapeInfo } from './graph/shapeInference';
import { readModel } from './onnx/modelIO';
import type { ModelProto } from './onnx/types';
import { findPairs } from './patterns/findPairs';
import type { Pair } from './rules/pair';
import { diagnose, type Diagnostic } from './graph/diagnostics';

export interface Analysis {
  model: ModelProto;
  graph: Graph;
  shapes: ShapeInfo;
  pairs: Pair[];
  /** Inconsistencies and unknowns in the model, shown as warnings. */
  diagnostics: Diagnostic[];
}

/** `known.diagnostics`: the model's diagnostics when already known (an analysis made again), not computed twice. */
export function analyzeModel(model: ModelProto, known: { diagnostics?: Diagnostic[] } = {}): Analysis {
  const graph = buildGraph(model);
  const shapes = inferShapes(graph);
  return { model, graph, shapes, pairs: findPairs(graph, shapes), diagnostics: known.diagnostics ?? diagnose(graph) };
}

export function analyzeBytes(bytes: Uint8Array): Analysis {
  return analyzeModel(readModel(bytes));
}
