// The open-model engine against the real reference service over loopback: counts, settlement, latency, no coordinated omission.

import { describe, expect, it } from 'vitest';
import type { RunningService } from '../../service/start-service.ts';
import { useServices } from '../../testing/services.ts';
import { runClosedModel } from '../autocannon/closed-model.ts';
import { RunStats } from '../../result/run-stats.ts';
import { clockFromNow, expectAllSettled, items, openOptions, testSink } from '../../testing/open-model-kit.ts';
import { runOpenModel } from './open-model.ts';

const start = useServices();
const service = (...faults: string[]): Promise<RunningService> => start({ faults });

describe('runOpenModel', () => {
  it('issues exactly round(rate × duration) requests, evenly over the duration, and settles every one', async () => {
    const target = await service();
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 300, durationMs: 1000 });
    const began = performance.now();
    const result = await runOpenModel(options);
    const elapsed = performance.now() - began;

    expect(result).toMatchObject({ sent: 300, unsent: 0, abandoned: 0, heldBack: 0, interrupted: false });
    expectAllSettled(recorder, stats, 300);
    expect(recorder.counts.ok).toBe(300);
    expect(target.stats().responses).toBe(300);
    // The last request is meant to start at 996.7 ms: no burst at the start.
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(result.schedulerLag.max).toBeGreaterThanOrEqual(result.schedulerLag.p99);
    console.log(`scheduler lag at 300 req/s: p99 ${result.schedulerLag.p99} ms, max ${result.schedulerLag.max} ms`);
  });

  it('issues exactly `requests` requests when given a count', async () => {
    const target = await service();
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 500, requests: 123, durationMs: undefined });
    const result = await runOpenModel(options);

    expect(result).toMatchObject({ sent: 123, unsent: 0, abandoned: 0 });
    expectAllSettled(recorder, stats, 123);
    expect(target.stats().responses).toBe(123);
  });

  it('sends the bodies of a recycle pool intact although requests wait in the queue (it copies them)', async () => {
    // 2 connections, 20 ms each: requests queue in the client while later items overwrite the pool's working copies.
    const target = await service('latency:20ms');
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 200, requests: 120, durationMs: undefined, maxConnections: 2, next: items(0) });
    await runOpenModel(options);

    expectAllSettled(recorder, stats, 120);
    // Every item has a fresh ID: a body overwritten before it was sent would repeat another's ID and get 409.
    expect(recorder.statuses.get(201)).toBe(120);
    expect(target.stats().profiles).toBe(120);
  });

  it('shows the queueing a closed model hides: 2 connections, latency:50ms, 100 req/s (the target does ~40/s)', async () => {
    const target = await service('latency:50ms');
    const open = openOptions(target.url, { ratePerSecond: 100, durationMs: 1000, maxConnections: 2 });
    const openResult = await runOpenModel(open.options);
    expect(openResult).toMatchObject({ sent: 100, unsent: 0, abandoned: 0 });
    expectAllSettled(open.recorder, open.stats, 100);
    const openLatency = open.stats.latency().overall;

    const closedRecorder = testSink();
    const closedStats = new RunStats();
    await runClosedModel({
      url: target.url,
      connections: 2,
      durationMs: 1000,
      timeoutMs: 5000,
      drainMs: 5000,
      headers: {},
      next: items(0.2, 13),
      sink: closedRecorder.sink,
      stats: closedStats,
      clock: clockFromNow(),
    });
    const closedLatency = closedStats.latency().overall;
    console.log(
      `coordinated omission — open model: p50 ${openLatency.p50} ms, p99 ${openLatency.p99} ms, max ${openLatency.max} ms` +
        ` · closed model (2 connections, ${closedLatency.count} requests): p50 ${closedLatency.p50} ms, p99 ${closedLatency.p99} ms`,
    );

    // 100 requests at 40/s take 2.5 s: the last ones wait ~1.5 s behind the others.
    expect(openLatency.p99).toBeGreaterThan(500);
    expect(closedLatency.count).toBeGreaterThan(0);
    expect(closedLatency.p99).toBeLessThan(100);
  });

  it('errors:1: every request is indeterminate, none lost', async () => {
    const target = await service('errors:1');
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 200, requests: 100, durationMs: undefined });
    const result = await runOpenModel(options);

    expect(result).toMatchObject({ sent: 100, abandoned: 0 });
    expectAllSettled(recorder, stats, 100);
    expect(recorder.counts.indeterminate).toBe(100);
    expect(stats.statuses()).toEqual({ '503': 100 });
  });

  it('a target closed mid-run: the run completes; requests on the wire then are indeterminate, later ones never leave', async () => {
    const target = await service('latency:20ms');
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 200, durationMs: 1000 });
    setTimeout(() => void target.close(0), 400);
    const result = await runOpenModel(options);

    expect(result.sent + result.unsent).toBe(200);
    expect(result.sent).toBeGreaterThan(40);
    expectAllSettled(recorder, stats, result.sent);
    expect(recorder.counts.ok).toBeGreaterThan(0);
    expect(recorder.counts.ok + recorder.counts.indeterminate).toBe(result.sent);
    // Cut with a request on them: indeterminate. After the close no connection opens: those requests have no outcome.
    for (const kind of recorder.errors.keys()) expect(['ECONNRESET', 'connection closed', 'EPIPE']).toContain(kind);
    expect(Object.keys(result.unsentByError)).toEqual(['ECONNREFUSED']);
    expect(result.unsentByError.ECONNREFUSED).toBeGreaterThan(50);
  });

  it('an abort stops issuing at once; what was sent is settled and the run says interrupted', async () => {
    const target = await service('latency:20ms');
    const controller = new AbortController();
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 200, durationMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const began = performance.now();
    const result = await runOpenModel(options);

    expect(performance.now() - began).toBeLessThan(1500);
    expect(result.interrupted).toBe(true);
    expect(result.sent).toBeGreaterThan(30);
    expect(result.sent).toBeLessThan(200);
    expect(result.sent + result.unsent).toBe(1000);
    expectAllSettled(recorder, stats, result.sent);
  });

  it('an abort during the drain cuts it to abortDrainMs; the rest settle as "in-flight at end"', async () => {
    const target = await service('latency:2s');
    const controller = new AbortController();
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 100, requests: 10, durationMs: undefined, drainMs: 10_000, abortDrainMs: 100, signal: controller.signal });
    setTimeout(() => controller.abort(), 300); // issuing ended at ~90 ms: this is mid-drain
    const began = performance.now();
    const result = await runOpenModel(options);

    expect(performance.now() - began).toBeLessThan(1000);
    expect(result).toMatchObject({ sent: 10, unsent: 0, abandoned: 10, interrupted: true });
    expectAllSettled(recorder, stats, 10);
    expect(recorder.errors.get('in-flight at end')).toBe(10);
  });

  it('in flight when the drain ends: settled indeterminate as "in-flight at end"', async () => {
    const target = await service('latency:400ms');
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 100, requests: 20, durationMs: undefined, drainMs: 100, maxConnections: 32 });
    const result = await runOpenModel(options);

    expect(result.abandoned).toBeGreaterThan(0);
    expectAllSettled(recorder, stats, 20);
    expect(recorder.errors.get('in-flight at end')).toBe(result.abandoned);
  });

  it('maxOutstanding holds due requests back, keeps their intended start, and leaves the rest unsent at the end', async () => {
    const target = await service('latency:50ms');
    const { options, recorder, stats } = openOptions(target.url, { ratePerSecond: 100, durationMs: 500, maxConnections: 2, maxOutstanding: 2 });
    const result = await runOpenModel(options);

    // 50 scheduled over 0.5 s; 2 at a time at 50 ms each send about 20.
    expect(result.heldBack).toBeGreaterThan(0);
    expect(result.unsent).toBeGreaterThan(0);
    expect(result.sent + result.unsent).toBe(50);
    expectAllSettled(recorder, stats, result.sent);
    // The wait for room counts in the latency (from the intended start), and in the dispatch lag.
    expect(stats.latency().overall.max).toBeGreaterThan(200);
    expect(result.schedulerLag.max).toBeGreaterThan(150);
  });
});
