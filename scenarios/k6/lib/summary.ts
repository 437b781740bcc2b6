// handleSummary for every scenario: a short text summary on stdout and the result document in SUMMARY_OUT.

import type { ResultDocument } from '../../../src/result/result-document.ts';
import { resultDocument, type SummaryContext } from './result.ts';
import type { SummaryData } from './summary-data.ts';

const MAX_THRESHOLD_LINES = 12;

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function pairs(record: Record<string, number>): string {
  const keys = Object.keys(record);
  return keys.length === 0 ? 'none' : keys.map((key) => `${key}: ${record[key]}`).join(' · ');
}

/** The text summary (no colours: it may go to a file or a CI log). */
export function textSummary(document: ResultDocument, lines: string[], summaryOut: string): string {
  const { totals, latency } = document;
  const first = totals.byKind.first?.sent ?? 0;
  const duplicate = totals.byKind.duplicate?.sent ?? 0;
  const out = [
    '',
    `stampede k6 ${String(document.config.scenario)} · RUN_ID ${document.runId} · target ${document.target.url}`,
    `requests    ${totals.sent} sent (first ${first}, duplicate ${duplicate}) · ${document.throughput.overall.toFixed(1)} req/s over ${(document.durationMs / 1000).toFixed(1)} s`,
    `outcomes    ok ${totals.ok} · fail ${totals.fail} · indeterminate ${totals.indeterminate}`,
    `latency     p50 ${ms(latency.overall.p50)} · p90 ${ms(latency.overall.p90)} · p99 ${ms(latency.overall.p99)} · p99.9 ${ms(latency.overall.p999)} · max ${ms(latency.overall.max)} ms`,
    `statuses    ${pairs(document.statuses)}`,
    `errors      ${pairs(document.errors)}`,
    'thresholds',
  ];
  // Many thresholds (a race round each): show the ones that did not pass, and count the rest.
  const thresholds = document.thresholds ?? [];
  const shown = thresholds.length > MAX_THRESHOLD_LINES ? thresholds.filter((t) => t.verdict !== 'pass') : thresholds;
  for (const t of shown) out.push(`  ${t.verdict === 'pass' ? '✓' : t.verdict === 'fail' ? '✗' : '?'} ${t.title}: ${t.limit} (${t.observed ?? 'no data'})`);
  if (shown.length < thresholds.length) out.push(`  ✓ ${thresholds.length - shown.length} more held`);
  for (const line of lines) out.push(line);
  out.push(`verdict     ${document.verdict.toUpperCase()}`);
  for (const reason of document.verdictReasons) out.push(`  - ${reason}`);
  out.push(`result      ${summaryOut}`, '');
  return out.join('\n');
}

/** What handleSummary returns: k6 prints `stdout` and writes every other key as a file. */
export function summaryOutputs(data: SummaryData, context: SummaryContext, endedAt = Date.now()): Record<string, string> {
  const { document, report } = resultDocument(data, context, endedAt);
  return {
    stdout: textSummary(document, report.lines, context.config.summaryOut),
    [context.config.summaryOut]: `${JSON.stringify(document, null, 2)}\n`,
  };
}
