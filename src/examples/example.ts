/** What one gallery example is: a model built from code, with the verdicts it must get. */
import type { DimSpec } from '../core/onnx/builder';
import type { ModelProto } from '../core/onnx/types';
import type { ReasonCode } from '../core/rules/reasons';

export interface Example {
  id: string;
  title: string;
  /** One paragraph for the gallery: what the model shows and why. */
  explanation: string;
  /** Which rule it illustrates, and on which side. */
  rule: ReasonCode | 'VALID';
  /** The verdict for each BatchNormalization, keyed by its output. */
  expect: Record<string, { fusable: boolean; code?: ReasonCode }>;
  build: () => ModelProto;
}

/** The symbolic batch dimension the examples' inputs use. */
export const N: DimSpec = 'batch';
