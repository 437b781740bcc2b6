// Sizing and drawing the durability probe's sample (U3): which acknowledged IDs to re-submit after the load phase.

import { createRandom } from '../random.ts';

/**
 * How many acknowledged IDs a random sample must re-submit to see at least one lost write with probability
 * `confidence` when a share `lossRate` of acknowledged writes is lost: the smallest n with 1 − (1 − p)^n ≥ c, i.e.
 * n = ⌈ln(1 − c) / ln(1 − p)⌉ (sampling with replacement; without replacement from a finite set it only detects better).
 * probeSampleSize(0.001, 0.99) = 4603.
 */
export function probeSampleSize(lossRate: number, confidence: number): number {
  if (!(lossRate > 0 && lossRate <= 1)) throw new RangeError(`loss rate ${lossRate}: must be in (0, 1]`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence}: must be in (0, 1)`);
  if (lossRate === 1) return 1;
  const exact = Math.log1p(-confidence) / Math.log1p(-lossRate);
  // Absorb floating-point noise when the quotient is (mathematically) a whole number.
  return Math.max(1, Math.ceil(exact - 1e-9 * exact));
}

/** The probability that n random probes see at least one lost write when a share `lossRate` is lost: 1 − (1 − p)^n. */
export function detectionConfidence(n: number, lossRate: number): number {
  return -Math.expm1(n * Math.log1p(-lossRate));
}

/**
 * A uniform random sample of n IDs (all of them when there are at most n), seeded: the same IDs in the same order
 * and the same seed always give the same sample. Reservoir sampling: one pass, memory for n IDs only, so the ledger's
 * acknowledgedIds() iterator can be passed without building an array of every ID. No ID is picked twice (given
 * distinct input).
 */
export function pickProbeSample(ids: Iterable<string>, n: number, seed: number | string): string[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`sample size ${n}: must be a whole number ≥ 0`);
  const random = createRandom(seed);
  const sample: string[] = [];
  let seen = 0;
  for (const id of ids) {
    if (seen < n) {
      sample.push(id);
    } else {
      const j = Math.floor(random.next() * (seen + 1));
      if (j < n) sample[j] = id;
    }
    seen++;
  }
  return sample;
}
