// ramp: a ramping arrival rate in steps, to find the knee: the last rate whose p99 and error share held the gates.
//
//   k6 run -e TARGET_URL=http://127.0.0.1:8080 -e START_RATE=50 -e END_RATE=500 -e STEP=50 -e STEP_DURATION=30s scenarios/k6/ramp.ts
//
// Correctness gates (no wrong answer, no second acknowledgement) always hold k6's exit code; latency and errors only
// up to REQUIRED_RATE (steps above it are measured, to find the knee, without failing the run).

import type { Options } from 'k6/options';
import { describeConfig, setupRun, type RunData } from './lib/config.ts';
import { K6_SCENARIO_DEFAULTS as D } from './lib/defaults.ts';
import { wholeNumber } from './lib/env.ts';
import { baseOptions, createLoadScenario, periodAt, vuLimits } from './lib/load-scenario.ts';
import { METRIC } from './lib/metrics.ts';
import type { ScenarioReport } from './lib/result.ts';
import { k6Stages, lastHeld, rampSteps, stepEnds, stepMetric, stepResults } from './lib/steps.ts';
import { OBSERVE_ONLY, type SummaryData } from './lib/summary-data.ts';
import { summaryOutputs } from './lib/summary.ts';

const steps = rampSteps();
const requiredRate = wholeNumber('REQUIRED_RATE', 0, 'requests per second every step up to which must hold; 0: none', '200');
const { vus, maxVus } = vuLimits(D.ramp);
const peak = Math.max(...steps.map((step) => step.rate));
const load = createLoadScenario(peak);
const ends = stepEnds(steps);

function thresholds(): Record<string, string[]> {
  const { p99Ms, maxErrorRate } = load.config;
  const out: Record<string, string[]> = { [METRIC.duplicateAcknowledged]: ['count==0'], [METRIC.wrongAnswers]: ['count==0'] };
  steps.forEach((step, index) => {
    const gated = step.rate <= requiredRate;
    out[stepMetric('http_req_duration', index)] = [gated ? `p(99)<${p99Ms}` : OBSERVE_ONLY.trend];
    out[stepMetric('http_req_failed', index)] = [gated ? `rate<${maxErrorRate}` : OBSERVE_ONLY.rate];
  });
  return out;
}

export const options: Options = baseOptions(load.config, thresholds(), {
  ramp: { executor: 'ramping-arrival-rate', startRate: steps[0]!.rate, timeUnit: '1s', stages: k6Stages(steps), preAllocatedVUs: vus, maxVUs: maxVus },
});

export function setup(): RunData {
  return setupRun(load.config, 'ramp');
}

export default function (data: RunData): void {
  load.iterate(data, { step: String(periodAt(ends)) });
}

function report(data: SummaryData): ScenarioReport {
  const { p99Ms, maxErrorRate } = load.config;
  const results = stepResults(data, steps, p99Ms, maxErrorRate);
  const knee = lastHeld(results);
  const lines = ['ramp steps (held: p99 < ' + p99Ms + ' ms and errors < ' + (maxErrorRate * 100).toFixed(2) + '%)'];
  for (const r of results) {
    const p99 = r.p99 === undefined ? 'no data' : `${r.p99.toFixed(1)} ms`;
    const errors = r.errorRate === undefined ? 'no data' : `${(r.errorRate * 100).toFixed(2)}%`;
    lines.push(`  step ${r.index} · ${r.rate} req/s · ${r.count} requests · p99 ${p99} · errors ${errors} · ${r.held ? 'held' : 'broke'}`);
  }
  lines.push(`knee        last rate that held: ${knee === undefined ? 'none (the first step already broke)' : `${knee.rate} req/s (step ${knee.index})`}`);
  return {
    lines,
    thresholds: [{
      id: 'ramp-last-rate-held',
      title: `last ramp rate that held p99 < ${p99Ms} ms and errors < ${maxErrorRate * 100}%`,
      limit: requiredRate > 0 ? `≥ ${requiredRate} req/s` : 'none (measured only)',
      observed: knee === undefined ? 'none' : `${knee.rate} req/s`,
      verdict: requiredRate > 0 && (knee === undefined || knee.rate < requiredRate) ? 'fail' : 'pass',
    }],
  };
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, {
    scenario: 'ramp',
    config: load.config,
    settings: describeConfig(load.config, { steps, requiredRate, vus, maxVus, dupMinGap: load.plan.minGap }),
    model: 'open',
    report,
  });
}
