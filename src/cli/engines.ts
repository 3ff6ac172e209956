/**
 * The CLI's engines: onnxruntime-node (native CPU, an optional dependency) when it is installed,
 * else onnxruntime-web (wasm). Node-only — the page never imports this module, so its bundle never
 * holds onnxruntime-node.
 *
 * onnxruntime-node reads a model's external data from files beside the model, not from memory, and
 * writes its optimized model to a file: both go through a temporary folder, removed afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ENGINE_NAMES, webEngine, type EngineInfo, type EngineName, type ExternalFiles, type OrtEngine, type OrtOptimization, type OrtSession } from '../core/verify/ortSession';

type NodeOrt = typeof import('onnxruntime-node');
type SessionOptions = import('onnxruntime-node').InferenceSession.SessionOptions;

export function isEngineName(s: string): s is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(s);
}

/** An engine as reports name it: `onnxruntime-node 1.30.0 (native CPU)`. */
export function engineText(e: EngineInfo): string {
  return `${e.package} ${e.version} (${e.backend})`;
}

/** Why the asked-for engine cannot run here. */
export class EngineUnavailable extends Error {}

/** A temporary folder holding the model (and its external files, at the locations it names). */
function withFolder<T>(bytes: Uint8Array, externalData: ExternalFiles, use: (dir: string, modelPath: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'fusion-inspector-'));
  const modelPath = join(dir, 'model.onnx');
  writeFileSync(modelPath, bytes);
  for (const f of externalData) {
    // Locations were normalized and kept inside the model's folder when the model was loaded (loadModel.ts).
    const to = join(dir, f.path);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, f.data);
  }
  return use(dir, modelPath).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function nodeEngineOf(ort: NodeOrt): OrtEngine {
  // Warnings (e.g. that a model optimized at level all holds hardware-specific ops) stay out of the report.
  const options = (optimization: OrtOptimization): SessionOptions => ({ graphOptimizationLevel: optimization, executionProviders: ['cpu'], logSeverityLevel: 3 });
  const create = (bytes: Uint8Array, externalData: ExternalFiles, optimization: OrtOptimization): Promise<OrtSession> =>
    externalData.length === 0 ? ort.InferenceSession.create(bytes, options(optimization)) : withFolder(bytes, externalData, (_, path) => ort.InferenceSession.create(path, options(optimization)));
  return {
    info: { name: 'node', package: 'onnxruntime-node', version: ort.env.versions.node ?? ort.env.versions.common, backend: 'native CPU' },
    createSession: create,
    tensor: (type, data, dims) => new ort.Tensor(type, data as never, dims),
    optimizedModel: {
      kind: 'writes',
      write: (bytes, externalData, level) =>
        withFolder(bytes, externalData, async (dir, path) => {
          const out = join(dir, 'optimized.onnx');
          const session = await ort.InferenceSession.create(path, { ...options(level), optimizedModelFilePath: out });
          await session.release();
          return new Uint8Array(readFileSync(out));
        }),
    },
  };
}

let nodeEngine: Promise<OrtEngine | null> | null = null;

/** onnxruntime-node, or null when it is not installed (or its native library does not load here). */
export function loadNodeEngine(): Promise<OrtEngine | null> {
  nodeEngine ??= import('onnxruntime-node').then(
    (m) => nodeEngineOf(((m as { default?: NodeOrt }).default ?? m) as NodeOrt),
    () => null,
  );
  return nodeEngine;
}

/** `--engine`: as asked; without it onnxruntime-node when it loads, else onnxruntime-web. */
export async function engineFor(asked: EngineName | undefined): Promise<OrtEngine> {
  switch (asked) {
    case 'web':
      return webEngine;
    case 'node': {
      const engine = await loadNodeEngine();
      if (!engine) throw new EngineUnavailable('--engine node: onnxruntime-node is not installed here (or its native library does not load); `npm install onnxruntime-node`, or use --engine web');
      return engine;
    }
    case undefined:
      return (await loadNodeEngine()) ?? webEngine;
    default:
      return asked satisfies never;
  }
}
