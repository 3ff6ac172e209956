/** External data: loaded from provided files, kept external when saved, refused outside the model's folder. */
import { describe, expect, it } from 'vitest';
import { exampleById } from '../../examples/catalog';
import { InspectorSession } from '../session/inspectorSession';
import { verify } from '../verify/verify';
import { readModel, writeModel } from './modelIO';
import { attachExternalData, locationProblem, moveToExternal } from './externalData';
import { externalLocation } from './tensor';

const BN1 = '/body/bn1/BatchNormalization_output_0';

function externalMlp(location = 'weights.bin') {
  const { model, data } = moveToExternal(exampleById('mlp')!.build(), location, 64);
  return { bytes: writeModel(model), data };
}

describe('external data', () => {
  it('with the data file: same verdicts as inline, fused model keeps untouched weights external, onnxruntime agrees', async () => {
    const { bytes, data } = externalMlp();
    const s = new InspectorSession();
    const snap = s.open('mlp.onnx', bytes, undefined, { external: new Map([['weights.bin', data]]) });
    expect(snap.external).toEqual([expect.objectContaining({ location: 'weights.bin', state: 'loaded' })]);
    expect(snap.diagnostics.map((d) => d.code)).not.toContain('EXTERNAL_DATA');
    const inline = new InspectorSession().open('mlp.onnx', writeModel(exampleById('mlp')!.build()));
    expect(snap.pairs.map((p) => [p.id, p.fusable])).toEqual(inline.pairs.map((p) => [p.id, p.fusable]));

    const fused = s.fuse(undefined);
    expect(fused.lastFuse!.folded).toContain(BN1);
    expect(fused.external[0].state).toBe('loaded');
    const out = readModel(s.currentBytes());
    // The head's weight is untouched: still a reference into weights.bin, not inlined.
    const untouched = out.graph!.initializer.find((t) => t.name === 'seq/fc.weight_t')!;
    expect(externalLocation(untouched)).toBe('weights.bin');
    expect(untouched.rawData).toBeUndefined();
    // Every external initializer the fold did not replace is still external; only the new folded ones are inline.
    const wasExternal = new Set(readModel(bytes).graph!.initializer.filter((o) => externalLocation(o)).map((o) => o.name));
    const kept = out.graph!.initializer.filter((t) => wasExternal.has(t.name));
    expect(wasExternal.size).toBeGreaterThan(8);
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.every((t) => externalLocation(t) === 'weights.bin')).toBe(true);

    const report = await verify(s.originalBytes(), s.currentBytes(), { externalData: s.externalData() });
    expect(report.pass).toBe(true);
    expect(report.outputs.length).toBe(3);
  });

  it('without the data file: says which file is needed and does not claim the pairs', () => {
    const { bytes } = externalMlp();
    const snap = new InspectorSession().open('mlp.onnx', bytes);
    expect(snap.external[0].state).toBe('missing');
    expect(snap.external[0].message).toContain('“weights.bin”');
    expect(snap.diagnostics.find((d) => d.code === 'EXTERNAL_DATA')!.message).toContain('not loaded');
    const p = snap.pairs.find((x) => x.id === BN1)!;
    expect(p.fusable).toBe(false);
    // Shapes still come from the dims, so the only reason is the missing data, named once.
    expect(p.linear.outputShape).toEqual(['batch', 32]);
    expect(p.reasons.map((r) => r.code)).toEqual(['NON_CONSTANT_PARAMS']);
    expect(p.reasons[0].message).toContain('stored in external data ("weights.bin") that is not loaded');
  });

  it('a file given by base name matches a location in a subfolder', () => {
    const { bytes, data } = externalMlp('data/./weights.bin');
    const snap = new InspectorSession().open('mlp.onnx', bytes, undefined, { external: new Map([['weights.bin', data]]) });
    expect(snap.external[0].state).toBe('loaded');
    expect(snap.pairs.find((x) => x.id === BN1)!.fusable).toBe(true);
  });

  it('locations outside the model’s folder are refused, even when a file of that name is given', () => {
    for (const bad of ['../weights.bin', 'a/../../weights.bin', '/etc/passwd', '\\\\server\\share\\w.bin', 'C:\\w.bin', '']) {
      expect(locationProblem(bad), bad).not.toBeNull();
    }
    expect(locationProblem('weights.bin')).toBeNull();
    expect(locationProblem('sub/dir/w.bin')).toBeNull();
    const { model, data } = moveToExternal(exampleById('mlp')!.build(), '../weights.bin', 64);
    const { statuses, entries } = attachExternalData(model, new Map([['weights.bin', data], ['../weights.bin', data]]));
    expect(statuses[0].state).toBe('refused');
    expect(statuses[0].message).toContain('climbs out');
    expect(entries).toEqual([]);
  });

  it('a file too short for its tensors: those tensors stay unloaded', () => {
    const { bytes, data } = externalMlp();
    const snap = new InspectorSession().open('mlp.onnx', bytes, undefined, { external: new Map([['weights.bin', data.subarray(0, 100)]]) });
    expect(snap.external[0].state).toBe('out-of-range');
    expect(snap.pairs.find((x) => x.id === BN1)!.fusable).toBe(false);
  });
});
