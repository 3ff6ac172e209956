/** The Markdown report keeps model names as text wherever it is rendered. */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import { InspectorSession } from '../session/inspectorSession';

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
