import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleFiles } from './exampleFiles';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/examples');

describe('public/examples', () => {
  it('holds exactly what the builder produces (run `npm run examples` after changing the catalog)', () => {
    const want = exampleFiles();
    expect(readdirSync(dir).sort()).toEqual([...want.keys()].sort());
    for (const [name, bytes] of want) {
      expect(Buffer.from(readFileSync(join(dir, name))).equals(Buffer.from(bytes)), name).toBe(true);
    }
  });
});
