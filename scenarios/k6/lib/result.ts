// The stampede result document from k6's summary, as far as aggregates allow: totals, latency, statuses, thresholds.
//
// Per-ID invariants (U1–U4) need every request's ID and answer: they stay `unknown` here and `stampede merge` judges
// them from the --out json file(s). The verdict comes from the thresholds (k6's own and the scenario's).

// The document's types come from src/ by a type-only import: k6 erases it with the other types, so nothing of src/
// is loaded at run time, while tsc checks what handleSummary writes against the one ResultDocument shape.
import type { InvariantResult, OutcomeCounts, Percentiles, ResultDocument, ThresholdResult } from '../../../src/result/result-document.ts';
import type { CommonConfig, RunData } from './config.ts';
import { redactUrl } from './config.ts';
import { runKey } from './ids.ts';
import { COUNTED_STATUSES, ERROR_KINDS, errorMetric, outcomeMetric, statusMetric, type Attempt } from './metrics.ts';
import { countOf, formatStat, statOf, thresholdOutcomes, type SummaryData } from './summary-data.ts';

export type { ThresholdResult };

/** stampede's version (package.json), written into every document. */
export const TOOL_VERSION = '0.1.0';

export const INVARIANT_DETAIL = 'per-ID invariants need the --out json file: run `stampede merge`';

/** What a scenario adds to the summary: its own judgments (knee, drift, rounds) and lines for the text summary. */
export interface ScenarioReport {
  thresholds: ThresholdResult[];
  lines: string[];
}

export interface SummaryContext {
  scenario: string;
  config: CommonConfig;
  /** The resolved configuration for the document (describeConfig: common settings plus the scenario's own). */
  settings: Record<string, unknown>;
  /** open: arrival-rate executors (requests start on schedule); closed: VUs wait for their answers. */
  model: 'open' | 'closed';
  report?: (data: SummaryData) => ScenarioReport;
}

const TITLES: Record<string, string> = {
  http_req_duration: 'latency',
  http_req_failed: 'share of unexpected answers (neither 201 nor the conflict status)',
  stampede_duplicate_acknowledged: '2xx answers to planned duplicates (U1 as one instance sees it)',
  stampede_wrong_answers: 'definite wrong answers',
  stampede_race_successes: '2xx answers per race round',
  checks: 'checks passed',
};

/** k6's evaluated thresholds as result-document entries. */
export function k6Thresholds(data: SummaryData): ThresholdResult[] {
  return thresholdOutcomes(data).map((t) => {
    const base = t.metric.replace(/\{.*$/, '');
    const sub = t.metric.length > base.length ? ` ${t.metric.slice(base.length)}` : '';
    return {
      id: `${t.metric} ${t.expression}`,
      title: `${TITLES[base] ?? base}${sub}`,
      limit: t.expression,
      observed: `${t.aggregation}=${formatStat(data, t.metric, t.aggregation, t.observed)}`,
      verdict: t.ok ? 'pass' : 'fail',
    };
  });
}

function outcomeCounts(data: SummaryData, attempt: Attempt): OutcomeCounts {
  const ok = countOf(data, outcomeMetric(attempt, 'ok'));
  const fail = countOf(data, outcomeMetric(attempt, 'fail'));
  const indeterminate = countOf(data, outcomeMetric(attempt, 'indeterminate'));
  return { sent: ok + fail + indeterminate, ok, fail, indeterminate };
}

function percentiles(data: SummaryData): Percentiles {
  const stat = (name: string) => Math.max(0, statOf(data, 'http_req_duration', name) ?? 0);
  return {
    count: Math.round(stat('count')),
    mean: stat('avg'),
    p50: stat('p(50)'),
    p90: stat('p(90)'),
    p99: stat('p(99)'),
    p999: stat('p(99.9)'),
    max: stat('max'),
  };
}

/** The run data setup() returned (k6 hands it to handleSummary as setup_data). */
export function runDataOf(data: SummaryData, config: CommonConfig): RunData {
  const setup = data.setup_data as Partial<RunData> | undefined;
  return {
    runId: typeof setup?.runId === 'string' && setup.runId !== '' ? setup.runId : (config.runId ?? 'unknown'),
    startedAt: typeof setup?.startedAt === 'number' ? setup.startedAt : Date.now() - (data.state?.testRunDurationMs ?? 0),
  };
}

/** The document (a plain object matching src/result/result-schema.ts) and the scenario's report. */
export function resultDocument(data: SummaryData, context: SummaryContext, endedAt: number): { document: ResultDocument; report: ScenarioReport } {
  const { config } = context;
  const run = runDataOf(data, config);
  const durationMs = Math.max(0, data.state?.testRunDurationMs ?? endedAt - run.startedAt);
  const first = outcomeCounts(data, 'first');
  const duplicate = outcomeCounts(data, 'duplicate');
  const byKind: ResultDocument['totals']['byKind'] = {};
  if (first.sent > 0) byKind.first = first;
  if (duplicate.sent > 0) byKind.duplicate = duplicate;
  const totals = {
    sent: first.sent + duplicate.sent,
    ok: first.ok + duplicate.ok,
    fail: first.fail + duplicate.fail,
    indeterminate: first.indeterminate + duplicate.indeterminate,
    byKind,
  };
  const statuses: Record<string, number> = {};
  for (const status of COUNTED_STATUSES.concat([config.conflictStatus])) {
    const count = countOf(data, statusMetric(status));
    if (count > 0) statuses[String(status)] = count;
  }
  const errors: Record<string, number> = {};
  for (const kind of ERROR_KINDS) {
    const count = countOf(data, errorMetric(kind));
    if (count > 0) errors[kind] = count;
  }
  const report = context.report?.(data) ?? { thresholds: [], lines: [] };
  const thresholds = k6Thresholds(data).concat(report.thresholds);
  const reasons: string[] = [];
  for (const t of thresholds) if (t.verdict === 'fail') reasons.push(`threshold failed: ${t.title}: ${t.limit} (${t.observed ?? 'no data'})`);
  const otherStatuses = countOf(data, statusMetric('other'));
  if (otherStatuses > 0) reasons.push(`${otherStatuses} answer(s) with statuses not counted one by one (see the --out json file)`);
  if (first.fail > 0 && countOf(data, 'stampede_first_conflict') > 0) {
    reasons.push(`${countOf(data, 'stampede_first_conflict')} first attempt(s) answered ${config.conflictStatus}: a false conflict, or a RUN_ID reused against a target that kept its IDs`);
  }
  let verdict: ResultDocument['verdict'] = thresholds.some((t) => t.verdict === 'fail') ? 'fail' : 'pass';
  if (totals.sent === 0 && verdict === 'pass') {
    verdict = 'unknown';
    reasons.push('nothing was sent: no verdict is possible');
  }
  reasons.push(`U1–U4 not judged by one k6 instance: ${INVARIANT_DETAIL} over the --out json file(s) of every instance`);
  const invariants: InvariantResult[] = (['U1', 'U2', 'U3', 'U4'] as const).map((id, i) => ({
    id,
    title: ['uniqueness', 'no false conflict', 'durability', 'traceable conflicts'][i]!,
    verdict: 'unknown',
    checked: 0,
    violations: 0,
    examples: [],
    detail: INVARIANT_DETAIL,
  }));
  const document: ResultDocument = {
    schemaVersion: 1,
    tool: { name: 'stampede', version: TOOL_VERSION },
    engine: 'k6',
    runId: run.runId,
    // k6 runs are replayed by RUN_ID; the seed recorded is the first word of its key.
    seed: runKey(run.runId)[0],
    target: { url: redactUrl(config.targetUrl), embedded: false },
    config: { scenario: context.scenario, runId: run.runId, ...context.settings },
    startedAt: new Date(endedAt - durationMs).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs,
    partial: false,
    totals,
    throughput: { overall: durationMs > 0 ? totals.sent / (durationMs / 1000) : 0, durationMs, perSecond: [] },
    latency: { overall: percentiles(data), byOutcome: {}, model: context.model },
    statuses,
    errors,
    invariants,
    thresholds,
    verdict,
    verdictReasons: reasons,
  };
  return { document, report };
}
