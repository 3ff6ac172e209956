/**
 * Seeded generators of broken inputs for the reader: random bytes, truncations, bit flips and
 * protobuf-aware field mutations of real models. Deterministic for a given seed.
 */
import { seededRandom } from '../onnx/builder';

export type MutationKind = 'random' | 'truncate' | 'bitflip' | 'varint' | 'length' | 'splice' | 'duplicate';

export interface FuzzCase {
  index: number;
  kind: MutationKind;
  /** Name of the model the case was derived from ('' for random bytes). */
  base: string;
  bytes: Uint8Array;
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

const KINDS: MutationKind[] = ['random', 'truncate', 'bitflip', 'varint', 'length', 'splice', 'duplicate'];

/** Values a corrupted varint is replaced with: the edges where length arithmetic goes wrong. */
const EVIL_VARINTS: readonly bigint[] = [0n, 1n, 0x7fn, 0x80n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, (1n << 53n) + 1n, (1n << 63n) - 1n, (1n << 64n) - 1n];

function encodeVarint(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}

/** Byte offsets where a varint starts after a tag of wire type 0 or 2 (a cheap scan; good enough to aim mutations). */
function varintSites(bytes: Uint8Array, wire: 0 | 2, rand: () => number, count: number): number[] {
  const out: number[] = [];
  for (let tries = 0; tries < count * 20 && out.length < count; tries++) {
    const at = Math.floor(rand() * Math.max(1, bytes.length - 1));
    const tag = bytes[at];
    if (tag < 0x80 && (tag & 7) === wire && tag >>> 3 > 0) out.push(at + 1);
  }
  return out;
}

function replaceVarint(bytes: Uint8Array, at: number, value: bigint): Uint8Array {
  let end = at;
  while (end < bytes.length && bytes[end] >= 0x80 && end - at < 10) end++;
  end = Math.min(end + 1, bytes.length);
  const enc = encodeVarint(value);
  const out = new Uint8Array(bytes.length - (end - at) + enc.length);
  out.set(bytes.subarray(0, at));
  out.set(enc, at);
  out.set(bytes.subarray(end), at + enc.length);
  return out;
}

/** Lengths that matter for truncation: tiny, around message boundaries, and just short of the end. */
function truncationLength(n: number, rand: () => number): number {
  const cls = Math.floor(rand() * 5);
  if (cls === 0) return Math.floor(rand() * Math.min(n, 16));
  if (cls === 1) return Math.max(0, n - 1 - Math.floor(rand() * 8));
  if (cls === 2) return Math.floor(n / 2);
  return Math.floor(rand() * n);
}

export function makeCase(seeds: readonly Seed[], seed: number, index: number): FuzzCase {
  const rand = seededRandom(seed * 1_000_003 + index);
  const kind = KINDS[Math.floor(rand() * KINDS.length)];
  if (kind === 'random' || seeds.length === 0) {
    const n = [0, 1, 2, 8, 64, 1024][Math.floor(rand() * 6)];
    const bytes = new Uint8Array(n);
    // Half the random cases start with a plausible ModelProto tag so they get past the first check.
    for (let i = 0; i < n; i++) bytes[i] = Math.floor(rand() * 256);
    if (n > 0 && rand() < 0.5) bytes[0] = 0x08;
    return { index, kind: 'random', base: '', bytes };
  }
  const base = seeds[Math.floor(rand() * seeds.length)];
  const src = base.bytes;
  let bytes: Uint8Array;
  switch (kind) {
    case 'truncate':
      bytes = src.slice(0, truncationLength(src.length, rand));
      break;
    case 'bitflip': {
      bytes = src.slice();
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips && bytes.length > 0; i++) bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8);
      break;
    }
    case 'varint':
    case 'length': {
      const sites = varintSites(src, kind === 'varint' ? 0 : 2, rand, 1 + Math.floor(rand() * 3));
      bytes = src;
      // Apply from the back so earlier offsets stay valid.
      for (const at of sites.sort((a, b) => b - a)) {
        const v = rand() < 0.7 ? EVIL_VARINTS[Math.floor(rand() * EVIL_VARINTS.length)] : BigInt(Math.floor(rand() * (src.length + 16)));
        bytes = replaceVarint(bytes, at, v);
      }
      if (bytes === src) bytes = src.slice();
      break;
    }
    case 'splice': {
      // A chunk of another model pasted in: valid-looking messages in the wrong place.
      const other = seeds[Math.floor(rand() * seeds.length)].bytes;
      const from = Math.floor(rand() * other.length);
      const len = Math.min(other.length - from, 1 + Math.floor(rand() * 256));
      const at = Math.floor(rand() * src.length);
      bytes = new Uint8Array(src.length + len);
      bytes.set(src.subarray(0, at));
      bytes.set(other.subarray(from, from + len), at);
      bytes.set(src.subarray(at), at + len);
      break;
    }
    default: {
      // A byte range repeated: repeated fields twice, messages overlapping.
      const from = Math.floor(rand() * src.length);
      const len = Math.min(src.length - from, 1 + Math.floor(rand() * 512));
      bytes = new Uint8Array(src.length + len);
      bytes.set(src.subarray(0, from + len));
      bytes.set(src.subarray(from), from + len);
    }
  }
  return { index, kind, base: base.name, bytes };
}
