// The Mann–Whitney U (Wilcoxon rank-sum) test of two samples, and the Hodges–Lehmann shift with its Moses interval.
//
// Written here rather than taken from npm: no maintained package gives the exact rank-sum distribution with ties
// (midranks) and the distribution-free interval of the shift; `mann-whitney-utest` has neither and compares U to z.

import { normalCdf, normalQuantile } from './normal.ts';

/** Up to this many values in both samples together the p-value is exact (the full permutation distribution). */
export const EXACT_LIMIT = 60; // values

export interface RankTest {
  n1: number;
  n2: number;
  /** U of the second sample: pairs (first, second) where the second's value is larger, a tie counting one half. */
  u: number;
  /** Two-sided p-value of "both samples come from one distribution". */
  pValue: number;
  /** Exact permutation distribution (with midranks for ties), or the normal approximation with tie correction. */
  exact: boolean;
  /** Every value of both samples is the same: nothing to rank, p = 1. */
  constant: boolean;
  /** The smallest two-sided p-value any outcome could give with these sample sizes: 2 / C(n1 + n2, n1). */
  minAttainableP: number;
}

export interface ShiftEstimate {
  /** Hodges–Lehmann estimate: the median of every difference second − first. */
  estimate: number;
  /** The distribution-free (Moses) interval of the shift, from order statistics of those differences. */
  low: number;
  high: number;
  /** Its confidence: 1 − alpha, or less when the samples are too small to reach it (then the widest interval). */
  confidence: number; // 0..1
}

/** Two-sided Mann–Whitney U test: does `second` tend to be larger or smaller than `first`? Both must be non-empty. */
export function mannWhitney(first: readonly number[], second: readonly number[]): RankTest {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  const n = n1 + n2;
  const values = [...first.map((v) => ({ v, second: false })), ...second.map((v) => ({ v, second: true }))].sort((a, b) => a.v - b.v);
  // Doubled midranks (integers): a tie group spanning ranks i+1 … j gets (i + 1 + j) each.
  const doubled = new Array<number>(n);
  const ties: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[j]!.v === values[i]!.v) j++;
    for (let k = i; k < j; k++) doubled[k] = i + 1 + j;
    if (j - i > 1) ties.push(j - i);
    i = j;
  }
  let w2 = 0; // doubled rank sum of the second sample
  values.forEach((x, i) => {
    if (x.second) w2 += doubled[i]!;
  });
  const u = w2 / 2 - (n2 * (n2 + 1)) / 2;
  const minAttainableP = Math.min(1, 2 / binomial(n, n1));
  const constant = ties.length === 1 && ties[0] === n;
  if (constant) return { n1, n2, u, pValue: 1, exact: true, constant, minAttainableP };
  if (n <= EXACT_LIMIT) {
    // The statistic of the smaller sample (fewer subsets to count); its doubled rank sum decides as well as w2.
    const small = n2 <= n1;
    const k = small ? n2 : n1;
    const observed = small ? w2 : n * (n + 1) - w2;
    const counts = rankSumCounts(doubled, k);
    let total = 0;
    let atMost = 0;
    let atLeast = 0;
    counts.forEach((c, s) => {
      total += c;
      if (s <= observed) atMost += c;
      if (s >= observed) atLeast += c;
    });
    return { n1, n2, u, pValue: Math.min(1, (2 * Math.min(atMost, atLeast)) / total), exact: true, constant, minAttainableP };
  }
  const mean = (n1 * n2) / 2;
  const tieTerm = ties.reduce((sum, t) => sum + (t ** 3 - t), 0) / (n * (n - 1));
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / sd; // with continuity correction
  return { n1, n2, u, pValue: Math.min(1, 2 * normalCdf(-z)), exact: false, constant, minAttainableP };
}

/**
 * Hodges–Lehmann estimate of the shift `second − first` and its Moses confidence interval at 1 − alpha: the
 * (c+1)-th smallest and (c+1)-th largest of the n1·n2 pairwise differences, c the lower alpha/2 critical value of U.
 */
export function shiftEstimate(first: readonly number[], second: readonly number[], alpha: number): ShiftEstimate {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('shiftEstimate needs two non-empty samples');
  const a = Float64Array.from(first).sort();
  const b = Float64Array.from(second).sort();
  const pairs = n1 * n2;
  const median = pairs % 2 === 1 ? kthDifference(a, b, (pairs + 1) / 2) : (kthDifference(a, b, pairs / 2) + kthDifference(a, b, pairs / 2 + 1)) / 2;
  const { critical, confidence } = criticalU(n1, n2, alpha);
  return { estimate: median, low: kthDifference(a, b, critical + 1), high: kthDifference(a, b, pairs - critical), confidence };
}

/** Largest c ≥ 0 with P(U ≤ c) ≤ alpha/2 under the null without ties, and the confidence 1 − 2·P(U ≤ c) it gives. */
function criticalU(n1: number, n2: number, alpha: number): { critical: number; confidence: number } {
  const n = n1 + n2;
  if (n <= EXACT_LIMIT) {
    const k = Math.min(n1, n2);
    const counts = rankSumCounts(Array.from({ length: n }, (_, i) => 2 * (i + 1)), k);
    const offset = k * (k + 1); // doubled minimum rank sum: U = (sum − offset) / 2
    const total = counts.reduce((sum, c) => sum + c, 0);
    let cumulative = 0;
    let critical = 0;
    let below = counts[offset]! / total; // P(U ≤ 0)
    for (let u = 0; u <= n1 * n2; u++) {
      cumulative += counts[offset + 2 * u] ?? 0;
      if (cumulative / total > alpha / 2) break;
      critical = u;
      below = cumulative / total;
    }
    return { critical, confidence: 1 - 2 * below };
  }
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (n + 1)) / 12);
  const critical = Math.max(0, Math.floor(mean - normalQuantile(1 - alpha / 2) * sd));
  return { critical, confidence: 1 - 2 * normalCdf((critical + 0.5 - mean) / sd) };
}

/**
 * How many subsets of `k` of the given (integer) ranks have each possible sum: index = sum. Counts are doubles: up to
 * C(60, 30) ≈ 1.2e17 they are exact enough for a p-value (relative error ~1e-16).
 */
function rankSumCounts(ranks: readonly number[], k: number): number[] {
  const sorted = [...ranks].sort((x, y) => y - x);
  const max = sorted.slice(0, k).reduce((sum, r) => sum + r, 0);
  const rows = Array.from({ length: k + 1 }, () => new Float64Array(max + 1));
  rows[0]![0] = 1;
  ranks.forEach((rank, i) => {
    for (let j = Math.min(i + 1, k); j >= 1; j--) {
      const into = rows[j]!;
      const from = rows[j - 1]!;
      for (let s = max; s >= rank; s--) into[s]! += from[s - rank]!;
    }
  });
  return Array.from(rows[k]!);
}

/** The k-th smallest (1-based) of the differences b[j] − a[i], both arrays sorted, without listing all n1·n2 of them. */
export function kthDifference(a: Float64Array, b: Float64Array, k: number): number {
  let lo = b[0]! - a[a.length - 1]!;
  let hi = b[b.length - 1]! - a[0]!;
  if (countAtMost(a, b, lo) >= k) return lo;
  // Invariant: fewer than k differences ≤ lo, at least k ≤ hi. When no double lies between them, the k-th is hi.
  for (let step = 0; step < 2200; step++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtMost(a, b, mid) >= k) hi = mid;
    else lo = mid;
  }
  return largestAtMost(a, b, hi);
}

/** Pairs with b[j] − a[i] ≤ x: as a[i] grows, the qualifying b[j] (a prefix of b) only grow. */
function countAtMost(a: Float64Array, b: Float64Array, x: number): number {
  let count = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j]! - a[i]! <= x) j++;
    count += j;
  }
  return count;
}

/** The largest difference b[j] − a[i] that is ≤ x (an actual difference, so the result is exact). */
function largestAtMost(a: Float64Array, b: Float64Array, x: number): number {
  let best = -Infinity;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j]! - a[i]! <= x) j++;
    if (j > 0) best = Math.max(best, b[j - 1]! - a[i]!);
  }
  return best;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - Math.min(k, n - k) + i)) / i;
  return result;
}
