/**
 * `analyze` over several models and folders: the `.onnx` files found (folders walked), analysed on
 * worker threads (one per core, or `threads`), results in the order the files were found. A file
 * that cannot be read is a result too; it never stops the others.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analyzeFile, type ModelResult } from './modelResult';

/** Files given, and `.onnx` files under folders given (sorted, depth-first). */
export function collectModels(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 32) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      files.push(dir); // reported when read: one line, like any unreadable input
      return;
    }
    for (const name of entries) {
      const p = join(dir, name);
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(p, depth + 1);
      else if (name.toLowerCase().endsWith('.onnx')) files.push(p);
    }
  };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // A missing path is a result of its own (its error names it).
    }
    if (isDir) walk(p, 0);
    else files.push(p);
  }
  return files;
}

export async function analyzeMany(files: readonly string[], opts: { threads?: number; onResult?: (done: number, total: number, r: ModelResult) => void } = {}): Promise<ModelResult[]> {
  const results: ModelResult[] = new Array(files.length);
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), files.length));
  let done = 0;
  const finish = (i: number, r: ModelResult) => {
    results[i] = r;
    opts.onResult?.(++done, files.length, r);
  };
  if (threads === 1) {
    files.forEach((f, i) => finish(i, analyzeFile(f)));
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./analyzeWorker.mjs', import.meta.url)));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const feed = () => {
              if (next >= files.length) return resolve();
              current = next++;
              w.postMessage(files[current]);
            };
            w.on('message', (r: ModelResult) => {
              finish(current, r);
              feed();
            });
            w.on('error', (e) => reject(e));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
