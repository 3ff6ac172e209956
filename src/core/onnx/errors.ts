/** Why a file could not be read as an ONNX model. Stable codes; the UI and CLI show `message`. */
export type OnnxErrorCode =
  | 'EMPTY_FILE'
  | 'NOT_PROTOBUF'
  | 'TRUNCATED'
  | 'BAD_LENGTH'
  | 'NOT_ONNX'
  | 'TOO_DEEP'
  | 'EXTERNAL_DATA';

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
