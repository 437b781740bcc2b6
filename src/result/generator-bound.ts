// Whether a run measured itself: the generator's own lag over --max-lag marks its latency figures as generator-bound.

import type { MaxLag } from '../options/lag-options.ts';
import type { GeneratorBound, LagSummary } from './result-document.ts';

/** The lag at the percentile --max-lag names (the summary keeps p50, p90, p99 and p99.9). */
function lagAt(lag: LagSummary, percentile: 50 | 90 | 99 | 99.9): number {
  return percentile === 50 ? lag.p50 : percentile === 90 ? lag.p90 : percentile === 99 ? lag.p99 : lag.p999;
}

/**
 * The verdict on the generator itself: undefined when no lag was measured, --max-lag is off, or the lag is within it.
 * `model` shapes the advice: the open model's lag is its rate against one thread, the closed model's its event loop.
 */
export function judgeGeneratorLag(lag: LagSummary | undefined, maxLag: MaxLag, model: 'closed' | 'open'): GeneratorBound | undefined {
  if (lag === undefined || lag.count === 0 || maxLag.off) return undefined;
  const observed = lagAt(lag, maxLag.percentile);
  if (observed <= maxLag.limitMs) return undefined;
  const share = `${(lag.lateShare * 100).toFixed(lag.lateShare < 0.01 ? 2 : 1)}%`;
  const fix =
    model === 'open'
      ? 'lower --rate, split it with --workers, or run stampede on another machine (several with stampede k6 and merge)'
      : 'use fewer --connections, --workers to use more cores, or another machine';
  return {
    limit: maxLag.text,
    observed,
    lateShare: lag.lateShare,
    reason:
      `generator-bound: stampede's own lag p${maxLag.percentile === 99.9 ? '99.9' : maxLag.percentile} was ${Number(observed.toPrecision(3))} ms (limit ${maxLag.text}), ` +
      `${share} of requests left more than ${lag.lateAfterMs} ms late; the latency figures describe stampede, not the target: ${fix}`,
  };
}
