/** The Markdown report keeps model names as text wherever it is rendered, and names each pair by its own pattern. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { readModel, writeModel } from '../onnx/modelIO';
import { PATTERN_LIST, PATTERNS } from '../patterns/registry';
import { InspectorSession } from '../session/inspectorSession';
import { CORPUS_DIR, corpusIt } from '../testing/corpus';
import { KeptOriginal } from '../verify/keptOriginal';
import { webEngine } from '../verify/ortSession';
import { verify } from '../verify/verify';

const PUBLIC_EXAMPLES = join(fileURLToPath(import.meta.url), '../../../../public/examples');

/** The page's report (the session's export) of a corpus model, and the pairs a fresh analysis finds in it. */
function reportOf(file: string) {
  const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
  const s = new InspectorSession();
  s.open(file, bytes);
  return { ...s.report(), pairs: analyzeModel(readModel(bytes)).pairs };
}

/** The table rows of the Markdown report: its first cell is the pattern. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| pattern'))
    .map((l) => l.slice(2, -2).split(' | '));
}

describe('pairs report', () => {
  it('HTML in names is escaped in prose and fenced in code spans, backticks included', () => {
    const r = seededRandom(9);
    const b = new ModelBuilder().opset(14);
    const h = 'h<img src=x onerror=alert(1)>';
    const y = 'y`b`';
    b.input('x', [2, 3, 5]).output(y);
    b.init('w', [5, 4], randomValues(r, 20));
    b.node('MatMul', ['x', 'w'], [h], {}, '/fc<script>x</script>/MatMul');
    for (const p of ['s', 'bb', 'm', 'v']) b.init(p, [3], randomValues(r, 3, 0.5, 1));
    b.node('BatchNormalization', [h, 's', 'bb', 'm', 'v'], [y], {}, '/bn/BatchNormalization');
    const s = new InspectorSession();
    s.open('m.onnx', writeModel(b.build()));
    const { markdown, json } = s.report();
    expect(json.pairs[0].fusable).toBe(false);
    // The reason messages quote the node name; in prose it is escaped.
    expect(markdown).toContain('MatMul "/fc&lt;script&gt;x&lt;/script&gt;/MatMul" writes');
    // In code spans names stay literal, fenced past their own backticks.
    expect(markdown).toContain('`/fc<script>x</script>/MatMul`');
    expect(markdown).toContain('- `` y`b` ``');
    const outside = markdown.replace(/(`+)[^\n]*?\1/g, '');
    expect(outside).not.toMatch(/<(img|script)\b/);
  });
});

describe('each pair named by its own pattern', () => {
  corpusIt('MobileNetV3: its Conv→BN pairs are Conv→BatchNormalization in the Markdown and the JSON, under a Conv column, never Linear', () => {
    const { markdown, json, pairs } = reportOf('mobilenet_v3_small.onnx');
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => p.pattern === 'conv-bn')).toBe(true);
    expect(markdown).toContain(`**${pairs.length}** pair(s) (${pairs.length} ${PATTERNS['conv-bn'].name}):`);
    expect(markdown).not.toContain('Linear');
    expect(markdown).toContain('| pattern | BN output | Conv | Conv output | verdict | reasons |');
    expect(rows(markdown).map((r) => r[0])).toEqual(pairs.map(() => 'Conv→BatchNormalization'));
    expect(json.pairs.map((p) => p.pattern)).toEqual(pairs.map((p) => p.pattern));
    expect(json.totals.byPattern).toEqual([{ pattern: 'conv-bn', name: 'Conv→BatchNormalization', pairs: pairs.length, fusable: pairs.filter((p) => p.fusable).length, notFusable: pairs.filter((p) => !p.fusable).length }]);
  });

  corpusIt('a model with both Linear→BN and Conv→BN: each counted and each row named by its pattern, in the registry order', () => {
    const { markdown, json, pairs } = reportOf('face_embedding.onnx');
    const present = PATTERN_LIST.filter((x) => pairs.some((p) => p.pattern === x.id));
    expect(present.map((x) => x.id).sort()).toEqual(['conv-bn', 'linear-bn']);
    const counted = present.map((x) => `${pairs.filter((p) => p.pattern === x.id).length} ${x.name}`).join(', ');
    expect(markdown).toContain(`**${pairs.length}** pair(s) (${counted}):`);
    expect(markdown).toContain('| pattern | BN output | Linear / Conv | Linear / Conv output |');
    const byRow = new Map(rows(markdown).map((r) => [r[1], r[0]]));
    for (const p of pairs) expect(byRow.get(`\`${p.bnOutput}\``), p.id).toBe(PATTERNS[p.pattern].name);
    expect(json.totals.byPattern.map((c) => c.pattern)).toEqual(present.map((x) => x.id));
  });
});

describe('the report’s verification timings', () => {
  it('say what the panel says: a kept session is “kept (made before)”, kept outputs “not run (same inputs)”, never an earlier measurement as this one', async () => {
    const s = new InspectorSession();
    const bytes = new Uint8Array(readFileSync(join(PUBLIC_EXAMPLES, 'mlp.onnx')));
    s.open('mlp.onnx', bytes);
    s.fuse(undefined, false);
    const fused = s.currentBytes();
    const kept = new KeptOriginal(1, webEngine, bytes.slice(), []);
    const lineOf = (label: string) => s.report().markdown.split('\n').find((l) => l.startsWith(label));
    try {
      // First verify: the kept original's session made now, both models run now.
      const first = await verify(bytes, fused, { kept });
      expect(first.original.source).toBe('this-verify');
      s.setVerify(first);
      expect(lineOf('Session create:')).toBe(`Session create: original ${first.original.createMs.toFixed(1)} ms, fused ${first.fused.createMs.toFixed(1)} ms.`);
      expect(lineOf('Run time')).toBe(`Run time (median of 2): original ${first.original.runMs.toFixed(2)} ms, fused ${first.fused.runMs.toFixed(2)} ms.`);
      // Second, same inputs: the original neither made nor run now.
      const second = await verify(bytes, fused, { kept });
      expect(second.original.source).toBe('kept-outputs');
      s.setVerify(second);
      expect(lineOf('Session create:')).toBe(`Session create: original kept (made before, in ${first.original.createMs.toFixed(1)} ms), fused ${second.fused.createMs.toFixed(1)} ms.`);
      expect(lineOf('Run time')).toBe(`Run time (median of 2): original not run (same inputs: kept outputs, ${first.original.runMs.toFixed(2)} ms then), fused ${second.fused.runMs.toFixed(2)} ms.`);
    } finally {
      await kept.release();
    }
  });
});
