/**
 * A schema-driven protobuf codec that keeps everything it does not understand.
 *
 * Decoding turns a message into a plain object keyed by field name; fields the schema does not
 * name are kept as raw bytes (tag included) in `unknownFields`. `bytes` fields are views into the
 * input buffer, never copies. Each decoded object remembers the byte range it came from
 * (`originalBytes`), so writing an unmodified object reproduces its bytes exactly; objects built
 * or changed by the program are encoded from their fields in field-number order.
 */

export type Int64 = number | bigint;

export type FieldKind = 'int32' | 'int64' | 'uint64' | 'float' | 'double' | 'string' | 'bytes' | 'message';

export interface FieldSpec {
  no: number;
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  /** Encode a repeated scalar packed (decoding accepts both forms). */
  packed?: boolean;
  /** A string from a small vocabulary (op types, domains, attribute names): decoded once per distinct text. */
  vocabulary?: boolean;
  /**
   * A short list of numbers that many messages repeat (a tensor's dims, an attribute's ints): equal
   * lists are one frozen array. 14,000 weights of a 10,000-node model have a dozen distinct shapes.
   */
  shared?: boolean;
  /**
   * A list most messages of the type lack (a tensor's typed data lists, an attribute's value lists,
   * metadata): left out when absent instead of set to the shared empty list, 4 bytes a field on
   * every message — a weight has eight.
   */
  omitEmpty?: boolean;
  /**
   * A `bytes` field read again from the message's own bytes on each access instead of kept as a
   * view: a view costs ~100 bytes, one per weight (4 MB at 50,000 nodes). A copy made with a
   * spread (`{ ...t }`) does not carry it: set it on the copy.
   */
  lazy?: boolean;
  msg?: () => MessageSpec;
}

export interface MessageSpec {
  name: string;
  fields: FieldSpec[];
  /** Filled lazily from `fields`. */
  byNo?: Map<number, FieldSpec>;
  /** `fields` in field-number order, the order a canonical writer uses. */
  sorted?: FieldSpec[];
  /** Filled lazily: this message type's own subclass of Decoded (see decodedClass). */
  decoded?: new () => Decoded;
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
 * Only the start is kept: the end is read from the length written just before it (a field on each
 * of 150,000 messages at 50,000 nodes was 0.6 MB).
 */
export class Decoded {
  #buf: Uint8Array | undefined;
  #start = 0;
  /** `start`: 0 for the outermost message, which spans `buf`; else where the length-delimited field's value begins. */
  static mark(o: Decoded, buf: Uint8Array, start: number): void {
    o.#buf = buf;
    o.#start = start;
  }
  static bytes(o: object): Uint8Array | undefined {
    return o instanceof Decoded && o.#buf ? o.#buf.subarray(o.#start, endOf(o.#buf, o.#start)) : undefined;
  }
  /** A `bytes` field's value, found in the message's bytes (the last occurrence wins, as when decoding). */
  static field(o: Decoded, no: number): Uint8Array | undefined {
    const b = o.#buf;
    return b ? lastBytesField(b, o.#start, endOf(b, o.#start), no) : undefined;
  }
}

/**
 * Where a message that starts at `start` ends. An embedded message is a length-delimited field:
 * its length is the varint just before it, whose earlier bytes have the high bit set and whose
 * tag's last byte does not.
 */
function endOf(b: Uint8Array, start: number): number {
  if (start === 0) return b.length;
  let i = start - 1;
  while (i > 0 && b[i - 1] >= 0x80) i--;
  let len = 0;
  let mult = 1;
  for (let k = i; k < start; k++) {
    len += (b[k] & 0x7f) * mult;
    mult *= 128;
  }
  return start + len;
}

/** Scans a message already decoded once (so well formed) for field `no`, length-delimited. */
function lastBytesField(b: Uint8Array, start: number, end: number, no: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  let pos = start;
  const varint = (): number => {
    let v = 0;
    let mult = 1;
    // Bounded by `end`: a wrong range must not loop past the buffer.
    while (pos < end) {
      const byte = b[pos++];
      v += (byte & 0x7f) * mult;
      if (byte < 0x80) return v;
      mult *= 128;
    }
    return v;
  };
  while (pos < end) {
    const tag = varint();
    switch (tag & 7) {
      case WIRE_VARINT:
        varint();
        break;
      case WIRE_I64:
        pos += 8;
        break;
      case WIRE_I32:
        pos += 4;
        break;
      default: {
        const len = varint();
        if (tag >>> 3 === no) found = b.subarray(pos, pos + len);
        pos += len;
      }
    }
  }
  return found;
}

/**
 * A subclass of Decoded per message type. V8 sizes objects per constructor, from the properties the
 * first ones get: with one class for all, every message had room for the largest's fields (52 bytes
 * for a three-field attribute or a weight).
 */
export function decodedClass(spec: MessageSpec): new () => Decoded {
  if (spec.decoded) return spec.decoded;
  const cls = class extends Decoded {};
  for (const f of spec.fields) {
    if (!f.lazy) continue;
    const { name, no } = f;
    Object.defineProperty(cls.prototype, name, {
      get(this: Decoded) {
        return Decoded.field(this, no);
      },
      // A value set by the program becomes the message's own field.
      set(this: Decoded, v: unknown) {
        Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      },
      configurable: true,
    });
  }
  return (spec.decoded = cls);
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
export const EMPTY: readonly unknown[] = Object.freeze([]);

/** A list the file may leave out (FieldSpec.omitEmpty), as a list. */
export function listOf<T>(l: readonly T[] | undefined): readonly T[] {
  return l ?? (EMPTY as readonly T[]);
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;
export const MAX_DEPTH = 64;

export function byNo(spec: MessageSpec): Map<number, FieldSpec> {
  if (!spec.byNo) spec.byNo = new Map(spec.fields.map((f) => [f.no, f]));
  return spec.byNo;
}

export function expectedWire(kind: FieldKind): number {
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
