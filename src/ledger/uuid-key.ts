// A UUID text as four 32-bit words (16 bytes instead of a 36-character string), and back.

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i; // 0-9
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i; // A-F
  HEX[97 + i] = 10 + i; // a-f
}

/**
 * Parse `8-4-4-4-12` hex text (either case) into `out[0..3]`, most significant word first. Returns false, leaving
 * `out` in an unspecified state, when `id` is not such a UUID. Allocates nothing.
 */
export function parseUuid(id: string, out: Uint32Array): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let nibbles = 0;
  let w = 0;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
      continue;
    }
    const v = c < 128 ? HEX[c]! : -1;
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++nibbles === 8) {
      out[w++] = word;
      word = 0;
      nibbles = 0;
    }
  }
  return true;
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Character codes of the text being formatted; the dashes stay in place. */
const TEXT = new Array<number>(36).fill(45 /* - */);

function putWord(word: number, at: number, dashAt: number): void {
  for (let n = 0, p = at; n < 8; n++, p++) {
    if (p === dashAt) p++;
    TEXT[p] = HEX_CODES[(word >>> (28 - 4 * n)) & 15]!;
  }
}

/** The canonical (lower-case) text of the UUID whose words are a, b, c, d (a flat string, built in one go). */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  putWord(a, 0, -1); // 8
  putWord(b, 9, 13); // 4-4
  putWord(c, 19, 23); // 4-4
  putWord(d, 28, -1); // 8
  return String.fromCharCode.apply(null, TEXT);
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A well-mixed 32-bit hash of the four words: sequential or time-based UUIDs (v1, v7) spread as well as random ones. */
export function hashKey(a: number, b: number, c: number, d: number): number {
  return fmix32(a ^ fmix32(b ^ fmix32(c ^ fmix32(d ^ 0x9e3779b9))));
}
