// Proves the seeded UUID writers (v4, v1 tails) and the ID variants a canonical server must treat as the same ID.

import { describe, expect, it } from 'vitest';
import { canonicalId, UUID_PATTERN } from '../src/contract/canonical-id.ts';
import { createRandom } from '../src/random.ts';
import { ID_VARIANTS, idVariant, uuidV1, uuidV4, viewOf, writeUuidV1Tail } from './uuid.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV4', () => {
  it('writes RFC 9562 version 4 UUIDs, all distinct, the same sequence for the same seed', () => {
    const a = createRandom(7);
    const ids = Array.from({ length: 20_000 }, () => uuidV4(a));
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    const b = createRandom(7);
    expect(Array.from({ length: 100 }, () => uuidV4(b))).toEqual(ids.slice(0, 100));
    expect(uuidV4(createRandom(8))).not.toBe(ids[0]);
  });
});

describe('uuidV1', () => {
  it('encodes the instant like the spec\'s arid (a time-based v1 UUID)', () => {
    const ms = Date.parse('2021-05-10T12:00:00.123Z');
    const id = uuidV1(ms, 42, 0x0529, '0242ac130003');
    expect(id).toMatch(new RegExp(UUID_PATTERN));
    expect(id[14]).toBe('1');
    const [low, mid, high] = id.split('-');
    const ticks = (BigInt(`0x${high!.slice(1)}`) << 48n) | (BigInt(`0x${mid}`) << 32n) | BigInt(`0x${low}`);
    expect(Number((ticks - 122_192_928_000_000_000n) / 10_000n)).toBe(ms);
    expect(id.endsWith('-8529-0242ac130003')).toBe(true);
  });

  it('rewrites only the clock sequence and node of a v1 UUID, keeping its timestamp and variant', () => {
    const original = uuidV1(Date.parse('2021-05-10T12:00:00Z'), 0, 1, '0242ac130003');
    const bytes = Buffer.from(original);
    writeUuidV1Tail(viewOf(bytes), 0, createRandom(1));
    const fresh = bytes.toString('latin1');
    expect(fresh.slice(0, 19)).toBe(original.slice(0, 19));
    expect(fresh).not.toBe(original);
    expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(fresh.slice(24, 26), 16) & 1).toBe(1); // multicast bit of a random node
  });
});

describe('idVariant', () => {
  it('spells the same ID differently, and canonicalId maps it back', () => {
    const random = createRandom(3);
    const id = 'c908bc7c-9917-48fd-b862-d901a0880fef';
    for (const variant of ID_VARIANTS) {
      const spelled = idVariant(id, variant, random);
      expect(spelled).not.toBe(id);
      expect(spelled).toMatch(new RegExp(UUID_PATTERN));
      expect(canonicalId(spelled)).toBe(id);
    }
    expect(idVariant(id, 'upper-case', random)).toBe('C908BC7C-9917-48FD-B862-D901A0880FEF');
  });
});
