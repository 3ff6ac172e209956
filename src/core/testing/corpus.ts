/** Test helpers for ../shared/corpus (real PyTorch exports). Node-only; used by tests and benches. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = resolve(here, '../../../../shared/corpus');

export interface CorpusEntry {
  name: string;
  file: string;
  group: string;
  expect: Record<string, boolean>;
  codes: Record<string, string>;
  more: Record<string, boolean>;
  feeds: Record<string, number[]>;
  opset: number;
}

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'manifest.json'));
}

export function corpusManifest(): CorpusEntry[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export function corpusBytes(file: string): Uint8Array {
  const b = readFileSync(join(CORPUS_DIR, file));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
