/**
 * A model shaped like Silero VAD for tests: float32 `input` [batch, 4] and `state` [2, batch, 3], and an
 * int64 scalar `sr` (the sample rate) that picks a branch — `If(Equal(sr, 16000))` — as Silero's does.
 * The main path is MatMul → BatchNormalization (a fusable pair) so `fuse` has something to fold.
 */
import { emptyGraph, makeNode, makeValueInfo, ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { DataType, type ModelProto } from '../onnx/types';

/** `otherBranch` scales the 8 kHz branch's output: 3 in the model, anything else in a model that differs only there. */
export function sileroLike(otherBranch = 3): ModelProto {
  const rand = seededRandom(7);
  const b = new ModelBuilder('silero_like').opset(17);
  b.input('input', ['batch', 4]).input('state', [2, 'batch', 3]).input('sr', [], DataType.INT64);
  b.output('output', ['batch', 5]).output('stateN', [2, 'batch', 3]);
  b.init('w', [4, 5], randomValues(rand, 20));
  b.init('scale', [5], randomValues(rand, 5, 0.5, 1.5));
  b.init('bias', [5], randomValues(rand, 5));
  b.init('mean', [5], randomValues(rand, 5));
  b.init('var', [5], randomValues(rand, 5, 0.5, 2));
  b.initInts('sr16k', [], [16000]);
  b.init('two', [], [2]);
  b.init('other', [], [otherBranch]);
  b.node('MatMul', ['input', 'w'], ['mm']);
  b.node('BatchNormalization', ['mm', 'scale', 'bias', 'mean', 'var'], ['h'], { epsilon: 1e-5 });
  b.node('Equal', ['sr', 'sr16k'], ['is16k']);
  const then = emptyGraph('sr_16000');
  then.node.push(makeNode('Mul', ['h', 'two'], ['then_out']));
  then.output.push(makeValueInfo('then_out', DataType.FLOAT, ['batch', 5]));
  const other = emptyGraph('sr_other');
  other.node.push(makeNode('Mul', ['h', 'other'], ['else_out']));
  other.output.push(makeValueInfo('else_out', DataType.FLOAT, ['batch', 5]));
  b.node('If', ['is16k'], ['output'], { then_branch: then, else_branch: other });
  b.node('Tanh', ['state'], ['stateN']);
  return b.build();
}
