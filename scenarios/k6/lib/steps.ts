// Ramp steps (STAGES, or START_RATE…END_RATE by STEP) and how to find the knee: the last step whose p99 and errors held.

import type { Stage } from 'k6/options';
import { K6_SCENARIO_DEFAULTS as D } from './defaults.ts';
import { EnvError, duration, envValue, parseDuration, positiveInt } from './env.ts';
import { statOf, type SummaryData } from './summary-data.ts';

export interface Step {
  rate: number; // req/s
  holdMs: number; // ms
  hold: string; // as k6 takes it
}

/** Each step is reached by a short linear ramp, then held: the step's figures include its ramp. */
export const STEP_RAMP = { text: '1s', ms: 1000 } as const;

/** STAGES="50:30s,100:30s,200:1m", or START_RATE, END_RATE, STEP and STEP_DURATION. */
export function rampSteps(): Step[] {
  const stages = envValue('STAGES');
  const maxSteps = Math.floor(D.maxSeries / 2);
  let steps: Step[];
  if (stages !== undefined) {
    steps = stages.split(',').map((part) => {
      const match = /^\s*([0-9]+)\s*:\s*(\S+)\s*$/.exec(part);
      const holdMs = match === null ? undefined : parseDuration(match[2]!);
      if (match === null || holdMs === undefined || holdMs <= 0 || Number(match[1]) < 1) {
        throw new EnvError('STAGES', 'a comma-separated list of <rate per second>:<duration> steps', stages, '50:30s,100:30s,200:1m');
      }
      return { rate: Number(match[1]), holdMs, hold: match[2]! };
    });
  } else {
    const start = positiveInt('START_RATE', D.ramp.startRate, 'requests per second of the first step', '50');
    const end = positiveInt('END_RATE', Math.max(start, D.ramp.endRate), 'requests per second of the last step', '500');
    const step = positiveInt('STEP', D.ramp.step, 'requests per second added by each step', '50');
    const hold = duration('STEP_DURATION', D.ramp.stepDuration, '30s');
    if (end < start) throw new EnvError('END_RATE', `at least START_RATE (${start})`, String(end), String(start));
    steps = [];
    for (let rate = start; rate <= end && steps.length <= maxSteps; rate += step) steps.push({ rate, holdMs: hold.ms, hold: hold.text });
  }
  if (steps.length > maxSteps) throw new EnvError(stages === undefined ? 'STEP' : 'STAGES', `at most ${maxSteps} steps (each is a tagged sub-metric)`, stages ?? String(steps.length), stages === undefined ? '100' : '50:30s,100:30s');
  return steps;
}

/** The ramping-arrival-rate stages: per step a 1 s ramp to its rate, then the hold. */
export function k6Stages(steps: Step[]): Stage[] {
  const out: Stage[] = [];
  for (const step of steps) out.push({ target: step.rate, duration: STEP_RAMP.text }, { target: step.rate, duration: step.hold });
  return out;
}

/** When each step ends, in ms since the scenario started. */
export function stepEnds(steps: Step[]): number[] {
  const ends: number[] = [];
  let at = 0;
  for (const step of steps) ends.push((at += STEP_RAMP.ms + step.holdMs));
  return ends;
}

export interface StepResult {
  index: number;
  rate: number;
  count: number;
  p99: number | undefined; // ms
  errorRate: number | undefined; // 0..1
  held: boolean;
}

export const stepMetric = (metric: string, index: number) => `${metric}{step:${index}}`;

/** Per step: did p99 and the error share stay under the gates? */
export function stepResults(data: SummaryData, steps: Step[], p99Ms: number, maxErrorRate: number): StepResult[] {
  return steps.map((step, index) => {
    const count = statOf(data, stepMetric('http_req_duration', index), 'count') ?? 0;
    const p99 = statOf(data, stepMetric('http_req_duration', index), 'p(99)');
    const errorRate = statOf(data, stepMetric('http_req_failed', index), 'rate');
    const held = count > 0 && p99 !== undefined && p99 < p99Ms && (errorRate ?? 0) < maxErrorRate;
    return { index, rate: step.rate, count, p99, errorRate, held };
  });
}

/** The knee: the last step that held before the first that did not (undefined when the first step already broke). */
export function lastHeld(results: StepResult[]): StepResult | undefined {
  let last: StepResult | undefined;
  for (const result of results) {
    if (!result.held) break;
    last = result;
  }
  return last;
}
