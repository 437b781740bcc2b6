// One race burst's outcomes into the ledger, the run stats and the totals, with each attempt's own send time; and the
// burst summaries of the result document (statuses, successes, spread, detection rate, spread percentiles).

import type { Ledger } from '../../ledger/ledger.ts';
import type { Outcome, OutcomeCounts, RaceBurst, RaceSummary } from '../../result/result-document.ts';
import type { RunStats } from '../../result/run-stats.ts';
import type { BurstOutcome, BurstResult } from './last-byte-burst.ts';
import type { PlannedBurst } from './race-plan.ts';

export interface Sinks {
  ledger: Ledger;
  stats: RunStats;
  totals: OutcomeCounts;
  /** performance.now() at the run's time 0. */
  t0: number; // ms
  conflictStatus: number;
}

/**
 * Record one burst. Every attempt is made known to the ledger (in send order, each at its own send time) before any
 * answer is judged: across connections answers overtake each other, and a conflict that arrives before the 201 it
 * depends on is judged against attempts sent by then, concurrent ones included, never against the attempts recorded
 * so far. Totals: ok is the burst's single (first) 2xx or the conflict status; fail an extra 2xx or another definite
 * answer; indeterminate a 5xx or no answer.
 */
export function recordBurst(index: number, planned: PlannedBurst, result: BurstResult, sinks: Sinks): RaceBurst {
  const { ledger, stats, totals, t0 } = sinks;
  const n = result.outcomes.length;
  const sentAt = result.sentAt.map((t) => t - t0);
  const tokens = new Array<number>(n);
  for (const i of order(n, (i) => sentAt[i]!)) {
    const sentId = planned.sentIds[i];
    tokens[i] = ledger.sent(planned.id, i === 0 ? 'first' : 'duplicate', sentAt[i]!, sentId !== planned.id ? sentId : undefined);
    stats.sent(sentAt[i]!);
  }
  let successes = 0;
  for (const i of order(n, (i) => result.outcomes[i]!.at)) {
    const o = result.outcomes[i]!;
    const answeredAt = o.at - t0;
    const status = 'response' in o ? o.response.status : undefined;
    const error = 'error' in o ? o.error : undefined;
    ledger.answered(tokens[i]!, answeredAt, status, error);
    let outcome: Outcome;
    if (status === undefined || status >= 500) outcome = 'indeterminate';
    else if (status >= 200 && status < 300) outcome = ++successes === 1 ? 'ok' : 'fail';
    else outcome = status === sinks.conflictStatus ? 'ok' : 'fail';
    totals.sent++;
    totals[outcome]++;
    stats.answered(outcome, Math.max(0, answeredAt - sentAt[i]!), answeredAt, status, error);
  }
  return summariseBurst(index, planned, result);
}

/** Indices 0..n-1 by increasing key (ties keep index order). */
function order(n: number, key: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
}

export function summariseBurst(index: number, planned: PlannedBurst, result: BurstResult): RaceBurst {
  const statuses = result.outcomes.map((o: BurstOutcome) => ('response' in o ? o.response.status : 0));
  const errors = result.outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
  return {
    index,
    id: planned.id,
    statuses,
    successes: statuses.filter((s) => s >= 200 && s < 300).length,
    spreadUs: Math.round(result.releaseSpreadNs / 100) / 10,
    ...(errors.length ? { errors } : {}),
  };
}

/** No attempt of the burst got an HTTP answer (every one reset, timed out or never sent). */
export function unanswered(result: BurstResult): boolean {
  return result.outcomes.length > 0 && result.outcomes.every((o) => 'error' in o);
}

export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

export function spreadPercentiles(bursts: readonly RaceBurst[]): RaceSummary['spreadUs'] {
  const sorted = bursts.map((b) => b.spreadUs).sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1) ?? 0 };
}
