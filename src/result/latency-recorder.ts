// Latency recording into an HDR histogram (hdr-histogram-js): constant memory, 3 significant digits, ms in and out.

import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Percentiles } from './result-document.ts';

/** Values are stored in µs: sub-millisecond latencies on loopback must not collapse to 0 or 1 ms. */
const US_PER_MS = 1000;
/** Largest latency tracked exactly; larger values are clamped (a request that slow has long timed out). */
const HIGHEST_US = 3_600_000_000; // µs (1 h)

export class LatencyRecorder {
  private readonly histogram: Histogram;

  constructor(significantDigits: 2 | 3 = 3) {
    this.histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: significantDigits, autoResize: false });
  }

  record(ms: number): void {
    const us = Math.round(ms * US_PER_MS);
    this.histogram.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : us);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The latency below which `percentile` % of values fall, in ms. */
  percentile(percentile: number): number {
    return this.histogram.getValueAtPercentile(percentile) / US_PER_MS;
  }

  summary(): Percentiles {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const ms = (us: number) => Math.round(us) / US_PER_MS;
    return {
      count: h.totalCount,
      mean: ms(h.mean),
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
    };
  }

  /**
   * The percentile curve for an HDR percentile plot: [percentile, ms] at 1/(1 − p) = 10^(i/4) (four points per decade
   * on the usual log scale: 0, 43.8, 68.4 … 90, 99, 99.9 …) as far as the count resolves, then the maximum at 100.
   */
  curve(): Array<[number, number]> {
    const h = this.histogram;
    if (h.totalCount === 0) return [];
    const points: Array<[number, number]> = [];
    for (let i = 0; ; i++) {
      const tail = 10 ** (-i / 4); // 1 − p
      if (tail * h.totalCount < 1) break;
      const p = Math.round((1 - tail) * 1e5) / 1e3;
      points.push([p, Math.round(h.getValueAtPercentile(p)) / US_PER_MS]);
    }
    points.push([100, Math.round(h.maxValue) / US_PER_MS]);
    return points;
  }

  /** Add another recorder's values (e.g. merging per-worker or per-machine recorders). */
  add(other: LatencyRecorder): void {
    this.histogram.add(other.histogram);
  }

  /** The histogram as compressed base64 (HdrHistogram's own encoding), to send to another thread or process. */
  encode(): string {
    return encodeIntoCompressedBase64(this.histogram);
  }

  /** Add the values of a histogram encoded by encode(): merged bucket by bucket, never averaged. */
  addEncoded(encoded: string): void {
    this.histogram.add(decodeFromCompressedBase64(encoded));
  }

  reset(): void {
    this.histogram.reset();
  }
}
