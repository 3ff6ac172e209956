/**
 * Runs one fuzz input through everything the page does with a file — read, analyse, lay out,
 * inspect, fuse, write, read back — and says whether it ended well: a model or a typed error,
 * within a time bound, without an allocation out of proportion to the file.
 */
import { isOnnxReadError } from '../onnx/errors';
import { readModel, writeModel } from '../onnx/modelIO';
import { InspectorSession } from '../session/inspectorSession';

export type Outcome = { ok: true; result: 'model' | 'error'; code?: string; ms: number } | { ok: false; problem: string; ms: number };

export interface Bounds {
  /** A case taking longer than this is a failure (a hang, for our purposes). */
  maxMs: number;
  /** Memory growth allowed per case beyond `perByte` × the file size. */
  slackBytes: number;
  perByte: number;
}

export const DEFAULT_BOUNDS: Bounds = { maxMs: 3000, slackBytes: 64 * 2 ** 20, perByte: 40 };

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function pipeline(bytes: Uint8Array): 'model' {
  const s = new InspectorSession();
  const snap = s.open('fuzz.onnx', bytes);
  for (const n of snap.nodes.slice(0, 20)) s.nodeDetails(n.id);
  for (const p of snap.pairs.slice(0, 5)) s.foldPreview(p.id);
  s.report();
  if (snap.pairs.some((p) => p.fusable)) {
    s.fuse(undefined);
    const written = s.currentBytes();
    readModel(written);
  } else {
    // Unchanged model: what we write must read back.
    readModel(writeModel(readModel(bytes)));
  }
  if (snap.groups.length > 0) s.relayout(snap.groups.map((g) => g.id));
  return 'model';
}

export function runFuzzCase(bytes: Uint8Array, bounds: Bounds = DEFAULT_BOUNDS): Outcome {
  const before = memory();
  const t = performance.now();
  let outcome: Outcome;
  try {
    pipeline(bytes);
    outcome = { ok: true, result: 'model', ms: 0 };
  } catch (e) {
    if (isOnnxReadError(e) && e.message.length > 10) outcome = { ok: true, result: 'error', code: e.code, ms: 0 };
    else outcome = { ok: false, problem: `untyped ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`, ms: 0 };
  }
  const ms = performance.now() - t;
  outcome.ms = ms;
  const grown = memory() - before;
  if (outcome.ok && ms > bounds.maxMs) return { ok: false, problem: `took ${ms.toFixed(0)} ms (bound ${bounds.maxMs} ms)`, ms };
  if (outcome.ok && grown > bounds.slackBytes + bounds.perByte * bytes.length) {
    return { ok: false, problem: `memory grew by ${(grown / 2 ** 20).toFixed(1)} MB for a ${bytes.length}-byte file`, ms };
  }
  return outcome;
}
