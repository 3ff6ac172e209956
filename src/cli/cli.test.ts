/** The CLI as other tools use it: a real process, its stdout, stderr and exit code. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { moveToExternal } from '../core/onnx/externalData';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, corpusManifest, corpusIt } from '../core/testing/corpus';
import { exampleById } from '../examples/catalog';
import { writeModel } from '../core/onnx/modelIO';
import { fuse } from '../core/rewrite/fuse';
import { analyzeModel } from '../core/analysis';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../bin/fusion-inspector.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'fi-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpModel(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

describe('fusion-inspector CLI', () => {
  corpusIt('info works on every corpus model, as text and JSON', () => {
    for (const e of corpusManifest()) {
      const r = run('info', join(CORPUS_DIR, e.file), '--json');
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.opsets[0]).toEqual({ domain: 'ai.onnx', version: e.opset });
      expect(j.nodeCount).toBeGreaterThan(0);
      expect(j.inputs.map((i: { name: string }) => i.name)).toEqual(Object.keys(e.feeds));
    }
    const t = run('info', join(CORPUS_DIR, 'tabular_mlp_opset13.onnx'));
    expect(t.stdout).toMatch(/IR version\s+7/);
    expect(t.stdout).toMatch(/3\s+Gemm/);
    expect(t.stdout).toContain('x  float32 [batch, 20]');
  });

  it('unreadable input: one line on stderr, exit 2', () => {
    for (const cmd of ['info', 'analyze']) {
      const missing = run(cmd, join(tmp, 'missing.onnx'));
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      const bad = run(cmd, tmpModel('bad.onnx', new TextEncoder().encode('not a model at all')));
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain('not an ONNX');
    }
    expect(run('fuse', tmpModel('empty.onnx', new Uint8Array()), '-o', join(tmp, 'x.onnx')).code).toBe(2);
    expect(run('verify', tmpModel('e2.onnx', new Uint8Array()), tmpModel('e3.onnx', new Uint8Array())).code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
  });

  corpusIt('analyze --json lists the other patterns under morePairs: MobileNetV3 has 34 Conv→BN folds', () => {
    const r = run('analyze', join(CORPUS_DIR, 'mobilenet_v3_small.onnx'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pairs).toEqual([]);
    expect(j.morePairs.filter((p: { pattern: string; fusable: boolean }) => p.pattern === 'conv-bn' && p.fusable)).toHaveLength(34);
    expect(Object.keys(j.morePairs[0])).toEqual(['id', 'linear', 'batchNorm', 'bnOutput', 'fusable', 'reasons', 'pattern']);
    const t = run('analyze', join(CORPUS_DIR, 'mobilenet_v3_small.onnx'));
    expect(t.stdout).toMatch(/34 pair\(s\) \(34 Conv→BatchNormalization\), 34 fusable/);
    expect(t.stdout).not.toContain('Linear→BatchNormalization');
  });

  corpusIt('analyze --json follows the contract exactly', () => {
    const r = run('analyze', join(CORPUS_DIR, 'seed_invalid_3d.onnx'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'model', 'pairs', 'morePairs']);
    expect(j.schemaVersion).toBe(1);
    expect(j.pairs).toHaveLength(1);
    const p = j.pairs[0];
    expect(Object.keys(p)).toEqual(['id', 'linear', 'batchNorm', 'bnOutput', 'fusable', 'reasons']);
    expect(Object.keys(p.linear)).toEqual(['nodes', 'kind', 'weight', 'bias', 'outputShape']);
    expect(p.linear.kind).toBe('MatMul+Add');
    expect(p.linear.outputShape).toEqual([2, 2, 5]);
    expect(p.batchNorm.channels).toBe(2);
    expect(p.bnOutput).toBe('y');
    expect(p.fusable).toBe(false);
    expect(p.reasons[0].code).toBe('LINEAR_OUTPUT_RANK');
    const text = run('analyze', join(CORPUS_DIR, 'seed_invalid_3d.onnx'));
    expect(text.stdout).toContain('NOT FUSABLE');
    expect(text.stdout).toContain('LINEAR_OUTPUT_RANK');
  });

  corpusIt('fuse writes a model that verify calls equivalent (exit 0); a wrong one exits 1', () => {
    const src = join(CORPUS_DIR, 'tabular_mlp_opset13.onnx');
    const out = join(tmp, 'mlp.fused.onnx');
    const f = run('fuse', src, '-o', out);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toContain('folded   /body/body.1/BatchNormalization_output_0');
    expect(f.stdout).toContain('2 folded, 0 skipped; 7 → 5 nodes');
    const v = run('verify', src, out, '--json', '--dim', 'batch=3', '--seed', '5');
    expect(v.code, v.stderr).toBe(0);
    const report = JSON.parse(v.stdout);
    expect(report.pass).toBe(true);
    expect(report.seed).toBe(5);
    expect(report.dims).toEqual([{ name: 'batch', value: 3, defaulted: false, setBy: 'option' }]);

    const coincidence = exampleById('coincidence_3d')!.build();
    const a = tmpModel('coinc.onnx', writeModel(coincidence));
    const wrong = tmpModel('coinc.wrong.onnx', writeModel(fuse(analyzeModel(coincidence), { ignoreAxisRule: true }).model));
    const bad = run('verify', a, wrong);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('NOT EQUIVALENT');
  });

  it('fuse --only folds just the named pair and reports skipped ones with codes', () => {
    const mlp = tmpModel('mlp.onnx', writeModel(exampleById('mlp')!.build()));
    const out = join(tmp, 'mlp.only.onnx');
    const r = run('fuse', mlp, '-o', out, '--only', '/body/bn1/BatchNormalization_output_0', '--only', 'y');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('folded   /body/bn1/BatchNormalization_output_0');
    expect(r.stdout).toContain('skipped  y  PRE_BN_VALUE_SHARED');
    expect(r.stdout).toContain('1 folded, 1 skipped');
  });

  it('external data is read relative to the model, and never from outside its folder', () => {
    const bn1 = '/body/bn1/BatchNormalization_output_0';
    const dir = join(tmp, 'ext');
    mkdirSync(dir, { recursive: true });
    const ext = moveToExternal(exampleById('mlp')!.build(), 'weights.bin', 64);
    writeFileSync(join(dir, 'model.onnx'), writeModel(ext.model));
    writeFileSync(join(dir, 'weights.bin'), ext.data);
    const info = run('info', join(dir, 'model.onnx'));
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/external data\n\s+loaded\s+“weights.bin”/);
    const a = JSON.parse(run('analyze', join(dir, 'model.onnx'), '--json').stdout);
    expect(a.pairs.find((p: { id: string }) => p.id === bn1).fusable).toBe(true);
    const f = run('fuse', join(dir, 'model.onnx'), '-o', join(dir, 'fused.onnx'));
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toContain('still reads untouched weights from weights.bin');
    const v = run('verify', join(dir, 'model.onnx'), join(dir, 'fused.onnx'));
    expect(v.code, v.stderr + v.stdout).toBe(0);
    expect(v.stdout).toContain('EQUIVALENT');

    // The same data one folder up, referenced as ../weights.bin: refused, not read.
    const inner = join(dir, 'inner');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, 'model.onnx'), writeModel(moveToExternal(exampleById('mlp')!.build(), '../weights.bin', 64).model));
    const r = run('analyze', join(inner, 'model.onnx'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('refused');
    expect(JSON.parse(r.stdout).pairs.find((p: { id: string }) => p.id === bn1).fusable).toBe(false);
  });

  corpusIt('strict arguments: an option the command does not take, a missing or extra path, a bad number: usage error, exit 2', () => {
    const m = join(CORPUS_DIR, 'seed_valid_2d.onnx');
    const cases: [string[], string][] = [
      [['analyze', m, '--only', 'y'], "Unknown option '--only'"],
      [['info', m, '-o', 'x.onnx'], "Unknown option '-o'"],
      [['analyze'], 'analyze takes at least one model path or folder'],
      [['info', m, m], 'info takes one model path, got 2'],
      [['verify', m], 'verify takes 2 model paths, got 1'],
      [['fuse', m], 'fuse needs -o <out.onnx>'],
      [['fuse', m, '-o', join(tmp, 'x.onnx'), '--only', 'y', 'extra'], 'fuse takes one model path, got 2: "extra" extra'],
      [['verify', m, m, '--seed', 'ten'], '--seed needs a number'],
      [['frobnicate'], 'unknown command "frobnicate"'],
      [[], 'usage: fusion-inspector <command>'],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stdout).toBe('');
    }
  });

  it('--only may be given several times, never swallows the model path, and an unknown id writes nothing', () => {
    const mlp = tmpModel('mlp2.onnx', writeModel(exampleById('mlp')!.build()));
    const out = join(tmp, 'mlp2.fused.onnx');
    const r = run('fuse', '--only', '/body/bn1/BatchNormalization_output_0', mlp, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 folded, 0 skipped');
    const missing = join(tmp, 'never.onnx');
    const bad = run('fuse', mlp, '-o', missing, '--only', 'no-such-pair');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no pair has the id "no-such-pair"');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(missing)).toBe(false);
  });

  it('--version, help and --help, per command too, describe each command and the exit codes', () => {
    const pkg = JSON.parse(readFileSync(resolve(fileURLToPath(import.meta.url), '../../../package.json'), 'utf8'));
    const v = run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    for (const args of [['help'], ['--help']]) {
      const h = run(...args);
      expect(h.code).toBe(0);
      for (const cmd of ['info', 'analyze', 'fuse', 'verify']) expect(h.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
      expect(h.stdout).toContain('exit codes: 0 success');
    }
    for (const args of [['fuse', '--help'], ['help', 'fuse'], ['fuse', '-h']]) {
      const h = run(...args);
      expect(h.code, args.join(' ')).toBe(0);
      expect(h.stdout).toContain('usage: fusion-inspector fuse <in.onnx> -o <out.onnx>');
      expect(h.stdout).toContain('exit codes');
    }
  });

  corpusIt('a reader that closes the pipe early ends the output quietly with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'info', join(CORPUS_DIR, 'vit_tiny_encoder12.onnx')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  corpusIt('a directory or a missing file given as a model: one line; verify names the input that differs with both shapes', () => {
    const dir = run('info', tmp);
    expect(dir.code).toBe(2);
    expect(dir.stderr.trim()).toBe(`fusion-inspector: ${tmp} is a directory, not an ONNX model file`);
    const missing = run('analyze', join(tmp, 'nope.onnx'));
    expect(missing.stderr.trim()).toBe(`fusion-inspector: cannot read ${join(tmp, 'nope.onnx')}: no such file`);
    const v = run('verify', join(CORPUS_DIR, 'seed_valid_2d.onnx'), join(CORPUS_DIR, 'seed_invalid_3d.onnx'));
    expect(v.code).toBe(2);
    expect(v.stderr.trim()).toBe('fusion-inspector: The models cannot be compared: input "x" is float32 [2, 3] in the first model but float32 [2, 2, 3] in the second.');
  });

  corpusIt('analyze over folders: every .onnx found, on worker threads, a broken file reported and the rest analysed (exit 2)', () => {
    const dir = join(tmp, 'many');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const names = corpusManifest().map((e) => e.file);
    for (const f of names) writeFileSync(join(dir, f), readFileSync(join(CORPUS_DIR, f)));
    writeFileSync(join(dir, 'sub', 'again.onnx'), readFileSync(join(CORPUS_DIR, 'seed_valid_2d.onnx')));
    writeFileSync(join(dir, 'broken.onnx'), 'not a model');
    writeFileSync(join(dir, 'notes.txt'), 'ignored: not .onnx');
    const r = run('analyze', dir);
    expect(r.code).toBe(2);
    // The broken file in its table row, and in one line on stderr.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^fusion-inspector: .*broken\.onnx.*not an ONNX file/)]);
    expect(r.stdout.match(/broken\.onnx/g)).toHaveLength(2); // the row's file and its error, which names it
    for (const f of [...names, 'again.onnx']) expect(r.stdout).toContain(f);
    expect(r.stdout).toMatch(/mobilenet_v3_small\.onnx\s+34\s+34\s+0\s+Conv→BN 34\/34/);
    expect(r.stdout).toContain(`${names.length + 2} model(s), 1 unreadable`);
    // JSON Lines: one object a model, the same object `analyze --json` prints for one model.
    const lines = run('analyze', dir, '--json').stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(names.length + 2);
    const mlp = lines.find((l) => l.file.endsWith('tabular_mlp_opset13.onnx'));
    const single = JSON.parse(run('analyze', join(CORPUS_DIR, 'tabular_mlp_opset13.onnx'), '--json').stdout);
    expect({ ...mlp, file: undefined }).toEqual({ ...single, file: undefined });
    expect(lines.find((l) => l.file.endsWith('broken.onnx')).error).toContain('not an ONNX file');
    // One thread or several: the same results, in the same order.
    const one = run('analyze', dir, '--json', '--threads', '1').stdout;
    expect(run('analyze', dir, '--json', '--threads', '2').stdout).toBe(one);
  });

  corpusIt('--fail-on gates CI: unfused (a fold the export missed) and refused:<CODE>; --format md prints the report', () => {
    const valid = join(CORPUS_DIR, 'seed_valid_2d.onnx');
    const invalid = join(CORPUS_DIR, 'seed_invalid_3d.onnx');
    expect(run('analyze', valid, '--fail-on', 'unfused').code).toBe(1);
    expect(run('analyze', invalid, '--fail-on', 'unfused').code).toBe(0);
    const refused = run('analyze', invalid, '--fail-on', 'refused:LINEAR_OUTPUT_RANK');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('a pair is refused with LINEAR_OUTPUT_RANK');
    expect(run('analyze', valid, '--fail-on', 'refused:LINEAR_OUTPUT_RANK').code).toBe(0);
    expect(run('analyze', valid, invalid, '--fail-on', 'unfused', '--fail-on', 'refused:TRANSPOSE_AXIS').code).toBe(1);
    const fused = join(tmp, 'valid.fused.onnx');
    expect(run('fuse', valid, '-o', fused).code).toBe(0);
    expect(run('analyze', fused, '--fail-on', 'unfused').code).toBe(0);
    const bad = run('analyze', valid, '--fail-on', 'refused:NO_SUCH_CODE');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on takes');
    const md = run('analyze', invalid, '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# Fusion Inspector report');
    expect(md.stdout).toContain('`LINEAR_OUTPUT_RANK`');
    expect(run('analyze', invalid, '--format', 'md', '--json').code).toBe(2);
  });

  it('an unreadable model: one line on stderr naming it, one file or several, as text, --json and --format md; several also say it in their place (exit 2)', () => {
    const good = tmpModel('once-good.onnx', writeModel(exampleById('mlp')!.build()));
    const bad = tmpModel('once-bad.onnx', new TextEncoder().encode('not a model at all'));
    const missing = join(tmp, 'once-missing.onnx');
    for (const format of [[], ['--json'], ['--format', 'md']]) {
      for (const files of [[bad], [good, missing, bad]]) {
        const r = run('analyze', ...files, ...format);
        const what = `${files.join(' ')} ${format.join(' ')}`;
        expect(r.code, what).toBe(2);
        const broken = files.filter((f) => f !== good);
        const lines = r.stderr.trim().split('\n');
        expect(lines, what).toHaveLength(broken.length);
        for (const [f, words] of [
          [bad, 'not an ONNX file'],
          [missing, 'no such file'],
        ]) {
          if (!files.includes(f)) continue;
          expect(lines.filter((l) => l.startsWith('fusion-inspector: ') && l.includes(f) && l.includes(words)), `${what}: ${f}`).toHaveLength(1);
          // With several files the report says it in its place too (a row, an {"file", "error"} line, the summary's errors column).
          expect(r.stdout.split(words).length - 1, `${what}: ${f}`).toBe(files.length > 1 ? 1 : 0);
        }
      }
    }
    // An unreadable file outranks a --fail-on hit (exit 2, not 1); both are said on stderr.
    const gate = run('analyze', good, bad, '--fail-on', 'unfused');
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain(`--fail-on: ${good}: 2 fusable pair(s) not folded`);
    expect(gate.stderr).toContain('not an ONNX file');
    expect(run('analyze', good, good, '--fail-on', 'unfused').code).toBe(1);
  });

  corpusIt('a folder report in Markdown opens with one summary table over all models, then each model', () => {
    const dir = join(tmp, 'mdfolder');
    mkdirSync(dir, { recursive: true });
    const names = ['face_embedding.onnx', 'mobilenet_v3_small.onnx', 'seed_invalid_3d.onnx'];
    for (const f of names) writeFileSync(join(dir, f), readFileSync(join(CORPUS_DIR, f)));
    writeFileSync(join(dir, 'broken.onnx'), 'not a model');
    const r = run('analyze', dir, '--format', 'md');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/broken\.onnx.*not an ONNX file/)]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`# Fusion Inspector report: ${names.length + 1} model(s)`);
    expect(lines.filter((l) => l.startsWith('# '))).toHaveLength(1);
    expect(lines[2]).toBe('| model | pairs by pattern | fusable | not fusable | errors |');
    const summary = lines.slice(4, 4 + names.length + 1).map((l) => l.slice(2, -2).split(' | '));
    const row = (f: string) => summary.find((c) => c[0] === `\`${join(dir, f)}\``)!;
    expect(row('broken.onnx').slice(1, 4)).toEqual(['—', '—', '—']);
    expect(row('broken.onnx')[4]).toContain('not an ONNX file');
    for (const f of names) {
      const a = JSON.parse(run('analyze', join(CORPUS_DIR, f), '--json').stdout) as { pairs: { fusable: boolean }[]; morePairs: { pattern: string; fusable: boolean }[] };
      const all = [...a.pairs.map((p) => ({ ...p, pattern: 'linear-bn' })), ...a.morePairs];
      const fusable = all.filter((p) => p.fusable).length;
      const kinds = run('analyze', join(CORPUS_DIR, f)).stdout.split('\n')[0].match(/pair\(s\) \((.*)\),/)![1];
      expect(row(f), f).toEqual([`\`${join(dir, f)}\``, kinds, String(fusable), String(all.length - fusable), '—']);
      // Then the model's own section, under the summary.
      expect(lines.indexOf(`## \`${join(dir, f)}\``), f).toBeGreaterThan(4 + names.length);
    }
    expect(row('mobilenet_v3_small.onnx')[1]).toBe('34 Conv→BatchNormalization');
    expect(lines.some((l) => l.includes('broken.onnx') && l.startsWith('#'))).toBe(false);
  });

  it('--format: the help and the usage error list the same formats', () => {
    const help = run('help', 'analyze').stdout.match(/--format ([\w|]+)/)![1].split('|');
    const bad = run('analyze', join(tmp, 'whatever.onnx'), '--format', 'html');
    expect(bad.code).toBe(2);
    const said = [...bad.stderr.split('\n')[0].matchAll(/"(\w+)"/g)].map((m) => m[1]).filter((f) => f !== 'html');
    expect(said).toEqual(help);
    expect(help).toContain('md');
    for (const f of help) expect(run('analyze', tmpModel('fmt.onnx', writeModel(exampleById('mlp')!.build())), '--format', f).code, f).toBe(0);
  });

  corpusIt('fuse that folds nothing still writes the model and says why on stderr; a partial fold sums up there too', () => {
    /** Each refusing code with the number of pairs it refused, from analyze --json. */
    const codes = (path: string) => {
      const a = JSON.parse(run('analyze', path, '--json').stdout) as { pairs: { fusable: boolean; reasons: { code: string }[] }[] };
      const n = new Map<string, number>();
      for (const p of a.pairs.filter((x) => !x.fusable)) for (const c of new Set(p.reasons.map((x) => x.code))) n.set(c, (n.get(c) ?? 0) + 1);
      return { refused: a.pairs.filter((x) => !x.fusable).length, n };
    };
    const expectCodes = (line: string, n: Map<string, number>) => {
      for (const [c, k] of n) expect(line).toContain(k > 1 ? `${c} ×${k}` : c);
      for (const [c, k] of n) if (k === 1) expect(line).not.toContain(`${c} ×`);
    };
    const train = join(CORPUS_DIR, 'train_mode_export.onnx');
    const out = join(tmp, 'train.fused.onnx');
    const none = run('fuse', train, '-o', out);
    expect(none.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const { refused, n } = codes(train);
    expect(refused).toBeGreaterThan(1);
    const line = none.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(new RegExp(`^fusion-inspector: nothing folded: ${refused} pairs, none fusable \\(`));
    expect([...n.values()].some((k) => k > 1)).toBe(true);
    expectCodes(line, n);

    const mlp = tmpModel('mlp.partial.onnx', writeModel(exampleById('mlp')!.build()));
    const some = run('fuse', mlp, '-o', join(tmp, 'mlp.partial.fused.onnx'));
    expect(some.code).toBe(0);
    const c = codes(mlp);
    const all = (JSON.parse(run('analyze', mlp, '--json').stdout) as { pairs: unknown[] }).pairs.length;
    const partial = some.stderr.trim();
    expect(partial).toMatch(new RegExp(`^fusion-inspector: ${all - c.refused} of ${all} pairs folded; ${c.refused} not fusable \\(`));
    expectCodes(partial, c.n);
    // Everything folded: nothing to say on stderr.
    expect(run('fuse', join(CORPUS_DIR, 'tabular_mlp_opset13.onnx'), '-o', join(tmp, 'tab.fused.onnx')).stderr).toBe('');
  });
});
