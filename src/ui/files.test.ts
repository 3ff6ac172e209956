/** Sorting picked or dropped files: which is the model, which are its data, and what is said about the rest. */
import { describe, expect, it } from 'vitest';
import { planPicked, unusedFiles, unusedNote, type OpenModel, type PickedFile } from './files';

const picked = (...paths: string[]): PickedFile[] => paths.map((path) => ({ path, file: new File([path], path.split('/').pop()!) }));
const names = (files: PickedFile[]): string[] => files.map((f) => f.path);
const plain: OpenModel = { fileName: 'mlp.onnx', needs: [] };
const external: OpenModel = { fileName: 'mlp_external.onnx', needs: ['weights.bin', 'data/more.bin'] };

describe('planPicked', () => {
  it('a .txt alone, with a model open that names no data, is read as a model (not attached as data)', () => {
    const p = planPicked(picked('notes.txt'), plain);
    expect(p.kind).toBe('probe');
  });

  it('a .txt alone, with a model open that needs data files, is still not taken as one of them', () => {
    expect(planPicked(picked('notes.txt'), external).kind).toBe('probe');
    expect(planPicked(picked('notes.txt'), null).kind).toBe('probe');
  });

  it('the data files the open model names are attached by path or base name; the rest are listed as unused', () => {
    const p = planPicked(picked('folder/weights.bin', 'folder/data/more.bin', 'folder/README.md'), external);
    if (p.kind !== 'data') throw new Error(`planned ${p.kind}`);
    expect(names(p.data)).toEqual(['folder/weights.bin', 'folder/data/more.bin']);
    expect(names(p.unused)).toEqual(['folder/README.md']);
  });

  it('a model with other files: the model is opened and the others offered to it, re-rooted at its folder', () => {
    const p = planPicked(picked('m/model.onnx', 'm/weights.bin', 'm/notes.txt'), plain);
    if (p.kind !== 'model') throw new Error(`planned ${p.kind}`);
    expect(p.model.path).toBe('m/model.onnx');
    expect(names(p.data)).toEqual(['weights.bin', 'notes.txt']);
  });

  it('several models at once are refused, naming them and saying the open model stays', () => {
    const p = planPicked(picked('a.onnx', 'b.ONNX', 'w.bin'), plain);
    if (p.kind !== 'refuse') throw new Error(`planned ${p.kind}`);
    expect(p.message).toContain('2 .onnx files');
    expect(p.message).toContain('a.onnx, b.ONNX');
    expect(p.message).toContain('mlp.onnx stays open');
  });

  it('several files, none a model nor named by the open model, are refused with what the model names', () => {
    const p = planPicked(picked('a.txt', 'b.png'), external);
    if (p.kind !== 'refuse') throw new Error(`planned ${p.kind}`);
    expect(p.message).toContain('a.txt, b.png');
    expect(p.message).toContain('mlp_external.onnx names only weights.bin, more.bin');
  });
});

describe('unusedNote', () => {
  it('names the files no location reads, and what the model does name', () => {
    const files = picked('weights.bin', 'notes.txt');
    expect(unusedNote(unusedFiles(files, ['weights.bin']), { fileName: 'm.onnx', needs: ['weights.bin'] })).toBe('Not used: notes.txt — m.onnx names only weights.bin.');
    expect(unusedNote(unusedFiles(files, []), plain)).toBe('Not used: weights.bin, notes.txt — mlp.onnx names no external data file.');
    expect(unusedNote(unusedFiles(picked('weights.bin'), ['weights.bin']), plain)).toBeNull();
  });
});
