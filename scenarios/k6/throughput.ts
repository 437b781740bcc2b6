// throughput: a constant arrival rate (RATE for DURATION) of unique registrations plus DUP_RATIO planned duplicates.
//
//   k6 run -e TARGET_URL=http://127.0.0.1:8080 -e RATE=200 -e DURATION=1m scenarios/k6/throughput.ts

import type { Options } from 'k6/options';
import { describeConfig, setupRun, type RunData } from './lib/config.ts';
import { K6_SCENARIO_DEFAULTS as D } from './lib/defaults.ts';
import { duration, positiveInt } from './lib/env.ts';
import { baseOptions, createLoadScenario, vuLimits } from './lib/load-scenario.ts';
import { gateThresholds, type SummaryData } from './lib/summary-data.ts';
import { summaryOutputs } from './lib/summary.ts';

const rate = positiveInt('RATE', D.throughput.rate, 'requests per second', '200');
const length = duration('DURATION', D.throughput.duration, '1m');
const { vus, maxVus } = vuLimits(D.throughput);
const load = createLoadScenario(rate);

export const options: Options = baseOptions(load.config, gateThresholds(load.config), {
  throughput: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: length.text, preAllocatedVUs: vus, maxVUs: maxVus },
});

export function setup(): RunData {
  return setupRun(load.config, 'throughput');
}

export default function (data: RunData): void {
  load.iterate(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, {
    scenario: 'throughput',
    config: load.config,
    settings: describeConfig(load.config, { rate, duration: length.text, vus, maxVus, dupMinGap: load.plan.minGap }),
    model: 'open',
  });
}
