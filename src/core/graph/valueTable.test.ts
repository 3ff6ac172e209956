import { describe, expect, it } from 'vitest';
import { ValueTable } from './valueTable';
import { makeFloatTensor } from '../onnx/tensor';
import { buildGraph } from './graph';
import { ModelBuilder } from '../onnx/builder';

describe('value table', () => {
  it('keeps each value its own numbers and flags, past the expected count', () => {
    const table = new ValueTable(2);
    const vs = Array.from({ length: 300 }, (_, i) => table.add(`v${i}`));
    vs.forEach((v, i) => {
      v.producer = i;
      v.producerSlot = i % 3;
      v.firstReader = 2 * i;
      v.readerCount = i % 5;
      v.isGraphInput = i % 2 === 0;
      v.isGraphOutput = i % 3 === 0;
    });
    table.seal();
    vs[7].readerCount++;
    vs.forEach((v, i) => {
      expect([v.name, v.producer, v.producerSlot, v.firstReader, v.readerCount, v.isGraphInput, v.isGraphOutput]).toEqual([`v${i}`, i, i % 3, 2 * i, i === 7 ? 3 : i % 5, i % 2 === 0, i % 3 === 0]);
    });
    const fresh = table.add('late');
    expect([fresh.producer, fresh.producerSlot, fresh.readerCount, fresh.isGraphInput, fresh.constant, fresh.initializer]).toEqual([-1, -1, 0, false, undefined, undefined]);
    vs[4].isGraphInput = false;
    expect([vs[4].isGraphInput, vs[4].isGraphOutput]).toEqual([false, false]);
    expect([vs[6].isGraphInput, vs[6].isGraphOutput]).toEqual([true, true]);
  });

  it('an initializer, a constant and why an initializer is not constant, in any order', () => {
    const table = new ValueTable(4);
    const a = makeFloatTensor('a', [1], [1]);
    const b = makeFloatTensor('b', [1], [2]);

    const same = table.add('same');
    same.initializer = a;
    same.constant = a;
    expect([same.initializer, same.constant]).toEqual([a, a]);

    // Overridable initializer: stored, not constant, with the reason.
    const over = table.add('over');
    over.initializer = a;
    over.notConstantBecause = 'overridable';
    expect([over.initializer, over.constant, over.notConstantBecause]).toEqual([a, undefined, 'overridable']);

    // A Constant node's tensor on a name that is also an initializer: both kept apart.
    const both = table.add('both');
    both.initializer = a;
    both.constant = b;
    expect(both.initializer).toBe(a);
    expect(both.constant).toBe(b);
    both.constant = undefined;
    expect([both.initializer, both.constant]).toEqual([a, undefined]);
    expect(table.rare.size).toBe(1);

    // A constant computed first, an initializer set after: the constant stays what it was.
    const late = table.add('late');
    late.constant = b;
    late.initializer = a;
    expect(late.initializer).toBe(a);
    expect(late.constant).toBe(b);
    late.initializer = undefined;
    expect([late.initializer, late.constant]).toEqual([undefined, b]);

    const folded = table.add('folded');
    folded.constant = a;
    folded.constant = b;
    expect([folded.initializer, folded.constant]).toEqual([undefined, b]);
  });

  it("a graph's values read as the model says", () => {
    const m = new ModelBuilder('t').opset(14).input('x', [1, 2]).init('w', [2, 2], [1, 2, 3, 4]).init('x', [1, 2], [0, 0]);
    m.node('MatMul', ['x', 'w'], ['y'], {}, 'mm').node('Relu', ['y'], ['z'], {}, 'r').output('z', [1, 2]).output('y', [1, 2]);
    const model = m.build();
    model.irVersion = 8;
    const g = buildGraph(model);
    const [x, w, y, z] = ['x', 'w', 'y', 'z'].map((n) => g.values.get(n)!);
    expect([x.isGraphInput, x.initializer !== undefined, x.constant, x.notConstantBecause?.includes('IR version 4')]).toEqual([true, true, undefined, true]);
    expect([w.constant?.name, w.producer, w.readerCount]).toEqual(['w', -1, 1]);
    expect([y.producer, y.producerSlot, y.readerCount, y.isGraphOutput, z.isGraphOutput, z.readerCount]).toEqual([0, 0, 1, true, true, 0]);
  });
});
