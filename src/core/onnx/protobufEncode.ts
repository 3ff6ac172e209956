/** Protobuf encoding: unmodified decoded messages are written back byte for byte. */
import { Decoded, WIRE_LEN, expectedWire, type FieldKind, type MessageSpec, type UnknownField, type Int64 } from './protobuf';

const utf8Encoder = new TextEncoder();

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
