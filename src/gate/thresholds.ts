// The gate's thresholds judged on the load phase's result document: p99, error rate, throughput.

import type { GateThresholds } from '../options/gate-options.ts';
import type { ResultDocument, ThresholdResult } from '../result/result-document.ts';

/**
 * Each threshold against the load phase; unknown when the load phase is missing, sent nothing, or got no HTTP answer at
 * all (timeouts, resets, bytes that are not HTTP): then its figures describe a target that is not serving, and the
 * gate's verdict is unknown (exit 3), never a pass or a fail on them.
 */
export function judgeThresholds(load: ResultDocument | undefined, limits: GateThresholds): ThresholdResult[] {
  const answered = load !== undefined && Object.values(load.statuses).some((n) => n > 0);
  const measured = load !== undefined && load.totals.sent > 0 && answered;
  const results: ThresholdResult[] = [];
  const p99 = load?.latency.overall.p99;
  // The generator's own lag went over --max-lag: its latency figures describe stampede as much as the target. Lag only
  // ever adds to a measured latency, so a p99 within the limit is a pass all the same; a p99 over it is a fail only
  // when it stays over once the lag is taken off, and otherwise unknown — never a fail on stampede's own delay.
  const bound = load?.latency.generatorBound;
  const undecidable = bound ? { detail: `undecidable: ${bound.reason}` } : {};
  const lagP99 = load?.latency.lag?.p99 ?? 0;
  const p99Verdict = !measured || p99 === undefined ? 'unknown' : p99 <= limits.maxP99Ms ? 'pass' : !bound || p99 - lagP99 > limits.maxP99Ms ? 'fail' : 'unknown';
  results.push({
    id: 'max-p99',
    title: `p99 latency of the load phase ≤ ${ms(limits.maxP99Ms)}`,
    limit: ms(limits.maxP99Ms),
    ...(measured && p99 !== undefined ? { observed: ms(p99) } : {}),
    verdict: p99Verdict,
    ...(p99Verdict === 'unknown' && bound ? undecidable : {}),
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
      // Too little throughput from a generator that could not keep up says nothing about the target.
      verdict: throughput === undefined ? 'unknown' : throughput >= limits.minThroughput ? 'pass' : bound ? 'unknown' : 'fail',
      ...(bound && throughput !== undefined && throughput < limits.minThroughput ? undecidable : {}),
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
