/**
 * Files the user hands the page: several picked at once or a dropped folder. Sorted into the
 * model and its external data files, with paths relative to the model's folder.
 */

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

export type Sorted = { model: PickedFile | null; data: PickedFile[] } | { error: string };

/**
 * One `.onnx` among the files is the model; the rest are data, re-rooted at the model's folder.
 * With no `.onnx`, a single file is taken as the model when none is open, else all are data.
 */
export function sortFiles(files: PickedFile[], modelOpen: boolean): Sorted {
  const models = files.filter((f) => /\.onnx$/i.test(f.path));
  if (models.length > 1) {
    const names = models.slice(0, 4).map((m) => m.path).join(', ');
    return { error: `${models.length} .onnx files were given (${names}${models.length > 4 ? ', …' : ''}). Open one model at a time, with its data files.` };
  }
  let model = models[0] ?? null;
  if (!model && !modelOpen) {
    if (files.length !== 1) return { error: 'None of these files is an .onnx model. Pick the model together with its data files.' };
    model = files[0];
  }
  const dir = model ? model.path.slice(0, model.path.lastIndexOf('/') + 1) : '';
  const data = files.filter((f) => f !== model).map((f) => ({ ...f, path: dir && f.path.startsWith(dir) ? f.path.slice(dir.length) : f.path }));
  return { model, data };
}
