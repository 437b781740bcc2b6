// Deterministic UUIDs from RUN_ID + a number, so k6 instances of one run (execution segments) never collide.
//
// The number (k6's exec.scenario.iterationInTest, unique across instances, or a race round) goes through a keyed
// 64-bit Feistel permutation whose output fills 64 bits of the UUID untouched: distinct numbers always give distinct
// IDs within a run (not just probably). The other bits are keyed hashes; the version (4) and variant bits are set.

/** Which per-profile ID a UUID stands for: each domain has its own key, so the streams are unrelated. */
export const Domain = { profile: 1, session: 2, transactionGroup: 3, arid: 4, raceRound: 5, plan: 6 } as const;
export type Domain = (typeof Domain)[keyof typeof Domain];

/** Four 32-bit words derived from the run ID. */
export type RunKey = readonly [number, number, number, number];

function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The run key of a run ID (FNV-1a over the UTF-16 units, four lanes finalised differently). */
export function runKey(runId: string): RunKey {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 0x01000193) >>> 0;
  return [fmix32(h ^ 0x9e3779b9), fmix32(h ^ 0x7f4a7c15), fmix32(h ^ 0x94d049bb), fmix32(h ^ 0xbf58476d)];
}

/** A keyed bijection on 64-bit values given as (hi, lo) 32-bit halves. */
function permute(key: RunKey, domain: number, hi: number, lo: number): [number, number] {
  let left = hi >>> 0;
  let right = lo >>> 0;
  for (let round = 0; round < 4; round++) {
    const roundKey = fmix32(key[round]! ^ Math.imul(domain, 0x27d4eb2f) ^ round);
    const next = (left ^ fmix32(right ^ roundKey)) >>> 0;
    left = right;
    right = next;
  }
  return [left, right];
}

function hex(value: number, digits: number): string {
  return (value >>> 0).toString(16).padStart(8, '0').slice(8 - digits);
}

function split(n: number): [number, number] {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`stampede ids: ${n} is not a whole number ≥ 0`);
  return [Math.floor(n / 0x100000000), n >>> 0];
}

/** The UUID (v4 layout, lower case) number `n` stands for in `domain` of the run. */
export function uuidFor(key: RunKey, domain: Domain, n: number): string {
  const [hi, lo] = split(n);
  const [a, d] = permute(key, domain, hi, lo);
  const b = fmix32(a ^ key[1] ^ Math.imul(domain, 0x165667b1));
  const c = fmix32(d ^ key[2] ^ b);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-${hex(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(c, 4)}${hex(d, 8)}`;
}

/** A number in [0, 1) fixed by the run, a salt and `n`: the scripts' only source of "randomness". */
export function unitFor(key: RunKey, salt: number, n: number): number {
  const [hi, lo] = split(n);
  const [a, b] = permute(key, Domain.plan, hi ^ Math.imul(salt, 0x9e3779b1), lo);
  return fmix32(a ^ b) / 0x100000000;
}
