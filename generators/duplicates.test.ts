// Proves the duplicate stream's ground truth (first attempt vs duplicate per item), its patterns, ratio and ID variants.

import { describe, expect, it } from 'vitest';
import { canonicalId } from '../src/contract/canonical-id.ts';
import type { UserProfile } from '../src/contract/user-profile-schema.ts';
import { isValidUserProfile } from '../src/contract/validators.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { createDuplicateStream, replaceAscii, type StreamItem } from './duplicates.ts';
import { createPayloadPool } from './pool.ts';

const pool = createPayloadPool({ seed: 2, templates: 32 });
const take = (n: number, options: Parameters<typeof createDuplicateStream>[0]) => {
  const stream = createDuplicateStream({ pool, ...options });
  return { items: Array.from({ length: n }, () => stream.next()), counts: stream.counts() };
};

describe('createDuplicateStream: ground truth', () => {
  const { items, counts } = take(50_000, { seed: 9, dupRatio: 0.3, pattern: 'mixed', variantRatio: 0.2, hotIds: 5, maxDelay: 500 });

  it('labels an item "first" exactly when no earlier item carries its canonical ID, and points at that first item', () => {
    const firstSeen = new Map<string, number>();
    const wrong: StreamItem[] = [];
    for (const item of items) {
      const canonical = canonicalId(item.id);
      const earlier = firstSeen.get(canonical);
      if (earlier === undefined) firstSeen.set(canonical, item.index);
      const expected = earlier === undefined ? { attempt: 'first', firstIndex: item.index } : { attempt: 'duplicate', firstIndex: earlier };
      if (item.canonicalId !== canonical || item.attempt !== expected.attempt || item.firstIndex !== expected.firstIndex) wrong.push(item);
    }
    expect(wrong.map((i) => i.index)).toEqual([]);
  });

  it('duplicates about the requested fraction, across all three patterns', () => {
    expect(counts.items).toBe(50_000);
    expect(counts.duplicate / counts.items).toBeGreaterThan(0.28);
    expect(counts.duplicate / counts.items).toBeLessThan(0.32);
    expect(counts.immediate + counts.delayed + counts.hot).toBe(counts.duplicate);
    for (const n of [counts.immediate, counts.delayed, counts.hot]) expect(n).toBeGreaterThan(0.1 * counts.duplicate);
  });

  it('repeats the item before for an immediate duplicate, with the very same bytes unless the ID is re-spelled', () => {
    for (const item of items.filter((i) => i.pattern === 'immediate')) {
      const before = items[item.index - 1]!;
      expect(item.canonicalId).toBe(before.canonicalId);
      if (item.id === before.id) expect(item.body).toBe(before.body); // the same Buffer: a retry
      else expect(replaceAscii(item.body, item.id, before.id).equals(before.body)).toBe(true);
    }
  });

  it('reaches back 2 to maxDelay first attempts for a delayed duplicate, and hits only the hot IDs for a hot one', () => {
    const firsts = items.filter((i) => i.attempt === 'first').map((i) => i.index);
    const rank = new Map(firsts.map((index, k) => [index, k])); // position among first attempts
    const hot = new Set(firsts.slice(0, 5));
    const wrong: StreamItem[] = [];
    let firstsBefore = 0;
    for (const item of items) {
      if (item.pattern === 'hot' && !hot.has(item.firstIndex)) wrong.push(item);
      if (item.pattern === 'delayed') {
        const back = firstsBefore - rank.get(item.firstIndex)!; // 1 = the latest first attempt
        if (back < Math.min(2, firstsBefore) || back > 500) wrong.push(item);
      }
      if (item.attempt === 'first') firstsBefore++;
    }
    expect(wrong.map((i) => `${i.index} ${i.pattern}`)).toEqual([]);
    const hotHits = new Map<number, number>();
    for (const item of items) if (item.pattern === 'hot') hotHits.set(item.firstIndex, (hotHits.get(item.firstIndex) ?? 0) + 1);
    expect(Math.min(...hotHits.values())).toBeGreaterThan(100);
  });

  it('sends some duplicates with the ID in upper or mixed case, written everywhere in a valid body', () => {
    const variants = items.filter((i) => i.variant !== null);
    expect(variants.length).toBeGreaterThan(0.15 * counts.duplicate);
    expect(new Set(variants.map((v) => v.variant))).toEqual(new Set(['upper-case', 'mixed-case']));
    for (const item of variants.slice(0, 300)) {
      expect(item.id).not.toBe(item.canonicalId);
      const body = JSON.parse(item.body.toString()) as UserProfile;
      expect(isValidUserProfile(body)).toBe(true);
      expect(body.userProfileId).toBe(item.id);
      expect(body.sdkAuditEvents!.every((e) => e.userProfileId === item.id)).toBe(true);
    }
    expect(items.filter((i) => i.attempt === 'first').every((i) => i.variant === null && i.id === i.canonicalId)).toBe(true);
  });
});

describe('createDuplicateStream: options', () => {
  const truth = (items: StreamItem[]) => items.map((i) => `${i.attempt}:${i.pattern}:${i.id}`).join('\n');

  it('without duplicates issues only first attempts', () => {
    const { counts } = take(2_000, { seed: 1 });
    expect(counts).toMatchObject({ items: 2_000, first: 2_000, duplicate: 0 });
  });

  it('honours a single pattern', () => {
    for (const pattern of ['immediate', 'delayed', 'hot'] as const) {
      const { items } = take(2_000, { seed: 1, dupRatio: 0.5, pattern });
      expect(new Set(items.filter((i) => i.attempt === 'duplicate').map((i) => i.pattern))).toEqual(new Set([pattern]));
    }
  });

  it('is deterministic: the same seed replays the same stream, another seed does not', () => {
    const a = createDuplicateStream({ seed: 4, templates: 8, dupRatio: 0.2 });
    const b = createDuplicateStream({ seed: 4, templates: 8, dupRatio: 0.2 });
    const c = createDuplicateStream({ seed: 5, templates: 8, dupRatio: 0.2 });
    const n = (s: typeof a) => Array.from({ length: 1_000 }, () => s.next());
    const [x, y, z] = [n(a), n(b), n(c)];
    expect(truth(x)).toBe(truth(y));
    expect(Buffer.concat(x.map((i) => i.body)).equals(Buffer.concat(y.map((i) => i.body)))).toBe(true);
    expect(truth(x)).not.toBe(truth(z));
  });

  it('rejects impossible options with an InvalidOptionError naming the option', () => {
    expect(() => createDuplicateStream({ pool, dupRatio: 1 })).toThrow(/dupRatio/);
    expect(() => createDuplicateStream({ pool, dupRatio: -0.1 })).toThrow(InvalidOptionError);
    expect(() => createDuplicateStream({ pool, pattern: 'sometimes' as 'hot' })).toThrow(/pattern/);
    expect(() => createDuplicateStream({ pool, pattern: { immediate: 0 } })).toThrow(/pattern/);
    expect(() => createDuplicateStream({ pool, hotIds: 0 })).toThrow(/hotIds/);
    expect(() => createDuplicateStream({ pool, variantRatio: 2 })).toThrow(/variantRatio/);
  });
});
