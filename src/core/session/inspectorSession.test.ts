import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InspectorSession } from './inspectorSession';
import { writeModel } from '../onnx/modelIO';
import { exampleById } from '../../examples/catalog';
import { corpusBytes, corpusIt } from '../testing/corpus';
import { OnnxReadError } from '../onnx/errors';
import { readModel } from '../onnx/modelIO';
import { analyzeModel } from '../analysis';
import { nodeDetails } from './details';
import { foldPreview } from './pairView';
import { summarizeModel } from '../report';
import { pairsReportJson } from '../export/pairsReport';
import { fuse } from '../rewrite/fuse';
import { EXAMPLES } from '../../examples/catalog';

const bytesOf = (id: string) => writeModel(exampleById(id)!.build());

describe('InspectorSession', () => {
  it('fuses, undoes and redoes; opening another file starts a fresh history', () => {
    const s = new InspectorSession();
    const a = s.open('mlp.onnx', bytesOf('mlp'));
    expect(a.step).toBe(0);
    expect(a.canUndo).toBe(false);
    expect(a.pairs.length).toBe(4);
    // The page's rows name the Linear's nodes, not its weights (the report has those).
    expect(Object.keys(a.pairs[0].linear).sort()).toEqual(['kind', 'nodes', 'outputShape']);
    const weight = exampleById('mlp')!.build().graph!.node.find((n) => n.name === a.pairs[0].linear.nodes[0])?.input[1];
    expect(weight).toBeTruthy();
    expect(s.report().json.pairs[0].linear.weight).toBe(weight);
    const f = s.fuse(undefined);
    expect(f.step).toBe(1);
    expect(f.lastFuse?.nodesRemoved).toBe(2);
    expect(f.pairs.length).toBe(2);
    expect(s.undo().pairs.length).toBe(4);
    expect(s.redo().pairs.length).toBe(2);
    expect(s.download().fileName).toBe('mlp.fused.onnx');
    const b = s.open('seed_3d.onnx', bytesOf('seed_3d'));
    expect(b.step).toBe(0);
    expect(b.canUndo).toBe(false);
    expect(b.canRedo).toBe(false);
  });

  it('a file that fails to open leaves the current model in place', () => {
    const s = new InspectorSession();
    s.open('mlp.onnx', bytesOf('mlp'));
    expect(() => s.open('bad.onnx', new Uint8Array([1, 2, 3]))).toThrow(OnnxReadError);
    expect(s.snapshot().fileName).toBe('mlp.onnx');
  });

  it('refuses to fold what is not fusable, and labels an "apply anyway" model as incorrect', () => {
    const s = new InspectorSession();
    s.open('coincidence_3d.onnx', bytesOf('coincidence_3d'));
    expect(() => s.fuse(['y'])).toThrow(/LINEAR_OUTPUT_RANK/);
    const bad = s.fuse(['y'], true);
    expect(bad.incorrect).toBe(true);
    expect(s.download().fileName).toBe('coincidence_3d.INCORRECT-fold.onnx');
    expect(s.undo().incorrect).toBe(false);
  });

  corpusIt('details of a node on a real export: attributes, shapes and initializer statistics', () => {
    const s = new InspectorSession();
    const snap = s.open('face_embedding.onnx', corpusBytes('face_embedding.onnx'));
    const gemm = snap.nodes.find((n) => n.opType === 'Gemm')!;
    const d = s.nodeDetails(gemm.id)!;
    expect(d.attributes.map((a) => a.name)).toContain('transB');
    const w = d.inputs.find((t) => t.kind === 'initializer' && t.shape === '[128, 3136]')!;
    expect(w.stats!.count).toBe(128 * 3136);
    expect(w.stats!.min).toBeLessThan(w.stats!.max);
    expect(d.outputs[0].shape).toBe('[batch, 128]');
    expect(d.pairIds).toEqual(['y']);
    expect(s.nodeDetails('in:x')!.outputs[0].shape).toBe('[batch, 3, 112, 112]');
  });

  it('fold preview shows the formula and the scaled weights; a refused pair gets its formula only', () => {
    const s = new InspectorSession();
    s.open('valid_2d.onnx', bytesOf('valid_2d'));
    const preview = s.foldPreview('y')!;
    expect(preview.formulaLines.some((l) => l.startsWith('W′ = diag(s) · W'))).toBe(true);
    const p = preview.numbers!;
    expect(p.weightShape).toEqual([5, 3]);
    // Row 0 of a [N, K] weight is scaled by s[0], all of it.
    expect(p.slices[0]).toMatchObject({ what: 'row 0 (output feature 0)', at: 'W[0, :]', sIndex: 0, flat: [0, 1, 2] });
    for (let i = 0; i < 3; i++) expect(p.slices[0].after[i]).toBeCloseTo(p.slices[0].before[i] * p.slices[0].s, 5);
    s.open('seed_3d.onnx', bytesOf('seed_3d'));
    const refused = s.foldPreview(s.snapshot().pairs[0].id)!;
    expect(refused.numbers).toBeNull();
    expect(refused.formulaLines.length).toBeGreaterThan(2);
  });
});

describe('analyses are dropped after each snapshot and made again when asked for', () => {
  /** Every question the page asks, answered by a session whose analysis was dropped and by a fresh analysis of the file. */
  function sameAnswers(name: string, bytes: Uint8Array): void {
    const s = new InspectorSession();
    const snap = s.open(name, bytes);
    expect(s.holdsAnalysis(), 'released once the snapshot is made').toBe(false);
    const fresh = analyzeModel(readModel(bytes));
    const report = pairsReportJson({ fileName: name, summary: summarizeModel(fresh.model), pairs: fresh.pairs, folded: [], incorrect: false, verify: null });
    expect(s.report().json).toEqual(report);
    expect(s.holdsAnalysis(), 'kept once made again').toBe(true);
    s.release();
    for (const n of snap.nodes) expect(s.nodeDetails(n.id), n.id).toEqual(nodeDetails(fresh, n.id));
    s.release();
    for (const p of snap.pairs) expect(s.foldPreview(p.id), p.id).toEqual(foldPreview(fresh, p.id));
    if (!snap.pairs.some((p) => p.fusable)) return;
    s.release();
    const fused = s.fuse(undefined);
    expect(s.holdsAnalysis()).toBe(false);
    // Compared as buffers: an element-wise comparison of megabytes takes a minute.
    expect(Buffer.from(s.currentBytes()).equals(writeModel(fuse(analyzeModel(readModel(bytes))).model)), 'the fused bytes').toBe(true);
    // Back to the model as opened: its pairs come from the file's bytes again.
    expect(s.undo().pairs).toEqual(snap.pairs);
    expect(s.redo().pairs).toEqual(fused.pairs);
    expect(s.compare([]).removed.length).toBe(fused.lastFuse!.nodesRemoved);
  }

  it('on every example', () => {
    for (const e of EXAMPLES) sameAnswers(e.id, writeModel(e.build()));
  });

  corpusIt('on real exports', () => {
    for (const f of ['face_embedding.onnx', 'mobilenet_v3_small.onnx']) sameAnswers(f, corpusBytes(f));
  });

  it('a failed open keeps the model that was open, and its analysis can still be made again', () => {
    const s = new InspectorSession();
    s.open('mlp.onnx', bytesOf('mlp'));
    expect(() => s.open('bad.onnx', new Uint8Array([1, 2, 3]))).toThrow(OnnxReadError);
    expect(s.report().json.pairs.length).toBe(4);
    expect(s.fuse(undefined).fileName).toBe('mlp.onnx');
  });
});

describe('the undo history is bounded in memory', () => {
  corpusIt('20 successive folds on MobileNetV3 keep the heap under 2× what one step holds', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    // Array buffers are released after the collection that frees their owners: settle before reading.
    const used = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    // Warm up: the first open also loads code and fills caches that are not the model's.
    new InspectorSession().open('warm.onnx', corpusBytes('mobilenet_v3_small.onnx').slice());
    const before = await used();
    const s = new InspectorSession();
    const first = s.open('mobilenet_v3_small.onnx', corpusBytes('mobilenet_v3_small.onnx').slice());
    const oneStep = (await used()) - before;
    const ids = first.pairs.filter((p) => p.fusable).map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    for (const id of ids.slice(0, 20)) s.fuse([id]);
    expect(s.snapshot().step).toBe(20);
    const after20 = (await used()) - before;
    expect(after20, `one step ${(oneStep / 1e6).toFixed(1)} MB, after 20 folds ${(after20 / 1e6).toFixed(1)} MB`).toBeLessThan(2 * oneStep);
    // Undo and redo still reach every step, with the same pairs as when it was made.
    expect(s.undo().pairs.filter((p) => p.fusable).length).toBe(ids.length - 19);
    expect(s.redo().pairs.filter((p) => p.fusable).length).toBe(ids.length - 20);
    for (let i = 0; i < 20; i++) s.undo();
    expect(s.snapshot().step).toBe(0);
    expect(s.snapshot().pairs.filter((p) => p.fusable).length).toBe(ids.length);
  });
});
