// Reading k6's end-of-test summary object (handleSummary's `data`) and the thresholds every load scenario gates on.

import type { CommonConfig } from './config.ts';
import { METRIC } from './metrics.ts';

/** The part of k6's summary object stampede reads (k6 v1 passes the legacy shape to handleSummary). */
export interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: string;
  /** counter: count, rate; rate: rate, passes, fails; trend: the summaryTrendStats (avg, p(99), count, …). */
  values: Record<string, number>;
  /** By threshold expression as written in options: { 'p(99)<500': { ok: true } }. */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number; isStdOutTTY?: boolean };
  setup_data?: unknown;
  /** Checks of the root group (k6 keeps them by name). */
  root_group?: { checks?: Array<{ name: string; passes: number; fails: number }> };
  options?: { summaryTrendStats?: string[] };
}

/** Trend statistics the summary carries: what the result document's percentiles need. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'];

/** A counter's count (0 when the metric never got a sample). */
export function countOf(data: SummaryData, name: string): number {
  const metric = data.metrics[name];
  return metric === undefined ? 0 : (metric.values.count ?? 0);
}

/** One statistic of a metric, undefined when absent. */
export function statOf(data: SummaryData, name: string, stat: string): number | undefined {
  const value = data.metrics[name]?.values[stat];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export interface ThresholdOutcome {
  metric: string;
  expression: string;
  ok: boolean;
  /** The statistic the expression is about (p(99), rate, count), as measured. */
  observed: number | undefined;
  aggregation: string;
}

/**
 * Thresholds that always hold: they only make k6 keep a tagged sub-metric (a ramp step, a soak window) so that
 * handleSummary can read it. They are not gates and are left out of the result document.
 */
export const OBSERVE_ONLY = { trend: 'max>=0', rate: 'rate>=0' } as const;

export function isObserveOnly(expression: string): boolean {
  return expression === OBSERVE_ONLY.trend || expression === OBSERVE_ONLY.rate;
}

/** Every gating threshold k6 evaluated, with the value it was about. */
export function thresholdOutcomes(data: SummaryData): ThresholdOutcome[] {
  const out: ThresholdOutcome[] = [];
  for (const metric of Object.keys(data.metrics).sort()) {
    const thresholds = data.metrics[metric]!.thresholds;
    if (thresholds === undefined) continue;
    for (const expression of Object.keys(thresholds)) {
      if (isObserveOnly(expression)) continue;
      const aggregation = (/^\s*([a-z]+(\([0-9.]+\))?)/.exec(expression) ?? [])[1] ?? '';
      out.push({ metric, expression, ok: thresholds[expression]!.ok, observed: statOf(data, metric, aggregation), aggregation });
    }
  }
  return out;
}

/** A statistic for people: ms for time trends, % for rates, plain counts. */
export function formatStat(data: SummaryData, metric: string, aggregation: string, value: number | undefined): string {
  if (value === undefined) return 'no data';
  const type = data.metrics[metric]?.type;
  if (type === 'rate') return `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`;
  if (type === 'trend' && aggregation !== 'count') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  return String(Math.round(value * 100) / 100);
}

/** The gates of a load scenario: p99, unexpected answers, no second acknowledgement, no definite wrong answer. */
export function gateThresholds(config: CommonConfig): Record<string, string[]> {
  return {
    http_req_duration: [`p(99)<${config.p99Ms}`],
    http_req_failed: [`rate<${config.maxErrorRate}`],
    [METRIC.duplicateAcknowledged]: ['count==0'],
    [METRIC.wrongAnswers]: ['count==0'],
  };
}
