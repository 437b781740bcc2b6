// What the arrival-rate scenarios (throughput, ramp, soak) share: init-time setup and one iteration = one request.

import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { commonConfig, keyOf, type CommonConfig, type RunData } from './config.ts';
import { K6_SCENARIO_DEFAULTS as D } from './defaults.ts';
import { EnvError, positiveInt } from './env.ts';
import { createRecorder } from './metrics.ts';
import { bodyFor, expectedAnswers, FirstAttempts, planIteration, sendRegistration, type DupPlan, type Sender } from './register.ts';
import { SUMMARY_TREND_STATS } from './summary-data.ts';
import { loadTemplates, type Template } from './templates.ts';

export interface LoadScenario {
  config: CommonConfig;
  templates: Template[];
  sender: Sender;
  plan: DupPlan;
  /** One iteration: the planned attempt of exec.scenario.iterationInTest, sent with these extra tags. */
  iterate(data: RunData, tags?: Record<string, string>): void;
}

/** A planned duplicate repeats an ID sent at least ~dupMinGapMs earlier at the peak rate (it should not overtake it). */
export function minGapFor(peakRate: number): number {
  return Math.max(1, Math.ceil((peakRate * D.dupMinGapMs) / 1000));
}

/** VUS / MAX_VUS with their defaults and the rule that MAX_VUS ≥ VUS. */
export function vuLimits(defaults: { vus: number; maxVus: number }): { vus: number; maxVus: number } {
  const vus = positiveInt('VUS', defaults.vus, 'VUs allocated before the start', '50');
  const maxVus = positiveInt('MAX_VUS', Math.max(vus, defaults.maxVus), 'most VUs k6 may start to keep up the rate', '500');
  if (maxVus < vus) throw new EnvError('MAX_VUS', `at least VUS (${vus})`, String(maxVus), String(vus));
  return { vus, maxVus };
}

/** Call at init: reads the common -e variables, the corpus, creates the metrics and the response callback. */
export function createLoadScenario(peakRate: number): LoadScenario {
  const config = commonConfig();
  const templates = loadTemplates(config.corpus);
  const plan: DupPlan = { ratio: config.dupRatio, minGap: minGapFor(peakRate), window: D.dupWindow };
  const firsts = new FirstAttempts(plan.minGap + plan.window);
  const sender: Sender = { config, record: createRecorder(config.conflictStatus), judging: 'sequential', firsts };
  expectedAnswers(config);
  return {
    config,
    templates,
    sender,
    plan,
    iterate(data, tags) {
      const key = keyOf(data);
      const { n, attempt } = planIteration(key, plan, exec.scenario.iterationInTest);
      const { profileId, body } = bodyFor(key, templates, n);
      sendRegistration(sender, { profileId, body, attempt, ...(tags === undefined ? {} : { tags }) });
    },
  };
}

/**
 * The system tags k6 puts on samples: only what `stampede merge` reads (status; error_code says why a request got no
 * answer) and `check` (names the checks). k6's default set (method, url, name, proto, scenario, group,
 * expected_response, …) is on each of the ~9 samples of every request; our own tags (name, step, window, round) stay.
 * k6's `--system-tags` on the command line overrides this.
 */
export const SYSTEM_TAGS = ['status', 'error_code', 'check'];

/** Options every load scenario starts from: TLS as configured, the trend statistics the result document needs, few tags. */
export function baseOptions(config: CommonConfig, thresholds: Record<string, string[]>, scenarios: Options['scenarios']): Options {
  return { insecureSkipTLSVerify: config.insecure, summaryTrendStats: SUMMARY_TREND_STATS, systemTags: SYSTEM_TAGS, thresholds, scenarios };
}

/** Which period of the scenario `now` falls in, given the periods' ends (ms since the scenario started). */
export function periodAt(ends: readonly number[], now: number = Date.now()): number {
  const elapsed = now - exec.scenario.startTime;
  for (let i = 0; i < ends.length; i++) if (elapsed < ends[i]!) return i;
  return ends.length - 1;
}
