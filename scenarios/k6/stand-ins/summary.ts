// The end-of-test summary object k6 hands to handleSummary, rebuilt from the stand-ins' samples (tests only).
//
// Same shape as k6 v1's legacy summary data: metrics with values per sink type (counter: count, rate; rate: rate,
// passes, fails; trend: the summaryTrendStats) and, where options define them, thresholds evaluated to { ok }.
// Sub-metrics ("name{tag:value}") exist when a threshold names them, like in k6.

import type { SummaryData, SummaryMetric } from '../lib/summary-data.ts';
import type { Sample, StandInState } from './state.ts';

/** k6's trend percentile: linear interpolation between the closest ranks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  if (sorted.length === 1) return sorted[0]!;
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

function trendStat(sorted: number[], stat: string): number {
  if (stat === 'count') return sorted.length;
  if (sorted.length === 0) return 0;
  if (stat === 'avg') return sorted.reduce((a, b) => a + b, 0) / sorted.length;
  if (stat === 'min') return sorted[0]!;
  if (stat === 'max') return sorted[sorted.length - 1]!;
  if (stat === 'med') return percentile(sorted, 0.5);
  const match = /^p\(([0-9.]+)\)$/.exec(stat);
  if (match === null) throw new Error(`unknown trend stat ${stat}`);
  return percentile(sorted, Number(match[1]) / 100);
}

function values(samples: Sample[], type: Sample['type'], trendStats: string[], durationMs: number): Record<string, number> {
  const numbers = samples.map((s) => s.value);
  if (type === 'counter') {
    const count = numbers.reduce((a, b) => a + b, 0);
    return { count, rate: durationMs > 0 ? count / (durationMs / 1000) : 0 };
  }
  if (type === 'rate') {
    const passes = numbers.filter((v) => v !== 0).length;
    return { rate: numbers.length === 0 ? 0 : passes / numbers.length, passes, fails: numbers.length - passes };
  }
  if (type === 'gauge') {
    const last = numbers.length === 0 ? 0 : numbers[numbers.length - 1]!;
    return { value: last, min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  for (const stat of trendStats) out[stat] = trendStat(sorted, stat);
  return out;
}

/** "name{tag:value,other:x}" → the parent metric and its tag filter. */
export function parseMetricKey(key: string): { name: string; filter: Record<string, string> } {
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
  if (match === null) throw new Error(`bad metric key ${key}`);
  const filter: Record<string, string> = {};
  for (const part of (match[2] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const [tag, ...value] = part.split(':');
    filter[tag!.trim()] = value.join(':').trim();
  }
  return { name: match[1]!.trim(), filter };
}

/** Evaluate "p(99)<500", "rate<0.01", "count==0", "count<=1" against a metric's values. */
export function evaluateThreshold(expression: string, metricValues: Record<string, number>): boolean {
  const match = /^\s*([a-z]+(?:\([0-9.]+\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?[0-9.]+)\s*$/.exec(expression);
  if (match === null) throw new Error(`threshold expression not understood: ${expression}`);
  const [, aggregation, op, limitText] = match;
  const value = metricValues[aggregation!];
  if (value === undefined) throw new Error(`threshold ${expression}: the metric has no ${aggregation}`);
  const limit = Number(limitText);
  switch (op) {
    case '<': return value < limit;
    case '<=': return value <= limit;
    case '>': return value > limit;
    case '>=': return value >= limit;
    case '!=': return value !== limit;
    default: return value === limit;
  }
}

export interface SummaryInput {
  thresholds?: Record<string, string[]>;
  summaryTrendStats?: string[];
}

/** The summary object of everything recorded so far. */
export function buildSummary(state: StandInState, options: SummaryInput, setupData: unknown, durationMs: number): SummaryData {
  const trendStats = options.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  const byName = new Map<string, Sample[]>();
  for (const sample of state.samples) {
    const list = byName.get(sample.metric) ?? [];
    list.push(sample);
    byName.set(sample.metric, list);
  }
  const metrics: Record<string, SummaryMetric> = {};
  for (const [name, samples] of byName) {
    const type = samples[0]!.type;
    metrics[name] = { type, contains: type === 'trend' ? 'time' : 'default', values: values(samples, type, trendStats, durationMs) };
  }
  for (const key of Object.keys(options.thresholds ?? {})) {
    const { name, filter } = parseMetricKey(key);
    const parent = byName.get(name) ?? [];
    const samples = parent.filter((s) => Object.keys(filter).every((tag) => s.tags[tag] === filter[tag]));
    if (samples.length === 0) continue; // k6 only reports observed metrics
    const type = samples[0]!.type;
    const metric = metrics[key] ?? { type, contains: type === 'trend' ? 'time' : 'default', values: values(samples, type, trendStats, durationMs) };
    metric.thresholds = {};
    for (const expression of options.thresholds![key]!) metric.thresholds[expression] = { ok: evaluateThreshold(expression, metric.values) };
    metrics[key] = metric;
  }
  const checks = new Map<string, { name: string; passes: number; fails: number }>();
  for (const c of state.checks) {
    const entry = checks.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
    if (c.passed) entry.passes += 1;
    else entry.fails += 1;
    checks.set(c.name, entry);
  }
  return {
    metrics,
    state: { testRunDurationMs: durationMs, isStdOutTTY: false },
    setup_data: setupData,
    options: { summaryTrendStats: trendStats },
    root_group: { checks: [...checks.values()] },
  };
}

/** The thresholds that failed, as "metric expression" lines (what makes k6 exit 99). */
export function failedThresholds(summary: SummaryData): string[] {
  const out: string[] = [];
  for (const [metric, data] of Object.entries(summary.metrics)) {
    for (const [expression, result] of Object.entries(data.thresholds ?? {})) if (!result.ok) out.push(`${metric} ${expression}`);
  }
  return out;
}
