/**
 * A schema-driven protobuf codec that keeps everything it does not understand.
 *
 * Decoding turns a message into a plain object keyed by field name; fields the schema does not
 * name are kept as raw bytes (tag included) in `unknownFields`. `bytes` fields are views into the
 * input buffer, never copies. Each decoded object remembers the byte range it came from
 * (`originalBytes`), so writing an unmodified object reproduces its bytes exactly; objects built
 * or changed by the program are encoded from their fields in field-number order.
 */
import { OnnxReadError } from './errors';

export type Int64 = number | bigint;

export type FieldKind = 'int32' | 'int64' | 'uint64' | 'float' | 'double' | 'string' | 'bytes' | 'message';

export interface FieldSpec {
  no: number;
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  /** Encode a repeated scalar packed (decoding accepts both forms). */
  packed?: boolean;
  msg?: () => MessageSpec;
}

export interface MessageSpec {
  name: string;
  fields: FieldSpec[];
  /** Filled lazily from `fields`. */
  byNo?: Map<number, FieldSpec>;
  /** `fields` in field-number order, the order a canonical writer uses. */
  sorted?: FieldSpec[];
}

export interface UnknownField {
  no: number;
  /** The whole field as it was in the file: tag, length and value. */
  bytes: Uint8Array;
}

/** Every decoded message may carry the fields the schema does not know. */
export interface Message {
  unknownFields?: UnknownField[];
}

/**
 * Decoded messages are instances of this class: the byte range they came from lives in private
 * fields, which a spread (`{ ...msg, x }`) does not copy — so a modified copy is re-encoded while
 * the untouched original is written back verbatim. (Cheaper for the GC than a WeakMap per message.)
 */
class Decoded {
  #buf: Uint8Array | undefined;
  #start = 0;
  #end = 0;
  static mark(o: Decoded, buf: Uint8Array, start: number, end: number): void {
    o.#buf = buf;
    o.#start = start;
    o.#end = end;
  }
  static bytes(o: object): Uint8Array | undefined {
    return o instanceof Decoded && o.#buf ? o.#buf.subarray(o.#start, o.#end) : undefined;
  }
}

/** The exact bytes an object was decoded from, if it was decoded and not built. */
export function originalBytes(obj: object): Uint8Array | undefined {
  return Decoded.bytes(obj);
}

/**
 * Absent repeated fields of decoded messages share this frozen empty array (a message type can
 * have a dozen repeated fields; allocating each for every message dominated parse time). Code
 * that edits a decoded message builds a new one rather than pushing into its arrays.
 */
const EMPTY: readonly unknown[] = Object.freeze([]);

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
const MAX_DEPTH = 64;

function byNo(spec: MessageSpec): Map<number, FieldSpec> {
  if (!spec.byNo) spec.byNo = new Map(spec.fields.map((f) => [f.no, f]));
  return spec.byNo;
}

function expectedWire(kind: FieldKind): number {
  switch (kind) {
    case 'int32':
    case 'int64':
    case 'uint64':
      return WIRE_VARINT;
    case 'float':
      return WIRE_I32;
    case 'double':
      return WIRE_I64;
    default:
      return WIRE_LEN;
  }
}

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
const utf8Encoder = new TextEncoder();

/** Reads one buffer; positions are absolute offsets in the file so errors can name them. */
class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
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
  const obj = new Decoded() as unknown as Record<string, unknown>;
  for (const f of spec.fields) if (f.repeated) obj[f.name] = EMPTY;
  const fields = byNo(spec);
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
      if (arr === EMPTY) obj[f.name] = arr = [];
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
        if (f.kind === 'bytes') value = r.buf.subarray(r.pos, stop);
        else if (f.kind === 'string') value = decodeString(r.buf, r.pos, stop);
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
      if (arr === EMPTY) obj[f.name] = arr = [];
      arr.push(value);
    }
    else obj[f.name] = value;
  }
  if (r.pos !== end) r.fail(r.pos, end, `message ${spec.name}`);
  Decoded.mark(obj as unknown as Decoded, r.buf, start, end);
  return obj;
}

export function decodeMessage<T>(buf: Uint8Array, spec: MessageSpec, ctx: DecodeContext): T {
  const r = new Reader(buf);
  return decodeInto(r, spec, buf.length, 0, ctx) as T;
}

/** Collects output chunks; big byte fields are referenced, not copied, until the final join. */
class Writer {
  chunks: Uint8Array[] = [];
  length = 0;
  private scratch = new Uint8Array(256);
  private sp = 0;

  private flushScratch(): void {
    if (this.sp > 0) {
      this.chunks.push(this.scratch.slice(0, this.sp));
      this.sp = 0;
    }
  }

  private ensure(n: number): void {
    if (this.sp + n > this.scratch.length) this.flushScratch();
  }

  varint(v: Int64): void {
    this.ensure(10);
    if (typeof v === 'number' && v >= 0 && v < 0x80000000) {
      let x = v;
      while (x >= 0x80) {
        this.scratch[this.sp++] = (x & 0x7f) | 0x80;
        x >>>= 7;
        this.length++;
      }
      this.scratch[this.sp++] = x;
      this.length++;
      return;
    }
    let big = BigInt.asUintN(64, BigInt(v));
    while (big >= 0x80n) {
      this.scratch[this.sp++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
      this.length++;
    }
    this.scratch[this.sp++] = Number(big);
    this.length++;
  }

  tag(no: number, wire: number): void {
    this.varint(no * 8 + wire);
  }

  float(v: number): void {
    this.ensure(4);
    new DataView(this.scratch.buffer).setFloat32(this.sp, v, true);
    this.sp += 4;
    this.length += 4;
  }

  double(v: number): void {
    this.ensure(8);
    new DataView(this.scratch.buffer).setFloat64(this.sp, v, true);
    this.sp += 8;
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    if (b.length <= 64) {
      this.ensure(b.length);
      this.scratch.set(b, this.sp);
      this.sp += b.length;
    } else {
      this.flushScratch();
      this.chunks.push(b);
    }
    this.length += b.length;
  }

  /** Appends a finished sub-writer without copying its chunks. */
  append(w: Writer): void {
    w.flushScratch();
    this.flushScratch();
    for (const c of w.chunks) this.chunks.push(c);
    this.length += w.length;
  }

  finish(): Uint8Array {
    this.flushScratch();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

export interface EncodeOptions {
  /** Reuse the original bytes of unmodified decoded objects (default true). */
  reuseOriginal?: boolean;
}

function writeScalar(w: Writer, kind: FieldKind, v: unknown): void {
  switch (kind) {
    case 'int32':
    case 'int64':
    case 'uint64':
      w.varint(v as Int64);
      return;
    case 'float':
      w.float(v as number);
      return;
    case 'double':
      w.double(v as number);
      return;
  }
}

function encodeBody(w: Writer, obj: Record<string, unknown>, spec: MessageSpec, opts: EncodeOptions): void {
  if (opts.reuseOriginal !== false) {
    const orig = Decoded.bytes(obj);
    if (orig) {
      w.bytes(orig);
      return;
    }
  }
  const unknown = (obj.unknownFields as UnknownField[] | undefined) ?? [];
  let ui = 0;
  const fields = (spec.sorted ??= [...spec.fields].sort((a, b) => a.no - b.no));
  for (const f of fields) {
    while (ui < unknown.length && unknown[ui].no < f.no) w.bytes(unknown[ui++].bytes);
    const v = obj[f.name];
    if (v === undefined || v === null) continue;
    const values = f.repeated ? (v as unknown[]) : [v];
    if (f.repeated && f.packed && values.length > 0) {
      const sub = new Writer();
      for (const x of values) writeScalar(sub, f.kind, x);
      w.tag(f.no, WIRE_LEN);
      w.varint(sub.length);
      w.append(sub);
      continue;
    }
    for (const x of values) {
      switch (f.kind) {
        case 'string': {
          const b = utf8Encoder.encode(x as string);
          w.tag(f.no, WIRE_LEN);
          w.varint(b.length);
          w.bytes(b);
          break;
        }
        case 'bytes': {
          const b = x as Uint8Array;
          w.tag(f.no, WIRE_LEN);
          w.varint(b.length);
          w.bytes(b);
          break;
        }
        case 'message': {
          const sub = new Writer();
          encodeBody(sub, x as Record<string, unknown>, f.msg!(), opts);
          w.tag(f.no, WIRE_LEN);
          w.varint(sub.length);
          w.append(sub);
          break;
        }
        default:
          w.tag(f.no, expectedWire(f.kind));
          writeScalar(w, f.kind, x);
      }
    }
  }
  while (ui < unknown.length) w.bytes(unknown[ui++].bytes);
}

export function encodeMessage(obj: object, spec: MessageSpec, opts: EncodeOptions = {}): Uint8Array {
  const w = new Writer();
  encodeBody(w, obj as Record<string, unknown>, spec, opts);
  return w.finish();
}
