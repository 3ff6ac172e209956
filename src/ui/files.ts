/**
 * Files the user hands the page: several picked at once or a dropped folder. Sorted into the
 * model and its external data files, with paths relative to the model's folder.
 */
import { fileForLocation } from '../core/onnx/externalData';

export interface PickedFile {
  /** Path inside what was picked or dropped ('folder/data/w.bin'), or the bare file name. */
  path: string;
  file: File;
}

/** Bounds on walking a dropped folder: a dropped home directory must not hang the page. */
const MAX_ENTRIES = 5000;
const MAX_DEPTH = 8;

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const step = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0 || out.length >= MAX_ENTRIES) resolve(out);
        else {
          out.push(...batch);
          step();
        }
      }, reject);
    step();
  });
}

async function walk(entry: FileSystemEntry, depth: number, out: PickedFile[]): Promise<void> {
  if (out.length >= MAX_ENTRIES) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
  } else if (entry.isDirectory && depth < MAX_DEPTH) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, depth + 1, out);
  }
}

export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(dt.items)
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() : null))
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return Array.from(dt.files, (file) => ({ path: file.name, file }));
  const out: PickedFile[] = [];
  for (const e of entries) await walk(e, 0, out);
  return out;
}

export function filesFromList(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The open model, as far as sorting picked files needs it: its name and the data files it names. */
export interface OpenModel {
  fileName: string;
  /** Its external data locations, as the model writes them (loaded or not). */
  needs: readonly string[];
}

/** What to do with picked or dropped files. */
export type PickPlan =
  /** One model (`.onnx`), with the other files offered to it as data; `data` re-rooted at the model's folder. */
  | { kind: 'model'; model: PickedFile; data: PickedFile[] }
  /** Data files the open model names; `unused` are the rest. */
  | { kind: 'data'; data: PickedFile[]; unused: PickedFile[] }
  /** One file that is neither `.onnx` nor named by the open model: read it as a model (the reader says why not). */
  | { kind: 'probe'; file: PickedFile }
  /** Nothing is opened; `message` says why. */
  | { kind: 'refuse'; message: string };

const isOnnxName = (path: string): boolean => /\.onnx$/i.test(path);
const baseName = (path: string): string => path.split('/').pop() ?? path;

function listNames(files: readonly { path: string }[]): string {
  const names = files.slice(0, 4).map((f) => baseName(f.path));
  return `${names.join(', ')}${files.length > 4 ? ', …' : ''}`;
}

/** "mlp.onnx names no external data file" / "… names only weights.bin": why a file was not taken as its data. */
export function whatItNames(open: OpenModel): string {
  return `${open.fileName} names ${open.needs.length === 0 ? 'no external data file' : `only ${listNames(open.needs.map((path) => ({ path })))}`}`;
}

/** The files no location of the model names (the model reads them by path, else by base name). */
export function unusedFiles(files: readonly PickedFile[], needs: readonly string[]): PickedFile[] {
  const used = new Set(needs.map((loc) => fileForLocation(loc, files)));
  return files.filter((f) => !used.has(f));
}

/** "Not used: notes.txt — mlp.onnx names no external data file." or null when every file was used. */
export function unusedNote(unused: readonly PickedFile[], open: OpenModel): string | null {
  return unused.length === 0 ? null : `Not used: ${listNames(unused)} — ${whatItNames(open)}.`;
}

/**
 * One `.onnx` among the files is the model; the rest are offered to it as data, re-rooted at its
 * folder. Without one, the files the open model names are its data; a single other file is read
 * as a model (so a model not named `.onnx` still opens, and anything else gets the reader's reason).
 */
export function planPicked(files: PickedFile[], open: OpenModel | null): PickPlan {
  const models = files.filter((f) => isOnnxName(f.path));
  if (models.length > 1) {
    return { kind: 'refuse', message: `${models.length} .onnx files were given at once (${listNames(models)}), so none was opened${open ? ` and ${open.fileName} stays open` : ''}. Open one model at a time, with its data files.` };
  }
  const model = models[0];
  if (model) {
    const dir = model.path.slice(0, model.path.lastIndexOf('/') + 1);
    const data = files.filter((f) => f !== model).map((f) => ({ ...f, path: dir && f.path.startsWith(dir) ? f.path.slice(dir.length) : f.path }));
    return { kind: 'model', model, data };
  }
  const unused = open ? unusedFiles(files, open.needs) : files;
  if (unused.length < files.length) return { kind: 'data', data: files.filter((f) => !unused.includes(f)), unused };
  if (files.length === 1) return { kind: 'probe', file: files[0] };
  const why = open ? `, and ${whatItNames(open)}` : '';
  return { kind: 'refuse', message: `None of these ${files.length} files (${listNames(files)}) is an .onnx model${why}. Pick one model together with its data files.` };
}
