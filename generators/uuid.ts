// Fast seeded UUIDs written straight into byte buffers (the pooled path), UUID v1 for `arid`, and ID case variants.

import type { Random } from '../src/random.ts';

const HEX_DIGITS = '0123456789abcdef';
const HYPHEN = 0x2d;

// HEX2[b]: the two lower-case hex digits of byte b as ASCII, first digit in the low byte. 512 bytes, so it stays in
// L1 cache; a 64 Ki-entry table of four digits was slower for missing it.
const HEX2 = new Uint16Array(256);
for (let b = 0; b < 256; b++) HEX2[b] = HEX_DIGITS.charCodeAt(b >>> 4) | (HEX_DIGITS.charCodeAt(b & 15) << 8);

/** The four hex digits of the 16-bit `v` as ASCII, packed little-endian (first digit in the low byte). */
function hex4(v: number): number {
  return HEX2[(v >>> 8) & 0xff]! | (HEX2[v & 0xff]! << 16);
}

/** 32 uniformly random bits from a seeded generator (its `next()` is a 32-bit integer divided by 2^32). */
export function randomUint32(random: Random): number {
  return (random.next() * 4294967296) >>> 0;
}

const scratch = new Uint32Array(8);

/** Writes a random (version 4, RFC 9562) lower-case UUID as 36 ASCII bytes at byte `at` of `view`. */
export function writeUuidV4(view: DataView, at: number, random: Random): void {
  drawUuidV4(random, scratch);
  putUuid(view, at, scratch);
  for (const hyphen of [8, 13, 18, 23]) view.setUint8(at + hyphen, HYPHEN);
}

/**
 * Rewrites the clock sequence and node of the version 1 UUID at byte `at` (characters 19–35), keeping its
 * timestamp: a fresh, unique `arid` for the same instant. The node gets the multicast bit, as RFC 9562 §6.10 asks
 * of random node IDs.
 */
export function writeUuidV1Tail(view: DataView, at: number, random: Random): void {
  const w0 = randomUint32(random);
  const w1 = randomUint32(random);
  view.setUint32(at + 19, hex4(((w0 >>> 16) & 0x3fff) | 0x8000), true);
  view.setUint8(at + 23, HYPHEN);
  view.setUint32(at + 24, hex4((w0 & 0xfeff) | 0x0100), true);
  view.setUint32(at + 28, hex4(w1 >>> 16), true);
  view.setUint32(at + 32, hex4(w1 & 0xffff), true);
}

/**
 * Draws a random version 4 UUID as its 32 hex digits, packed four ASCII characters per word into `hex` (8 words),
 * for putUuid() to write wherever the ID occurs: drawing once and storing 8 words per occurrence beats copying.
 */
export function drawUuidV4(random: Random, hex: Uint32Array): void {
  const w0 = randomUint32(random);
  const w1 = randomUint32(random);
  const w2 = randomUint32(random);
  const w3 = randomUint32(random);
  hex[0] = hex4(w0 >>> 16);
  hex[1] = hex4(w0 & 0xffff);
  hex[2] = hex4(w1 >>> 16);
  hex[3] = hex4((w1 & 0x0fff) | 0x4000); // version 4
  hex[4] = hex4(((w2 >>> 16) & 0x3fff) | 0x8000); // variant 10xx
  hex[5] = hex4(w2 & 0xffff);
  hex[6] = hex4(w3 >>> 16);
  hex[7] = hex4(w3 & 0xffff);
}

/** Writes the hex digits drawn by drawUuidV4 over the UUID at byte `at`, whose hyphens are already in place. */
export function putUuid(view: DataView, at: number, hex: Uint32Array): void {
  view.setUint32(at, hex[0]!, true);
  view.setUint32(at + 4, hex[1]!, true);
  view.setUint32(at + 9, hex[2]!, true);
  view.setUint32(at + 14, hex[3]!, true);
  view.setUint32(at + 19, hex[4]!, true);
  view.setUint32(at + 24, hex[5]!, true);
  view.setUint32(at + 28, hex[6]!, true);
  view.setUint32(at + 32, hex[7]!, true);
}

/** A DataView over exactly the bytes of `bytes`. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A random version 4 UUID string. */
export function uuidV4(random: Random): string {
  const bytes = Buffer.allocUnsafe(36);
  writeUuidV4(viewOf(bytes), 0, random);
  return bytes.toString('latin1');
}

// 100-ns intervals between the Gregorian reform (1582-10-15, the UUID v1 epoch) and the Unix epoch.
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;

/**
 * A time-based (version 1) UUID as an SDK request ID looks, e.g. the spec's `a15fa6de-b199-11eb-8529-0242ac130003`.
 * `ticks` (0–9999) are the 100-ns intervals within the millisecond; `clockSeq` 14 bits; `node` 12 hex digits.
 */
export function uuidV1(epochMs: number, ticks: number, clockSeq: number, node: string): string {
  const time = BigInt(epochMs) * 10_000n + BigInt(ticks) + GREGORIAN_OFFSET;
  const low = (time & 0xffffffffn).toString(16).padStart(8, '0');
  const mid = ((time >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const high = (((time >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  const seq = ((clockSeq & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  return `${low}-${mid}-${high}-${seq}-${node.toLowerCase()}`;
}

/** Spellings of one ID that a correct server must treat as that same ID (UUID hex digits are case-insensitive). */
export const ID_VARIANTS = ['upper-case', 'mixed-case'] as const;
export type IdVariant = (typeof ID_VARIANTS)[number];

/** `id` (a lower-case UUID) spelled as `variant`; mixed case flips letters chosen by `random`, at least one. */
export function idVariant(id: string, variant: IdVariant, random: Random): string {
  if (variant === 'upper-case') return id.toUpperCase();
  let out = '';
  let flipped = false;
  for (let i = 0; i < id.length; i++) {
    const c = id[i]!;
    const letter = c >= 'a' && c <= 'f';
    if (letter && random.next() < 0.5) {
      out += c.toUpperCase();
      flipped = true;
    } else out += c;
  }
  // A UUID without any letter a–f cannot change case; the odds are (10/16)^31, but say so rather than lie.
  if (!flipped) out = out.replace(/[a-f]/, (c) => c.toUpperCase());
  return out;
}
