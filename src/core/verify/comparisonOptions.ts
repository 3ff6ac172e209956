/** What every comparison of two models in onnxruntime takes besides its inputs (verify, per-value). */
import type { ExternalDataEntry } from '../onnx/externalData';
import type { OrtEngine } from './ortSession';
import type { InputOptions } from './verifyInputs';

export interface ComparisonOptions extends InputOptions {
  rtol?: number;
  atol?: number;
  onProgress?: (stage: string, fraction: number) => void;
  /** External data files both models read (the fused model keeps the original's references). */
  externalData?: readonly ExternalDataEntry[];
  /** The onnxruntime build that runs both models; onnxruntime-web by default (the page's only one). */
  engine?: OrtEngine;
  /**
   * The wait for the runtime's start as the caller measured it (`startRuntime` called when the
   * request arrived): the page's request may wait in line behind a session made ahead, which starts it.
   */
  runtimeStart?: Promise<number>;
}
