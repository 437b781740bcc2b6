// The open model's headline latency against a target that answers in 50 ms: p50 within ±3 % (no coordinated omission),
// the closed model shown for contrast. A latency figure: this file runs in the quiet group (vitest.config.ts), alone,
// because another test file's load on the other core shifts it.
import { describe, expect, it } from 'vitest';
import { RunStats } from '../../result/run-stats.ts';
import type { RunningService } from '../../service/start-service.ts';
import { clockFromNow, expectAllSettled, items, openOptions, testSink } from '../../testing/open-model-kit.ts';
import { useServices } from '../../testing/services.ts';
import { runClosedModel } from '../autocannon/closed-model.ts';
import { runOpenModel } from './open-model.ts';

const start = useServices();
const service = (...faults: string[]): Promise<RunningService> => start({ faults });

describe('runOpenModel', () => {
  it('latency:50ms: the open model reports p50 within ±3 % of 50 ms (closed model shown for contrast)', async () => {
    const target = await service('latency:50ms');
    const open = openOptions(target.url, { ratePerSecond: 200, durationMs: 2000, maxConnections: 64 });
    const openResult = await runOpenModel(open.options);
    expectAllSettled(open.recorder, open.stats, 400);
    const openLatency = open.stats.latency().overall;

    const closedRecorder = testSink();
    const closedStats = new RunStats();
    await runClosedModel({
      url: target.url,
      connections: 16,
      durationMs: 1000,
      timeoutMs: 5000,
      drainMs: 5000,
      headers: {},
      next: items(0.2, 11),
      sink: closedRecorder.sink,
      stats: closedStats,
      clock: clockFromNow(),
    });
    const closedLatency = closedStats.latency().overall;
    console.log(
      `latency:50ms — open model (200 req/s): p50 ${openLatency.p50} ms, p99 ${openLatency.p99} ms, scheduler lag p99 ${openResult.schedulerLag.p99} ms` +
        ` · closed model (16 connections, ${closedLatency.count} requests): p50 ${closedLatency.p50} ms, p99 ${closedLatency.p99} ms`,
    );

    expect(openLatency.p50).toBeGreaterThanOrEqual(50 * 0.97);
    expect(openLatency.p50).toBeLessThanOrEqual(50 * 1.03);
    expect(closedLatency.count).toBeGreaterThan(0);
    expect(closedLatency.p50).toBeGreaterThan(0);
    expect(closedLatency.p99).toBeGreaterThan(0);
  });
});
