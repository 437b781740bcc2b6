import { describe, expect, it } from 'vitest';
import { RunStats } from './run-stats.ts';

describe('RunStats', () => {
  it('builds per-second rows (sent by send time, outcomes and percentiles by answer time)', () => {
    const stats = new RunStats();
    for (let i = 0; i < 10; i++) stats.sent(i * 100); // 0 … 900 ms
    for (let i = 0; i < 5; i++) stats.answered('ok', 10 + i, 500 + i * 100, 201);
    stats.answered('fail', 30, 1200, 200);
    stats.answered('indeterminate', 40, 2600, 503);
    stats.answered('indeterminate', 10_000, 2700, undefined, 'timeout');
    const rows = stats.perSecond();
    expect(rows.map((r) => [r.t, r.sent, r.ok, r.fail, r.indeterminate])).toEqual([
      [0, 10, 5, 0, 0],
      [1, 0, 0, 1, 0],
      [2, 0, 0, 0, 2],
    ]);
    expect(rows[0]!.p50).toBeCloseTo(12, 1);
    expect(rows[0]!.p99).toBeCloseTo(14, 1);
    expect(rows[2]!.p99).toBeCloseTo(10_000, -2);
  });

  it('tables statuses and errors and splits latency by outcome', () => {
    const stats = new RunStats();
    stats.answered('ok', 5, 10, 201);
    stats.answered('ok', 7, 11, 409);
    stats.answered('indeterminate', 9, 12, undefined, 'ECONNRESET');
    stats.unanswered('in-flight at end');
    expect(stats.statuses()).toEqual({ '201': 1, '409': 1 });
    expect(stats.errors()).toEqual({ ECONNRESET: 1, 'in-flight at end': 1 });
    const latency = stats.latency();
    expect(latency.overall.count).toBe(3);
    expect(latency.byOutcome.ok?.count).toBe(2);
    expect(latency.byOutcome.fail).toBeUndefined();
    expect(latency.byOutcome.indeterminate?.max).toBeCloseTo(9, 1);
  });
});
