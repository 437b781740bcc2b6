// UUID text ↔ four words.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatUuid, hashKey, parseUuid } from './uuid-key.ts';

describe('parseUuid / formatUuid', () => {
  it('round-trips any UUID, either case, to its canonical lower-case text', () => {
    const words = new Uint32Array(4);
    for (let i = 0; i < 1000; i++) {
      const id = randomUUID();
      expect(parseUuid(i % 2 === 0 ? id : id.toUpperCase(), words)).toBe(true);
      expect(formatUuid(words[0]!, words[1]!, words[2]!, words[3]!)).toBe(id);
    }
    expect(parseUuid('00000000-0000-0000-0000-000000000000', words)).toBe(true);
    expect([...words]).toEqual([0, 0, 0, 0]);
    expect(parseUuid('ffffffff-ffff-ffff-ffff-ffffffffffff', words)).toBe(true);
    expect([...words]).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });

  it.each([
    '',
    'not-a-uuid',
    'c908bc7c-1234-5678-9abc-def01234567', // 35 characters
    'c908bc7c-1234-5678-9abc-def0123456789',
    'c908bc7c-1234-5678-9abc-def01234567g',
    'c908bc7c+1234-5678-9abc-def012345678',
    'c908bc7c-1234-5678-9abc_def012345678',
    'c908bc7c-1234-5678-9abc-def01234567\u0660',
    '{908bc7c-1234-5678-9abc-def012345678',
  ])('refuses %j', (text) => {
    expect(parseUuid(text, new Uint32Array(4))).toBe(false);
  });

  it('hashKey spreads sequential IDs over the whole range', () => {
    const buckets = new Uint32Array(1024);
    for (let i = 0; i < 100_000; i++) buckets[hashKey(0, 0, 0, i) & 1023]!++;
    expect(Math.max(...buckets)).toBeLessThan(160); // ~98 expected per bucket
    expect(Math.min(...buckets)).toBeGreaterThan(50);
  });
});
