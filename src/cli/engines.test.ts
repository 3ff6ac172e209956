/**
 * The CLI's two engines against each other: the same models on the same inputs give the same
 * outputs in onnxruntime-node (native) and onnxruntime-web (wasm), every output within verify's
 * tolerance; and each proves our folds equivalent to the original model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readModel, writeModel } from '../core/onnx/modelIO';
import { fuse } from '../core/rewrite/fuse';
import { CORPUS_DIR, corpusIt } from '../core/testing/corpus';
import { feedsFor, webEngine, type OrtEngine, type OrtTensor } from '../core/verify/ortSession';
import { ortCheck } from '../core/verify/ortCheck';
import { compareOutput, verify } from '../core/verify/verify';
import { resolveInputs } from '../core/verify/verifyInputs';
import { exampleById } from '../examples/catalog';
import { DTYPE_ONNX, isTensorDtype } from '../core/tensorFiles/tensorValue';
import { engineFor, loadNodeEngine } from './engines';

async function nodeEngine(): Promise<OrtEngine> {
  const engine = await loadNodeEngine();
  // An optional dependency, but npm ci installs it here and in CI: its absence is a failure, not a skip.
  if (!engine) throw new Error('onnxruntime-node did not load: run npm ci');
  return engine;
}

async function outputsOf(engine: OrtEngine, bytes: Uint8Array): Promise<Record<string, OrtTensor>> {
  const resolved = resolveInputs(readModel(bytes), { seed: 7 });
  const feeds = feedsFor(engine, resolved.tensors);
  const session = await engine.createSession(bytes, [], 'disabled');
  try {
    return (await session.run(feeds)) as Record<string, OrtTensor>;
  } finally {
    await session.release();
  }
}

async function sameOutputs(bytes: Uint8Array): Promise<void> {
  const node = await outputsOf(await nodeEngine(), bytes);
  const web = await outputsOf(webEngine, bytes);
  const types = new Map(readModel(bytes).graph!.output.map((o) => [o.name, o.type?.tensorType?.elemType]));
  expect(Object.keys(node).sort()).toEqual(Object.keys(web).sort());
  for (const name of Object.keys(web)) {
    const dtype = types.get(name) ?? (isTensorDtype(web[name].type) ? DTYPE_ONNX[web[name].type] : undefined);
    expect(dtype, name).toBeDefined();
    const c = compareOutput(name, dtype, web[name], node[name]);
    expect(c.pass, `${name}: ${JSON.stringify(c)}`).toBe(true);
  }
}

const corpus = (f: string) => new Uint8Array(readFileSync(join(CORPUS_DIR, f)));

describe('onnxruntime-node and onnxruntime-web', () => {
  it('the CLI picks onnxruntime-node when it is installed, and either when asked', async () => {
    expect((await engineFor(undefined)).info).toMatchObject({ name: 'node', package: 'onnxruntime-node' });
    expect((await engineFor('node')).info.name).toBe('node');
    expect(await engineFor('web')).toBe(webEngine);
  });

  for (const id of ['mlp', 'conv_bn', 'linear_transpose_bn', 'transpose_wrong_axis', 'float16']) {
    it(`${id}: the same outputs from both engines, and the fold proven by both`, async () => {
      const bytes = writeModel(exampleById(id)!.build());
      await sameOutputs(bytes);
      const fused = writeModel(fuse(readModel(bytes)).model);
      for (const engine of [await nodeEngine(), webEngine]) {
        const r = await verify(bytes, fused, { engine, runs: 2 });
        expect(r.engine.name).toBe(engine.info.name);
        expect(r.pass, JSON.stringify(r.outputs)).toBe(true);
      }
    });
  }

  for (const f of ['mobilenet_v3_small.onnx', 'vit_tiny_encoder12.onnx']) {
    corpusIt(`${f}: the same outputs from both engines, and the fused model proven equivalent by both`, { timeout: 120_000 }, async () => {
      const bytes = corpus(f);
      await sameOutputs(bytes);
      const fused = writeModel(fuse(readModel(bytes)).model);
      for (const engine of [await nodeEngine(), webEngine]) {
        const r = await verify(bytes, fused, { engine, runs: 2 });
        expect(r.pass, `${engine.info.name}: ${JSON.stringify(r.outputs)}`).toBe(true);
      }
    });
  }

  it('a model with external data runs in onnxruntime-node too (its files written beside it for the session)', async () => {
    const model = exampleById('mlp')!.build();
    const bytes = writeModel(model);
    // The same weights moved to an external file: both engines must give the in-model weights' outputs.
    const ext = readModel(bytes);
    const init = ext.graph!.initializer[0];
    const raw = init.rawData!;
    init.rawData = undefined;
    init.dataLocation = 1;
    init.externalData = [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(raw.length) },
    ];
    const extBytes = writeModel(ext);
    const files = [{ path: 'weights.bin', data: raw }];
    for (const engine of [await nodeEngine(), webEngine]) {
      const r = await verify(bytes, extBytes, { engine, runs: 2, externalData: files });
      expect(r.pass, `${engine.info.name}: ${JSON.stringify(r.outputs)}`).toBe(true);
    }
  });

  it('onnxruntime-node writes its optimized model: the traps keep no BatchNormalization after optimization, and the verdict is the same as onnxruntime-web’s', async () => {
    for (const id of ['transpose_wrong_axis', 'reshape_wrong_axis']) {
      const bytes = writeModel(exampleById(id)!.build());
      const before = readModel(bytes).graph!.node.filter((n) => n.opType === 'BatchNormalization').length;
      const node = await ortCheck(bytes, { level: 'basic', engine: await nodeEngine() });
      const web = await ortCheck(bytes, { level: 'basic', engine: webEngine });
      expect(node.optimizedModel, id).toMatchObject({ kind: 'counted', batchNormalizations: 0 });
      expect(before).toBe(1);
      expect(web.optimizedModel.kind).toBe('not-written');
      expect([node.pass, node.cause.kind, node.axisRefused.map((p) => [p.id, p.ortFolds])]).toEqual([web.pass, web.cause.kind, web.axisRefused.map((p) => [p.id, p.ortFolds])]);
      expect(node.pass).toBe(false);
    }
  });
});

describe('onnxruntime-node stays out of the page', () => {
  it('only src/cli/ imports it, and nothing outside src/cli/ and src/lib/ imports the CLI’s engines', async () => {
    const { readdirSync, readFileSync: read } = await import('node:fs');
    const src = join(fileURLToPath(import.meta.url), '../..');
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.test\.tsx?$/.test(f));
    const importing = (re: RegExp) => files.filter((f) => re.test(read(join(src, f), 'utf8'))).sort();
    expect(importing(/import\(\s*'onnxruntime-node'\s*\)|from\s+'onnxruntime-node'/)).toEqual(['cli/engines.ts']);
    expect(importing(/from\s+'[./]*(cli\/)?engines'/).filter((f) => !f.startsWith('cli/') && !f.startsWith('lib/'))).toEqual([]);
  });
});
