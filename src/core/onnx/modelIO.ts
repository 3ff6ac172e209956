/** Read and write ONNX ModelProto bytes. */
import { OnnxReadError } from './errors';
import { decodeMessage, type DecodeContext } from './protobufDecode';
import { encodeMessage, type EncodeOptions } from './protobufEncode';
import { ModelSpec } from './schema';
import type { ModelProto } from './types';

const wireNames = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit', 'invalid', 'invalid'];

/**
 * Parses an ONNX model. `raw_data` and other bytes stay views of `bytes`: keep `bytes` alive and
 * unchanged while the model is in use.
 */
export function readModel(bytes: Uint8Array): ModelProto {
  if (bytes.length === 0) throw new OnnxReadError('EMPTY_FILE', 'The file is empty (0 bytes): it holds no ONNX model.', 0);
  // Random bytes often decode as *some* protobuf; a first tag ONNX never writes settles it early.
  if (!looksLikeModelStart(bytes)) {
    throw new OnnxReadError('NOT_PROTOBUF', `This is not an ONNX file: it does not start like an ONNX protobuf message (${describeStart(bytes)}).`, 0);
  }
  let mismatches = 0;
  let firstMismatch = '';
  const ctx: DecodeContext = {
    onWireMismatch: (spec, field, wire, offset) => {
      if (mismatches++ === 0) {
        firstMismatch = `${spec.name}.${field.name} at byte ${offset} has wire type ${wireNames[wire] ?? wire}`;
      }
    },
  };
  let model: ModelProto;
  try {
    model = decodeMessage<ModelProto>(bytes, ModelSpec, ctx);
  } catch (e) {
    if (e instanceof OnnxReadError) throw e;
    throw new OnnxReadError('NOT_PROTOBUF', `This file could not be decoded as protobuf: ${(e as Error).message}`);
  }
  if (mismatches > 0) {
    throw new OnnxReadError('NOT_ONNX', `This is a protobuf file but not an ONNX model: ${firstMismatch}, which ONNX never writes.`);
  }
  if (model.graph === undefined) {
    const known = model.irVersion !== undefined || model.opsetImport.length > 0;
    throw new OnnxReadError(
      'NOT_ONNX',
      known
        ? 'This ONNX file has no graph (ModelProto.graph is missing), so there is nothing to inspect.'
        : 'This is a protobuf file but not an ONNX model: it has no graph and no IR version.',
    );
  }
  if (model.opsetImport.length === 0) {
    throw new OnnxReadError('NOT_ONNX', 'This ONNX file declares no opset (ModelProto.opset_import is empty), so its operators cannot be interpreted; the file may be cut short.');
  }
  return model;
}

/** ModelProto's first field is normally ir_version (tag 0x08) or another small known field. */
function looksLikeModelStart(bytes: Uint8Array): boolean {
  const tag = bytes[0];
  const no = tag >>> 3;
  const wire = tag & 7;
  if (tag >= 0x80) return false;
  const known: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2, 26: 2 };
  return known[no] === wire;
}

function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const ascii = Array.from(head, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `first bytes ${hex} "${ascii}"`;
}

/** Serializes a model. Unmodified parts are written back byte for byte. */
export function writeModel(model: ModelProto, opts: EncodeOptions = {}): Uint8Array {
  return encodeMessage(model, ModelSpec, opts);
}
