/** Test helpers for ../shared/corpus (real PyTorch exports). Node-only; used by tests and benches. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared/corpus beside the checkout; FUSION_CORPUS_DIR points elsewhere. */
export const CORPUS_DIR = process.env.FUSION_CORPUS_DIR ?? resolve(here, '../../../../shared/corpus');

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

const missing = !corpusAvailable();
// CI always has the corpus beside the checkout: there a missing corpus is a failure, not a skip.
if (missing && process.env.CI) throw new Error(`The corpus of real exports is missing: expected ${CORPUS_DIR}/manifest.json (../shared/corpus beside the checkout).`);

/**
 * `it` and `describe` for tests that read the corpus: in a clone of this repository alone (no
 * ../shared beside it) they are reported as skipped instead of failing on a missing file.
 */
export const corpusIt = it.skipIf(missing);
export const corpusDescribe = describe.skipIf(missing);

/** The manifest's entries; none where the corpus is absent (the loops over it then make no tests). */
export function corpusManifest(): CorpusEntry[] {
  if (missing) return [];
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export function corpusBytes(file: string): Uint8Array {
  const b = readFileSync(join(CORPUS_DIR, file));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
