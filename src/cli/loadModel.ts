/** Reading a model file for the CLI: its bytes, the parsed model, and its external data files (never from outside its folder). */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { attachExternalData, externalLocations, locationProblem, normalizeLocation, type ExternalDataEntry, type ExternalFileStatus } from '../core/onnx/externalData';
import { isOnnxReadError } from '../core/onnx/errors';
import { readModel } from '../core/onnx/modelIO';
import type { ModelProto } from '../core/onnx/types';

/** Input the CLI cannot use: one line on stderr, exit 2. */
export class InputError extends Error {}

export interface Loaded {
  bytes: Uint8Array;
  model: ModelProto;
  external: ExternalFileStatus[];
  externalData: ExternalDataEntry[];
}

/** External data files, read relative to the model's folder; nothing outside it (symlinks included). */
function readExternalFiles(modelPath: string, model: ModelProto): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const locations = externalLocations(model);
  if (locations.length === 0) return files;
  const dir = realpathSync(dirname(modelPath));
  for (const loc of locations) {
    if (locationProblem(loc)) continue;
    const rel = normalizeLocation(loc);
    try {
      const real = realpathSync(join(dir, rel));
      if (!real.startsWith(dir + sep)) continue;
      const b = readFileSync(real);
      files.set(rel, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    } catch {
      // Missing: reported by attachExternalData.
    }
  }
  return files;
}

export function load(path: string, err: (s: string) => void = () => {}): Loaded {
  let buf: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path} is a directory, not an ONNX model file`);
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message.split('\n')[0]}`);
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let model: ModelProto;
  try {
    model = readModel(bytes);
  } catch (e) {
    if (isOnnxReadError(e)) throw new InputError(`${path}: ${e.message}`);
    throw e;
  }
  const { statuses, entries } = attachExternalData(model, readExternalFiles(path, model));
  for (const s of statuses) if (s.state !== 'loaded') err(`fusion-inspector: warning: ${path}: external data ${s.message}`);
  return { bytes, model, external: statuses, externalData: entries };
}
