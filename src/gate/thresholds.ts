// The gate's thresholds judged on the load phase's result document: p99, error rate, throughput.

import type { GateThresholds } from '../options/gate-options.ts';
import type { ResultDocument, ThresholdResult } from '../result/result-document.ts';

/** Each threshold against the load phase; unknown when the load phase is missing or sent nothing. */
export function judgeThresholds(load: ResultDocument | undefined, limits: GateThresholds): ThresholdResult[] {
  const measured = load !== undefined && load.totals.sent > 0;
  const results: ThresholdResult[] = [];
  const p99 = load?.latency.overall.p99;
  results.push({
    id: 'max-p99',
    title: `p99 latency of the load phase ≤ ${ms(limits.maxP99Ms)}`,
    limit: ms(limits.maxP99Ms),
    ...(measured && p99 !== undefined ? { observed: ms(p99) } : {}),
    verdict: !measured || p99 === undefined ? 'unknown' : p99 <= limits.maxP99Ms ? 'pass' : 'fail',
  });
  // Everything that was not the expected answer counts: wrong answers and indeterminate ones (5xx, timeouts, resets).
  const errorRate = measured ? (load.totals.fail + load.totals.indeterminate) / load.totals.sent : undefined;
  results.push({
    id: 'max-error-rate',
    title: `error rate of the load phase (wrong + indeterminate answers) ≤ ${percent(limits.maxErrorRate)}`,
    limit: percent(limits.maxErrorRate),
    ...(errorRate !== undefined ? { observed: percent(errorRate) } : {}),
    verdict: errorRate === undefined ? 'unknown' : errorRate <= limits.maxErrorRate ? 'pass' : 'fail',
  });
  if (limits.minThroughput > 0) {
    const throughput = measured ? load.throughput.overall : undefined;
    results.push({
      id: 'min-throughput',
      title: `throughput of the load phase ≥ ${rate(limits.minThroughput)}`,
      limit: rate(limits.minThroughput),
      ...(throughput !== undefined ? { observed: rate(throughput) } : {}),
      verdict: throughput === undefined ? 'unknown' : throughput >= limits.minThroughput ? 'pass' : 'fail',
    });
  }
  return results;
}

function ms(value: number): string {
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ms`;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

function rate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} req/s`;
}
