/**
 * Test helper: shape inference compared with onnxruntime-web. Every intermediate value becomes an
 * extra graph output, the model runs (once per set of feeds), and the real shapes are compared with
 * the inferred ones.
 */
import { expect } from 'vitest';
import { makeValueInfo, seededRandom } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import type { ModelProto } from '../onnx/types';
import { buildGraph } from '../graph/graph';
import { inferShapes, type Dim } from '../graph/shapeInference';
import { evaluateDim } from '../graph/symbolic';
import { createSession, makeOrtTensor } from '../verify/ortSession';

const rand = seededRandom(7);

/** Runs the model with every node output exposed; returns real dims per value. */
export async function realShapes(model: ModelProto, feeds: Record<string, number[]>): Promise<Map<string, number[]>> {
  const outputs = new Set(model.graph!.output.map((o) => o.name));
  const extra = model.graph!.node.flatMap((n) => n.output).filter((o) => o && !outputs.has(o));
  const g = { ...model.graph!, output: [...model.graph!.output, ...extra.map((name) => makeValueInfo(name, undefined, undefined))] };
  const session = await createSession(writeModel({ ...model, graph: g }));
  const ortFeeds: Record<string, ReturnType<typeof makeOrtTensor>> = {};
  for (const [name, dims] of Object.entries(feeds)) {
    const n = dims.reduce((a, b) => a * b, 1);
    ortFeeds[name] = makeOrtTensor('float32', new Float32Array(n).map(() => rand()), dims);
  }
  const result = await session.run(ortFeeds);
  const out = new Map<string, number[]>();
  for (const [name, t] of Object.entries(result)) out.set(name, [...t.dims]);
  await session.release();
  return out;
}

export interface Unknowns {
  /** Values onnxruntime computes whose rank we do not know. */
  rank: number;
  /** Values whose rank we know but with at least one unknown dim. */
  dims: number;
}

/** The same feeds with every symbolic input dim one larger: a second batch size (or sequence length). */
export function otherFeeds(model: ModelProto, feeds: Record<string, number[]>): Record<string, number[]> {
  const info = inferShapes(buildGraph(model));
  return Object.fromEntries(Object.entries(feeds).map(([name, dims]) => [name, dims.map((d, i) => (typeof info.types.get(name)?.shape?.[i] === 'string' ? d + 1 : d))]));
}

/**
 * Runs the model for each set of feeds and compares every value's inferred shape with the runtime's:
 * a number must match every run; a symbolic dim (`batch`, `batch*3`) must equal its expression
 * evaluated with that run's symbol values. A value left unknown fails, unless `allowed` admits that
 * many (a ratchet: the count may fall, never grow; what we do state must still be right).
 */
export async function checkAgainstOrt(model: ModelProto, feedSets: Record<string, number[]>[], expectUnknown: string[] = [], allowed: Unknowns = { rank: 0, dims: 0 }) {
  const g = buildGraph(model);
  const info = inferShapes(g);
  let compared = 0;
  const unknown: Unknowns = { rank: 0, dims: 0 };
  for (const [run, feeds] of feedSets.entries()) {
    const real = await realShapes(model, feeds);
    const symbols = new Map<string, number>();
    for (const [name, dims] of Object.entries(feeds)) {
      const declared = info.types.get(name)!.shape!;
      declared.forEach((d, i) => typeof d === 'string' && symbols.set(d, dims[i]));
    }
    for (const [name, dims] of real) {
      const inferred = info.types.get(name)?.shape ?? null;
      if (expectUnknown.includes(name)) {
        expect(inferred === null || inferred.some((d) => d === null), `${name} should be unknown`).toBe(true);
        continue;
      }
      if (inferred === null) {
        if (run === 0) unknown.rank++;
        continue;
      }
      expect(inferred.length, `rank of ${name}`).toBe(dims.length);
      let partly = false;
      inferred.forEach((d: Dim, i) => {
        if (typeof d === 'number') expect(d, `${name} dim ${i} (run ${run})`).toBe(dims[i]);
        else if (typeof d === 'string') expect(evaluateDim(d, symbols), `${name} dim ${i} = ${d} (run ${run})`).toBe(dims[i]);
        else partly = true;
      });
      if (partly && run === 0) unknown.dims++;
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(0);
  expect(unknown.rank, 'values whose rank is unknown').toBeLessThanOrEqual(allowed.rank);
  expect(unknown.dims, 'values with an unknown dim').toBeLessThanOrEqual(allowed.dims);
  return compared;
}
