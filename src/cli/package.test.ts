/**
 * The package as users install it: `npm pack`, then `npm install` of the tarball into an empty
 * folder, then the command through `npx` and the library from a plain `.mjs` file — with nothing
 * but what the package declares (no tsx, no React: onnxruntime-web, and onnxruntime-node where it
 * installs), and no install-time script of its own.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeModel } from '../core/onnx/modelIO';
import { exampleById } from '../examples/catalog';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

describe('the installable package', () => {
  it('installs from its tarball into an empty folder and runs as a command and as a library', () => {
    const out = mkdtempSync(join(tmpdir(), 'fi-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    expect(tgz).toMatch(/^fusion-inspector-\d+\.\d+\.\d+\.tgz$/);
    const app = mkdtempSync(join(tmpdir(), 'fi-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // Not --silent: npm's warnings are part of what a user sees on install.
    const install = spawnSync('npm', ['install', join(out, tgz), '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    // No install-time script of its own (its build runs on prepack, before the tarball is made).
    expect(install.stdout + install.stderr).not.toMatch(/fusion-inspector@[^\n]*(prepare|install)/);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/fusion-inspector/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts ?? {}, hook).not.toHaveProperty(hook);
    for (const built of ['dist/cli/fusion-inspector.mjs', 'dist/cli/analyzeWorker.mjs', 'dist/lib/index.mjs']) expect(existsSync(join(app, 'node_modules/fusion-inspector', built)), built).toBe(true);
    const installed = readdirSync(join(app, 'node_modules'));
    expect(installed).toContain('fusion-inspector');
    expect(installed).toContain('onnxruntime-web');
    for (const dev of ['tsx', 'react', '@xyflow', 'vite', 'typescript']) expect(installed, dev).not.toContain(dev);
    expect(existsSync(join(app, 'node_modules/fusion-inspector/src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/fusion-inspector/dist/types/lib/index.d.ts'))).toBe(true);

    writeFileSync(join(app, 'model.onnx'), writeModel(exampleById('mlp')!.build()));
    const cli = spawnSync('npx', ['fusion-inspector', 'analyze', 'model.onnx', '--json'], { cwd: app, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.pairs.map((p: { fusable: boolean }) => p.fusable).sort()).toEqual([false, false, true, true]);

    writeFileSync(
      join(app, 'use.mjs'),
      `import { readModel, analyze, fuse, verify, writeModel } from 'fusion-inspector';
import { readFileSync } from 'node:fs';
const bytes = new Uint8Array(readFileSync('model.onnx'));
const report = analyze(readModel('model.onnx'));
const fused = fuse(bytes);
const check = await verify(bytes, writeModel(fused.model));
console.log(JSON.stringify({ schema: report.schemaVersion, pairs: report.pairs.length, folded: fused.folded.length, pass: check.pass }));
`,
    );
    const lib = spawnSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' });
    expect(lib.status, lib.stderr).toBe(0);
    expect(JSON.parse(lib.stdout)).toEqual({ schema: 1, pairs: 4, folded: 2, pass: true });

    // onnxruntime-node is optional: where its install script cannot fetch its CUDA extras (as here),
    // npm leaves it out, the install above still succeeded, and verify runs onnxruntime-web.
    const engineOf = (cwd: string) => {
      const v = spawnSync('npx', ['fusion-inspector', 'verify', 'model.onnx', 'model.onnx', '--json'], { cwd, encoding: 'utf8' });
      expect(v.status, v.stderr).toBe(0);
      return (JSON.parse(v.stdout) as { engine: { name: string } }).engine.name;
    };
    expect(engineOf(app)).toBe(installed.includes('onnxruntime-node') ? 'node' : 'web');
    // With the extras skipped its prebuilt CPU binary installs, and verify runs natively.
    const native = mkdtempSync(join(tmpdir(), 'fi-app-'));
    writeFileSync(join(native, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(join(native, 'model.onnx'), writeModel(exampleById('mlp')!.build()));
    const skip = spawnSync('npm', ['install', join(out, tgz), '--no-audit', '--no-fund'], { cwd: native, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
    expect(skip.status, skip.stderr).toBe(0);
    expect(readdirSync(join(native, 'node_modules'))).toContain('onnxruntime-node');
    expect(engineOf(native)).toBe('node');
  }, 240_000);
});
