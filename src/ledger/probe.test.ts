// Sizing and drawing the durability probe's sample.
import { describe, expect, it } from 'vitest';
import { detectionConfidence, pickProbeSample, probeSampleSize } from './probe.ts';

describe('probeSampleSize', () => {
  it('n = ⌈ln(1 − c) / ln(1 − p)⌉: 4603 probes see a 0.1 % loss with 99 % confidence', () => {
    expect(probeSampleSize(0.001, 0.99)).toBe(4603);
    expect(probeSampleSize(0.01, 0.95)).toBe(299);
    expect(probeSampleSize(0.5, 0.75)).toBe(2); // exactly 1 − 0.5² = 0.75: no rounding up past a whole number
    expect(probeSampleSize(1, 0.99)).toBe(1);
  });

  it('the size reaches the confidence, one probe less does not', () => {
    for (const [p, c] of [[0.001, 0.99], [0.0001, 0.999], [0.05, 0.9]] as const) {
      const n = probeSampleSize(p, c);
      expect(detectionConfidence(n, p)).toBeGreaterThanOrEqual(c);
      expect(detectionConfidence(n - 1, p)).toBeLessThan(c);
    }
  });

  it('refuses rates and confidences outside their range', () => {
    expect(() => probeSampleSize(0, 0.99)).toThrow(RangeError);
    expect(() => probeSampleSize(0.001, 1)).toThrow(RangeError);
    expect(() => probeSampleSize(Number.NaN, 0.5)).toThrow(RangeError);
  });
});

describe('pickProbeSample', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `id-${i}`);

  it('is deterministic per seed, differs between seeds, and never repeats an ID', () => {
    const a = pickProbeSample(ids, 500, 42);
    expect(pickProbeSample(ids, 500, 42)).toEqual(a);
    expect(pickProbeSample(ids, 500, 43)).not.toEqual(a);
    expect(a).toHaveLength(500);
    expect(new Set(a).size).toBe(500);
    for (const id of a) expect(ids).toContain(id);
  });

  it('takes an iterator (no array of every ID needed) and gives all IDs when n ≥ their number', () => {
    function* gen() {
      yield* ['a', 'b', 'c'];
    }
    expect(pickProbeSample(gen(), 5, 1)).toEqual(['a', 'b', 'c']);
    expect(pickProbeSample([], 5, 1)).toEqual([]);
    expect(pickProbeSample(ids, 0, 1)).toEqual([]);
  });

  it('is uniform: every part of the input is about equally represented', () => {
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 40; seed++) for (const id of pickProbeSample(ids, 250, seed)) counts[Math.floor(Number(id.slice(3)) / 2500)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(2000); // 2500 expected per quarter
  });
});
