import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency-recorder.ts';

describe('LatencyRecorder', () => {
  it('summarises ms latencies with 3 significant digits, sub-millisecond included', () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 1000; i++) recorder.record(i / 10); // 0.1 … 100 ms
    const s = recorder.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p90).toBeCloseTo(90, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
    expect(s.mean).toBeCloseTo(50.05, 0);
    expect(recorder.percentile(10)).toBeCloseTo(10, 0);
  });

  it('is empty-safe, merges, resets and clamps absurd values', () => {
    const a = new LatencyRecorder();
    expect(a.summary()).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
    const b = new LatencyRecorder();
    a.record(1);
    b.record(3);
    b.record(1e12);
    a.add(b);
    expect(a.count).toBe(3);
    expect(a.summary().max).toBeCloseTo(3_600_000, -3);
    a.reset();
    expect(a.count).toBe(0);
  });
});
