// Shared by the open-model engine's test files: a duplicate stream over a recycle pool, a sink that checks every
// request is settled exactly once, and the engine's options with test defaults.
import { expect } from 'vitest';
import { createDuplicateStream } from '../../generators/duplicates.ts';
import { createPayloadPool } from '../../generators/pool.ts';
import type { AttemptSink, LoadItem } from '../engines/load-item.ts';
import type { OpenModelOptions } from '../engines/http1/open-model.ts';
import type { Outcome } from '../result/result-document.ts';
import { RunStats } from '../result/run-stats.ts';

/** Items from a duplicate stream over a *recycle* pool: a body is valid only until the next item (the engine must copy). */
export function items(dupRatio = 0.2, seed = 7): () => LoadItem {
  const stream = createDuplicateStream({ seed, dupRatio, pool: createPayloadPool({ seed, templates: 8, recycle: true }) });
  return () => {
    const item = stream.next();
    return { body: item.body, canonicalId: item.canonicalId, sentId: item.id === item.canonicalId ? undefined : item.id, kind: item.attempt };
  };
}

/** Classifies (5xx or error → indeterminate; 201 or 409 → ok; else fail) and checks every token is settled exactly once. */
export function testSink() {
  const settled: boolean[] = [];
  const counts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
  const statuses = new Map<number, number>();
  const errors = new Map<string, number>();
  let doubleSettled = 0;
  let unknownTokens = 0;
  const sink: AttemptSink = {
    sent() {
      counts.sent++;
      settled.push(false);
      return settled.length - 1;
    },
    answered(token, _answeredAt, status, error) {
      const state = settled[token];
      if (state === undefined) unknownTokens++;
      else if (state) doubleSettled++;
      else settled[token] = true;
      const outcome: Outcome = status === undefined || status >= 500 || error !== undefined ? 'indeterminate' : status === 201 || status === 409 ? 'ok' : 'fail';
      counts[outcome]++;
      if (status !== undefined) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (error !== undefined) errors.set(error, (errors.get(error) ?? 0) + 1);
      return outcome;
    },
  };
  return {
    sink,
    counts,
    statuses,
    errors,
    /** Everything that breaks "every request sent is settled exactly once". */
    problems: () => ({ unsettled: settled.filter((s) => !s).length, doubleSettled, unknownTokens }),
  };
}

/** RunStats' own totals, from its per-second rows. */
export function totals(stats: RunStats) {
  const sum = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
  for (const row of stats.perSecond()) {
    sum.sent += row.sent;
    sum.ok += row.ok;
    sum.fail += row.fail;
    sum.indeterminate += row.indeterminate;
  }
  return sum;
}

export function clockFromNow(): () => number {
  const t0 = performance.now();
  return () => performance.now() - t0;
}

export function openOptions(url: string, overrides: Partial<OpenModelOptions>) {
  const recorder = testSink();
  const stats = new RunStats();
  const options: OpenModelOptions = {
    url,
    ratePerSecond: 100,
    maxConnections: 16,
    durationMs: 1000,
    timeoutMs: 5000,
    drainMs: 5000,
    headers: {},
    next: items(),
    sink: recorder.sink,
    stats,
    clock: clockFromNow(),
    ...overrides,
  };
  return { options, recorder, stats };
}

export function expectAllSettled(recorder: ReturnType<typeof testSink>, stats: RunStats, sent: number) {
  expect(recorder.problems()).toEqual({ unsettled: 0, doubleSettled: 0, unknownTokens: 0 });
  const { counts } = recorder;
  expect(counts.sent).toBe(sent);
  expect(counts.ok + counts.fail + counts.indeterminate).toBe(sent);
  expect(totals(stats)).toEqual(counts);
  expect(stats.latency().overall.count).toBe(sent);
}
