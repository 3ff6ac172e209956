/**
 * Tensors whose data lives in files next to the model (ONNX external data). Locations are
 * relative to the model's folder; one that escapes it (`..`, an absolute path) is refused, so a
 * model can never make the CLI or the page read an unrelated file.
 */
import { attachExternalBytes, externalLocation, isExternal } from './tensor';
import { listOf } from './protobuf';
import type { GraphProto, ModelProto, TensorProto } from './types';

export type ExternalState = 'loaded' | 'missing' | 'refused' | 'out-of-range';

export interface ExternalFileStatus {
  /** The location exactly as the model writes it. */
  location: string;
  tensors: number;
  /** Bytes the tensors need from this file (offset + length at most). */
  bytesNeeded: number;
  state: ExternalState;
  message: string;
}

/** The bytes of the external files that were provided, for onnxruntime-web's `externalData` option. */
export interface ExternalDataEntry {
  path: string;
  data: Uint8Array;
}

interface Ref {
  tensor: TensorProto;
  location: string;
  offset: number;
  length: number | null;
}

function entry(t: TensorProto, key: string): string | undefined {
  return listOf(t.externalData).find((e) => e.key === key)?.value;
}

function* graphTensors(g: GraphProto): Generator<TensorProto> {
  yield* g.initializer;
  for (const n of g.node) {
    for (const a of n.attribute) {
      if (a.t) yield a.t;
      for (const t of listOf(a.tensors)) yield t;
      if (a.g) yield* graphTensors(a.g);
      for (const sg of listOf(a.graphs)) yield* graphTensors(sg);
    }
  }
}

function refs(model: ModelProto): Ref[] {
  const out: Ref[] = [];
  if (!model.graph) return out;
  for (const t of graphTensors(model.graph)) {
    if (!isExternal(t)) continue;
    const len = entry(t, 'length');
    out.push({ tensor: t, location: externalLocation(t) ?? '', offset: Number(entry(t, 'offset') ?? 0), length: len === undefined ? null : Number(len) });
  }
  return out;
}

/** Why a location may not be read, or null. Only plain relative paths inside the model's folder. */
export function locationProblem(location: string): string | null {
  if (location === '') return 'the model gives no location';
  if (location.includes('\0')) return 'the location contains a NUL character';
  if (/^([/\\]|[A-Za-z]:)/.test(location)) return 'it is an absolute path, outside the model’s folder';
  if (location.split(/[/\\]/).includes('..')) return 'it climbs out of the model’s folder with “..”';
  return null;
}

/** `a/./b` → `a/b`, backslashes as slashes: the key a provided file is looked up by. */
export function normalizeLocation(location: string): string {
  return location
    .split(/[/\\]/)
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/**
 * The provided file that stands for `location`: the same path relative to the model's folder, else
 * the same base name (a file picked on its own has no folder). The page's worker reads these, and
 * the page tells the user which picked files no location names.
 */
export function fileForLocation<F extends { path: string }>(location: string, files: readonly F[]): F | undefined {
  const norm = normalizeLocation(location);
  const base = norm.split('/').pop();
  return files.find((f) => normalizeLocation(f.path) === norm) ?? files.find((f) => f.path.split(/[/\\]/).pop() === base);
}

/** The distinct external files a model needs, before anything is loaded. */
export function externalLocations(model: ModelProto): string[] {
  return [...new Set(refs(model).map((r) => r.location))];
}

function fmtBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`;
}

/**
 * Loads the external tensors of `model` from `files` (keyed by normalized relative path; a file
 * given by its base name alone also matches). The model itself is not changed: the bytes are
 * attached beside each tensor, so saving keeps the external references.
 */
export function attachExternalData(model: ModelProto, files: ReadonlyMap<string, Uint8Array>): { statuses: ExternalFileStatus[]; entries: ExternalDataEntry[] } {
  const byBase = new Map<string, Uint8Array>();
  for (const [k, v] of files) byBase.set(k.split('/').pop()!, v);
  const groups = new Map<string, Ref[]>();
  for (const r of refs(model)) {
    let list = groups.get(r.location);
    if (!list) groups.set(r.location, (list = []));
    list.push(r);
  }
  const statuses: ExternalFileStatus[] = [];
  const entries: ExternalDataEntry[] = [];
  for (const [location, list] of groups) {
    const bytesNeeded = Math.max(...list.map((r) => r.offset + (r.length ?? 0)));
    const base = { location, tensors: list.length, bytesNeeded };
    const problem = locationProblem(location);
    if (problem) {
      statuses.push({ ...base, state: 'refused', message: `“${location}” is refused: ${problem}. Its ${list.length} tensor(s) stay unloaded.` });
      continue;
    }
    const norm = normalizeLocation(location);
    const data = files.get(norm) ?? byBase.get(norm.split('/').pop()!);
    if (!data) {
      statuses.push({ ...base, state: 'missing', message: `“${location}” (${list.length} tensor(s), at least ${fmtBytes(bytesNeeded)}) is needed and was not provided.` });
      continue;
    }
    const bad = list.filter((r) => !Number.isSafeInteger(r.offset) || r.offset < 0 || (r.length !== null && (!Number.isSafeInteger(r.length) || r.length < 0)) || r.offset + (r.length ?? 0) > data.length);
    for (const r of list) {
      if (bad.includes(r)) continue;
      attachExternalBytes(r.tensor, data.subarray(r.offset, r.length === null ? data.length : r.offset + r.length));
    }
    entries.push({ path: location, data });
    statuses.push(
      bad.length > 0
        ? { ...base, state: 'out-of-range', message: `“${location}” holds ${fmtBytes(data.length)}, but ${bad.length} tensor(s) point past its end or at a negative offset (e.g. “${bad[0].tensor.name ?? ''}” at offset ${bad[0].offset}); those stay unloaded.` }
        : { ...base, state: 'loaded', message: `“${location}”: ${list.length} tensor(s) loaded from ${fmtBytes(data.length)}.` },
    );
  }
  return { statuses, entries };
}


/**
 * Moves the data of initializers of at least `minBytes` into one external file (what
 * `onnx.save(..., save_as_external_data=True)` writes). Returns a new model and the file's bytes.
 */
export function moveToExternal(model: ModelProto, location: string, minBytes = 1024): { model: ModelProto; data: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const initializer = model.graph!.initializer.map((t) => {
    if (!t.rawData || t.rawData.length < minBytes) return t;
    const pad = (64 - (offset % 64)) % 64; // aligned like onnx's writer, so views can be typed
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(t.rawData);
    const moved: TensorProto = {
      ...t,
      rawData: undefined,
      dataLocation: 1,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(t.rawData.length) },
      ],
    };
    offset += t.rawData.length;
    return moved;
  });
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { model: { ...model, graph: { ...model.graph!, initializer } }, data };
}
