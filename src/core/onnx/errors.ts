/** Why a file could not be read as an ONNX model. Stable codes; the UI and CLI show `message`. */
export const ONNX_ERROR_CODES = ['EMPTY_FILE', 'NOT_PROTOBUF', 'TRUNCATED', 'BAD_LENGTH', 'NOT_ONNX', 'TOO_DEEP', 'EXTERNAL_DATA'] as const;
export type OnnxErrorCode = (typeof ONNX_ERROR_CODES)[number];

/** Whether a code (from a worker's error, say) is one of the reader's. */
export function isOnnxErrorCode(code: unknown): code is OnnxErrorCode {
  return (ONNX_ERROR_CODES as readonly unknown[]).includes(code);
}

export class OnnxReadError extends Error {
  readonly code: OnnxErrorCode;
  /** Byte offset in the file where the problem was found, when there is one. */
  readonly offset: number | undefined;
  constructor(code: OnnxErrorCode, message: string, offset?: number) {
    super(message);
    this.name = 'OnnxReadError';
    this.code = code;
    this.offset = offset;
  }
}

export function isOnnxReadError(e: unknown): e is OnnxReadError {
  return e instanceof OnnxReadError;
}
