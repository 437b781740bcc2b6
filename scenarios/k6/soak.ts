// soak: a long, moderate constant arrival rate, watching p99 and errors drift window by window.
//
//   k6 run -e TARGET_URL=http://127.0.0.1:8080 -e RATE=50 -e DURATION=30m -e WINDOW=5m scenarios/k6/soak.ts
//
// Every window must keep its error share under MAX_ERROR_RATE (a k6 threshold); the p99 drift (last window / first)
// over MAX_DRIFT fails the result document's verdict (k6 thresholds cannot compare two windows).

import type { Options } from 'k6/options';
import { describeConfig, setupRun, type RunData } from './lib/config.ts';
import { K6_SCENARIO_DEFAULTS as D } from './lib/defaults.ts';
import { EnvError, duration, positiveInt, positiveNumber } from './lib/env.ts';
import { baseOptions, createLoadScenario, periodAt, vuLimits } from './lib/load-scenario.ts';
import type { ScenarioReport, ThresholdResult } from './lib/result.ts';
import { gateThresholds, OBSERVE_ONLY, statOf, type SummaryData } from './lib/summary-data.ts';
import { summaryOutputs } from './lib/summary.ts';

const rate = positiveInt('RATE', D.soak.rate, 'requests per second', '50');
const length = duration('DURATION', D.soak.duration, '1h');
const window = duration('WINDOW', D.soak.window, '5m');
const maxDrift = positiveNumber('MAX_DRIFT', D.soak.maxDrift, 'largest allowed ratio of the last window p99 to the first', '1.5');
const { vus, maxVus } = vuLimits(D.soak);
const windows = Math.ceil(length.ms / window.ms);
if (windows > D.maxSeries / 2) throw new EnvError('WINDOW', `at least DURATION / ${D.maxSeries / 2} (each window is a tagged sub-metric)`, window.text, '5m');
const ends = Array.from({ length: windows }, (_, i) => Math.min(length.ms, (i + 1) * window.ms));
const load = createLoadScenario(rate);

const windowMetric = (metric: string, index: number) => `${metric}{window:${index}}`;

function thresholds(): Record<string, string[]> {
  const out = gateThresholds(load.config);
  for (let i = 0; i < windows; i++) {
    out[windowMetric('http_req_duration', i)] = [OBSERVE_ONLY.trend];
    out[windowMetric('http_req_failed', i)] = [`rate<${load.config.maxErrorRate}`];
  }
  return out;
}

export const options: Options = baseOptions(load.config, thresholds(), {
  soak: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: length.text, preAllocatedVUs: vus, maxVUs: maxVus },
});

export function setup(): RunData {
  return setupRun(load.config, 'soak');
}

export default function (data: RunData): void {
  load.iterate(data, { window: String(periodAt(ends)) });
}

function report(data: SummaryData): ScenarioReport {
  const lines = [`soak windows (${window.text} each)`];
  const measured: Array<{ index: number; p99: number }> = [];
  for (let i = 0; i < windows; i++) {
    const count = statOf(data, windowMetric('http_req_duration', i), 'count') ?? 0;
    const p99 = statOf(data, windowMetric('http_req_duration', i), 'p(99)');
    const errors = statOf(data, windowMetric('http_req_failed', i), 'rate');
    if (count > 0 && p99 !== undefined) measured.push({ index: i, p99 });
    const p99Text = p99 === undefined || count === 0 ? 'no data' : `${p99.toFixed(1)} ms`;
    lines.push(`  window ${i} · ${count} requests · p99 ${p99Text} · errors ${errors === undefined ? 'no data' : `${(errors * 100).toFixed(2)}%`}`);
  }
  const drift: ThresholdResult = { id: 'soak-p99-drift', title: 'p99 drift: last window p99 / first window p99', limit: `≤ ${maxDrift}`, verdict: 'unknown' };
  if (measured.length >= 2) {
    const first = measured[0]!;
    const last = measured[measured.length - 1]!;
    const ratio = first.p99 > 0 ? last.p99 / first.p99 : last.p99 > 0 ? Infinity : 1;
    drift.observed = `${ratio.toFixed(2)} (window ${first.index}: ${first.p99.toFixed(1)} ms → window ${last.index}: ${last.p99.toFixed(1)} ms)`;
    drift.verdict = ratio <= maxDrift ? 'pass' : 'fail';
  } else {
    drift.observed = 'fewer than two windows with data';
  }
  lines.push(`drift       ${drift.observed}`);
  return { lines, thresholds: [drift] };
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, {
    scenario: 'soak',
    config: load.config,
    settings: describeConfig(load.config, { rate, duration: length.text, window: window.text, maxDrift, vus, maxVus, dupMinGap: load.plan.minGap }),
    model: 'open',
    report,
  });
}
