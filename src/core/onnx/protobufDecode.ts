/** Protobuf decoding (protobuf.ts has the schema types and the shared wire constants). */
import { OnnxReadError } from './errors';
import { Interner } from '../strings';
import { Decoded, decodedClass, EMPTY, WIRE_VARINT, WIRE_I64, WIRE_LEN, WIRE_I32, MAX_DEPTH, byNo, expectedWire, type FieldKind, type FieldSpec, type MessageSpec, type UnknownField, type Int64 } from './protobuf';

const utf8Decoder = new TextDecoder('utf-8');

/** Short ASCII strings (names, op types) are most strings in a model; TextDecoder's call cost dominates there. */
function decodeString(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 48) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (b[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  }
  return utf8Decoder.decode(b.subarray(start, end));
}

/** Reads one buffer; positions are absolute offsets in the file so errors can name them. */
class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  /** The `vocabulary` fields' strings, one per text: a 10,000-node model spells "Conv" and "epsilon" thousands of times. */
  readonly words = new Interner();
  /** The `shared` fields' lists, one per content (see FieldSpec.shared). */
  readonly lists = new Map<string, readonly unknown[]>();
  pos = 0;
  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** `limit` is the end of the enclosing message: past the file's end is truncation, else corruption. */
  fail(end: number, limit: number, what: string): never {
    if (limit >= this.buf.length && end > this.buf.length) {
      throw new OnnxReadError(
        'TRUNCATED',
        `The file is truncated: ${what} at byte ${this.pos} needs data up to byte ${end}, but the file ends at byte ${this.buf.length}.`,
        this.pos,
      );
    }
    throw new OnnxReadError(
      'BAD_LENGTH',
      `Corrupt file: ${what} at byte ${this.pos} needs data up to byte ${end}, past the end of its enclosing message at byte ${limit}.`,
      this.pos,
    );
  }

  /** Varint as a number when it fits 2^53 exactly, else a bigint. */
  varint(limit: number): Int64 {
    const b = this.buf;
    let pos = this.pos;
    let result = 0;
    let mult = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= limit) this.fail(limit + 1, limit, 'a varint');
      const byte = b[pos++];
      result += (byte & 0x7f) * mult;
      if (byte < 0x80) {
        this.pos = pos;
        return result;
      }
      mult *= 128;
    }
    // Long varint (negative int64 or huge value): use bigint for exactness.
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (pos >= limit) this.fail(limit + 1, limit, 'a varint');
      const byte = b[pos++];
      big |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) {
        this.pos = pos;
        return normalizeInt64(BigInt.asIntN(64, big));
      }
    }
    throw new OnnxReadError('NOT_PROTOBUF', `Not a protobuf file: a varint longer than 10 bytes at byte ${this.pos}.`, this.pos);
  }

  smallVarint(limit: number, what: string): number {
    const v = this.varint(limit);
    if (typeof v !== 'number' || v > 0xffffffff) {
      throw new OnnxReadError('BAD_LENGTH', `Corrupt file: ${what} at byte ${this.pos} is too large (${String(v)}).`, this.pos);
    }
    return v;
  }
}

function normalizeInt64(v: bigint): Int64 {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function toInt32(v: Int64): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v | 0;
}

function toUint64(v: Int64): Int64 {
  return typeof v === 'bigint' && v < 0n ? BigInt.asUintN(64, v) : v;
}

export interface DecodeContext {
  /** Called for a field whose wire type contradicts the schema: the caller decides how bad it is. */
  onWireMismatch: (spec: MessageSpec, field: FieldSpec, wire: number, offset: number) => void;
}

function readScalar(r: Reader, kind: FieldKind, limit: number): number | Int64 {
  switch (kind) {
    case 'int32':
      return toInt32(r.varint(limit));
    case 'int64':
      return r.varint(limit);
    case 'uint64':
      return toUint64(r.varint(limit));
    case 'float': {
      if (r.pos + 4 > limit) r.fail(r.pos + 4, limit, 'a float');
      const v = r.view.getFloat32(r.pos, true);
      r.pos += 4;
      return v;
    }
    case 'double': {
      if (r.pos + 8 > limit) r.fail(r.pos + 8, limit, 'a double');
      const v = r.view.getFloat64(r.pos, true);
      r.pos += 8;
      return v;
    }
    default:
      throw new Error(`not a scalar kind: ${kind}`);
  }
}

function skipField(r: Reader, wire: number, limit: number, tagPos: number): void {
  switch (wire) {
    case WIRE_VARINT:
      r.varint(limit);
      return;
    case WIRE_I64:
      if (r.pos + 8 > limit) r.fail(r.pos + 8, limit, 'an 8-byte field');
      r.pos += 8;
      return;
    case WIRE_I32:
      if (r.pos + 4 > limit) r.fail(r.pos + 4, limit, 'a 4-byte field');
      r.pos += 4;
      return;
    case WIRE_LEN: {
      const len = r.smallVarint(limit, 'a length');
      if (r.pos + len > limit) r.fail(r.pos + len, limit, `a field of ${len} bytes`);
      r.pos += len;
      return;
    }
    default:
      throw new OnnxReadError('NOT_PROTOBUF', `Not a protobuf file: unsupported wire type ${wire} at byte ${tagPos}.`, tagPos);
  }
}

function decodeInto(r: Reader, spec: MessageSpec, end: number, depth: number, ctx: DecodeContext): Record<string, unknown> {
  if (depth > MAX_DEPTH) {
    throw new OnnxReadError('TOO_DEEP', `The model nests messages more than ${MAX_DEPTH} levels deep (at byte ${r.pos}); refusing to read it.`, r.pos);
  }
  const start = r.pos;
  const obj = new (decodedClass(spec))() as unknown as Record<string, unknown>;
  for (const f of spec.fields) if (f.repeated && !f.omitEmpty) obj[f.name] = EMPTY;
  const fields = byNo(spec);
  // Arrays grown by push keep V8's spare capacity (16 slots from the first push): a model's many
  // one- and two-element lists (inputs, outputs, dims) held ~3x their size until copied to fit.
  let grown = false;
  while (r.pos < end) {
    const tagPos = r.pos;
    const tag = r.smallVarint(end, 'a field tag');
    const no = tag >>> 3;
    const wire = tag & 7;
    if (no === 0) {
      throw new OnnxReadError('NOT_PROTOBUF', `Not a protobuf file: field number 0 at byte ${tagPos}.`, tagPos);
    }
    const f = fields.get(no);
    const packedOk = f !== undefined && f.repeated === true && wire === WIRE_LEN && f.kind !== 'string' && f.kind !== 'bytes' && f.kind !== 'message';
    if (f === undefined || (wire !== expectedWire(f.kind) && !packedOk)) {
      if (f !== undefined) ctx.onWireMismatch(spec, f, wire, tagPos);
      skipField(r, wire, end, tagPos);
      const list = (obj.unknownFields ??= []) as UnknownField[];
      list.push({ no, bytes: r.buf.subarray(tagPos, r.pos) });
      continue;
    }
    let value: unknown;
    if (packedOk) {
      const len = r.smallVarint(end, 'a length');
      const stop = r.pos + len;
      if (stop > end) r.fail(stop, end, `a packed field of ${len} bytes`);
      let arr = obj[f.name] as unknown[];
      if (arr === EMPTY || arr === undefined) obj[f.name] = arr = [];
      grown = true;
      while (r.pos < stop) arr.push(readScalar(r, f.kind, stop));
      continue;
    }
    switch (f.kind) {
      case 'string':
      case 'bytes':
      case 'message': {
        const len = r.smallVarint(end, 'a length');
        const stop = r.pos + len;
        if (stop > end) r.fail(stop, end, `field "${f.name}" of ${spec.name} (${len} bytes)`);
        if (f.lazy) {
          // Read again on access (FieldSpec.lazy).
          r.pos = stop;
          continue;
        }
        if (f.kind === 'bytes') value = r.buf.subarray(r.pos, stop);
        else if (f.kind === 'string') value = f.vocabulary ? r.words.one(decodeString(r.buf, r.pos, stop)) : decodeString(r.buf, r.pos, stop);
        else {
          const sub = f.msg!();
          value = decodeInto(r, sub, stop, depth + 1, ctx);
        }
        r.pos = stop;
        break;
      }
      default:
        value = readScalar(r, f.kind, end);
    }
    if (f.repeated) {
      let arr = obj[f.name] as unknown[];
      if (arr === EMPTY || arr === undefined) obj[f.name] = arr = [];
      grown = true;
      arr.push(value);
    }
    else obj[f.name] = value;
  }
  if (r.pos !== end) r.fail(r.pos, end, `message ${spec.name}`);
  if (grown) {
    for (const f of spec.fields) {
      // Only lists: reading a lazy field (FieldSpec.lazy) here would scan the message for nothing.
      if (!f.repeated) continue;
      const arr = obj[f.name];
      if (arr !== EMPTY && arr !== undefined) obj[f.name] = f.shared ? sharedList(r, arr as unknown[]) : (arr as unknown[]).slice();
    }
  }
  Decoded.mark(obj as unknown as Decoded, r.buf, start);
  return obj;
}

/** Longer lists are rare and seldom repeated: not worth a key. */
const MAX_SHARED = 8;

/** One frozen array per content for short lists of numbers (bigints, not keyed apart from numbers, are left alone). */
function sharedList(r: Reader, arr: unknown[]): readonly unknown[] {
  if (arr.length > MAX_SHARED || arr.some((x) => typeof x !== 'number')) return arr.slice();
  const key = arr.join(',');
  let kept = r.lists.get(key);
  if (!kept) r.lists.set(key, (kept = Object.freeze(arr.slice())));
  return kept;
}

export function decodeMessage<T>(buf: Uint8Array, spec: MessageSpec, ctx: DecodeContext): T {
  const r = new Reader(buf);
  return decodeInto(r, spec, buf.length, 0, ctx) as T;
}

/** Collects output chunks; big byte fields are referenced, not copied, until the final join. */
