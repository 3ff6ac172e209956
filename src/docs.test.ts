/**
 * The README is what a new user reads first: what it counts, links and tells them to run must be
 * true of the code it describes.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LESSONS } from './examples/lessons';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('the README', () => {
  it('counts the lessons there are', () => {
    const counts = [...readme.matchAll(/(\d+) lessons/g)].map((m) => Number(m[1]));
    expect(counts.length).toBeGreaterThan(0);
    for (const n of counts) expect(n).toBe(LESSONS.length);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(root, link)), link).toBe(true);
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const s of named) expect(scripts, `npm run ${s}`).toContain(s);
  });

  it('keeps the measurement history out of the README (docs/performance.md holds it)', () => {
    expect(readme).toContain('docs/performance.md');
    expect(readme).not.toMatch(/Earlier runs/);
    // The latest run in a few lines and one table; every run before it lives in docs/performance.md.
    const perf = readme.slice(readme.indexOf('## Performance'), readme.indexOf('\n## ', readme.indexOf('## Performance') + 1));
    expect(perf.split('\n').length).toBeLessThan(30);
    expect(perf.match(/^\|---/gm)?.length).toBe(1);
  });
});
