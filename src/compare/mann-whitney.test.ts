// The rank test and the shift against independent computations: full enumeration of every split, and known values.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { EXACT_LIMIT, kthDifference, mannWhitney, shiftEstimate } from './mann-whitney.ts';

/** Two-sided p by listing every way to pick the second sample's positions among all values (midranks for ties). */
function enumeratedP(first: number[], second: number[]): number {
  const all = [...first, ...second];
  const sorted = [...all].sort((a, b) => a - b);
  const rank = (v: number) => {
    const lo = sorted.indexOf(v);
    const hi = sorted.lastIndexOf(v);
    return (lo + hi) / 2 + 1;
  };
  const ranks = all.map(rank);
  const observed = second.reduce((s, v) => s + rank(v), 0);
  let total = 0;
  let low = 0;
  let high = 0;
  const pick = (start: number, left: number, sum: number) => {
    if (left === 0) {
      total++;
      if (sum <= observed + 1e-9) low++;
      if (sum >= observed - 1e-9) high++;
      return;
    }
    for (let i = start; i <= ranks.length - left; i++) pick(i + 1, left - 1, sum + ranks[i]!);
  };
  pick(0, second.length, 0);
  return Math.min(1, (2 * Math.min(low, high)) / total);
}

describe('mannWhitney', () => {
  it('gives the exact p of complete separation: 4 against 4 → 2/70 (as R and SciPy do)', () => {
    const test = mannWhitney([1, 2, 3, 4], [5, 6, 7, 8]);
    expect(test.u).toBe(16);
    expect(test.exact).toBe(true);
    expect(test.pValue).toBeCloseTo(2 / 70, 12);
    expect(test.minAttainableP).toBeCloseTo(2 / 70, 12);
  });

  it('equals the enumeration of every split, with ties (midranks), on random small samples', () => {
    const random = createRandom('mann-whitney-enumeration');
    for (let round = 0; round < 60; round++) {
      const n1 = 2 + Math.floor(random.next() * 7);
      const n2 = 2 + Math.floor(random.next() * 7);
      // Values from a few levels, so most rounds have ties (as per-second counts and rounded ms do).
      const draw = () => Math.floor(random.next() * 6) + (random.next() < 0.5 ? 0 : 0.5);
      const first = Array.from({ length: n1 }, draw);
      const second = Array.from({ length: n2 }, draw);
      const test = mannWhitney(first, second);
      expect(test.exact).toBe(true);
      expect(test.pValue).toBeCloseTo(enumeratedP(first, second), 10);
    }
  });

  it('uses the normal approximation with tie and continuity corrections above the exact limit (SciPy: p = 0.0137569)', () => {
    const first = Array.from({ length: 40 }, (_, i) => (i * 1.3) % 7);
    const second = Array.from({ length: 40 }, (_, i) => ((i * 2.1) % 9) + 0.5);
    expect(first.length + second.length).toBeGreaterThan(EXACT_LIMIT);
    const test = mannWhitney(first, second);
    expect(test.exact).toBe(false);
    expect(test.u).toBe(1056.5);
    expect(test.pValue).toBeCloseTo(0.013756915, 6);
  });

  it('p = 1 when every value is the same, and the test is symmetric', () => {
    expect(mannWhitney([0, 0, 0], [0, 0])).toMatchObject({ pValue: 1, constant: true });
    const a = [3.1, 4.7, 2.2, 5.0, 3.3];
    const b = [6.1, 4.9, 7.7, 5.5];
    expect(mannWhitney(a, b).pValue).toBeCloseTo(mannWhitney(b, a).pValue, 12);
  });
});

describe('shiftEstimate (Hodges–Lehmann with the Moses interval)', () => {
  it('4 against 4 separated by 4: estimate 4, interval [1, 7] at the 97.1% the sizes allow (as R reports)', () => {
    const shift = shiftEstimate([1, 2, 3, 4], [5, 6, 7, 8], 0.05);
    expect(shift).toEqual({ estimate: 4, low: 1, high: 7, confidence: 1 - 2 / 70 });
  });

  it('the k-th difference equals sorting all n1·n2 differences', () => {
    const random = createRandom('kth-difference');
    const a = Float64Array.from({ length: 23 }, () => random.normal(5, 2)).sort();
    const b = Float64Array.from({ length: 17 }, () => Math.round(random.normal(6, 3) * 10) / 10).sort();
    const all = [...b].flatMap((y) => [...a].map((x) => y - x)).sort((x, y) => x - y);
    for (const k of [1, 2, 50, 195, 196, 300, all.length - 1, all.length]) expect(kthDifference(a, b, k)).toBe(all[k - 1]);
  });

  it('a large shift lies inside its interval, and the interval excludes 0', () => {
    const random = createRandom('shift');
    const base = Array.from({ length: 30 }, () => random.normal(10, 1));
    const next = Array.from({ length: 30 }, () => random.normal(13, 1));
    const shift = shiftEstimate(base, next, 0.05);
    expect(shift.low).toBeGreaterThan(0);
    expect(shift.low).toBeLessThan(shift.estimate);
    expect(shift.high).toBeGreaterThan(shift.estimate);
    expect(shift.estimate).toBeGreaterThan(2);
    expect(shift.estimate).toBeLessThan(4);
    expect(shift.confidence).toBeGreaterThanOrEqual(0.949);
  });
});
