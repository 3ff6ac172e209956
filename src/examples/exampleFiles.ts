/** The exact files the gallery serves: one .onnx per example plus index.json. */
import { writeModel } from '../core/onnx/modelIO';
import { EXAMPLES, DEFAULT_EXAMPLE } from './catalog';
import { LESSONS, type Lesson } from './lessons';

export interface ExampleIndexEntry {
  id: string;
  file: string;
  title: string;
  explanation: string;
  rule: string;
  expect: Record<string, { fusable: boolean; code?: string }>;
}

export interface ExampleIndex {
  default: string;
  examples: ExampleIndexEntry[];
  /** The examples as a path, in teaching order. */
  lessons: Lesson[];
}

export function exampleIndex(): ExampleIndex {
  return {
    default: DEFAULT_EXAMPLE,
    examples: EXAMPLES.map((e) => ({ id: e.id, file: `${e.id}.onnx`, title: e.title, explanation: e.explanation, rule: e.rule, expect: e.expect })),
    lessons: LESSONS,
  };
}

export function exampleFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const e of EXAMPLES) files.set(`${e.id}.onnx`, writeModel(e.build()));
  files.set('index.json', new TextEncoder().encode(JSON.stringify(exampleIndex(), null, 2) + '\n'));
  return files;
}
