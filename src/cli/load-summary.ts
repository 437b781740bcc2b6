// The short human summary of a result document, printed at the end of `stampede load`.

import type { OutcomeCounts, Percentiles, ResultDocument } from '../result/result-document.ts';

const n = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

export function formatLoadSummary(doc: ResultDocument, resultPath: string | undefined): string {
  const config = doc.config as { model?: { kind: string; connections?: number; rate?: number; maxConnections?: number } };
  const model = config.model;
  const shape =
    model?.kind === 'open' ? `open model, ${n(model.rate ?? 0)} req/s (up to ${n(model.maxConnections ?? 0)} connections)` : `closed model, ${n(model?.connections ?? 0)} connections`;
  const lines = [
    `stampede load: ${shape}, seed ${doc.seed}, target ${doc.target.url}${doc.target.embedded ? ' (embedded reference service' + (doc.target.faults?.length ? `, faults ${doc.target.faults.join(' ')}` : '') + ')' : ''}${doc.partial ? ' — PARTIAL (interrupted)' : ''}`,
    `  sent ${counts(doc.totals)}  (first attempts ${n(doc.totals.byKind.first?.sent ?? 0)}, duplicates ${n(doc.totals.byKind.duplicate?.sent ?? 0)}${doc.totals.byKind.probe ? `, probes ${n(doc.totals.byKind.probe.sent)}` : ''})`,
    `  throughput ${n(doc.throughput.overall)} req/s over ${(doc.throughput.durationMs / 1000).toFixed(1)} s of load · latency ${doc.latency.model === 'open' ? 'from intended start' : 'per request'}: ${latency(doc.latency.overall)}`,
    ...lagLines(doc),
    `  statuses ${Object.entries(doc.statuses).map(([status, count]) => `${status}: ${n(count)}`).join(' · ') || 'none'}${Object.keys(doc.errors).length ? ` · errors ${Object.entries(doc.errors).map(([kind, count]) => `${kind}: ${n(count)}`).join(' · ')}` : ''}`,
  ];
  for (const invariant of doc.invariants) {
    const head = `  ${invariant.id} ${invariant.title}`;
    lines.push(`${head} ${'.'.repeat(Math.max(2, 58 - head.length))} ${invariant.verdict.toUpperCase()}${invariant.violations ? ` (${n(invariant.violations)} violation${invariant.violations === 1 ? '' : 's'})` : ''}`);
    for (const example of invariant.examples.slice(0, 2)) lines.push(`      e.g. ${example.id}: ${example.note}`);
  }
  if (doc.probe) {
    lines.push(`  durability probe: ${n(doc.probe.probed)} of ${n(doc.probe.acknowledged)} acknowledged IDs re-submitted, ${n(doc.probe.lostWrites)} lost${doc.probe.detects ? ` (detects a ${(doc.probe.detects.lossRate * 100).toFixed(2)}% loss with ${(doc.probe.detects.confidence * 100).toFixed(1)}% confidence)` : ''}`);
  }
  lines.push(`verdict: ${doc.verdict.toUpperCase()}${doc.verdictReasons.length ? ` — ${doc.verdictReasons.join('; ')}` : ''}`);
  if (resultPath) lines.push(`result: ${resultPath}`);
  return `${lines.join('\n')}\n`;
}

function counts(c: OutcomeCounts): string {
  return `${n(c.sent)} = ok ${n(c.ok)} + fail ${n(c.fail)} + indeterminate ${n(c.indeterminate)}`;
}

function latency(p: Percentiles): string {
  return `p50 ${ms(p.p50)} · p90 ${ms(p.p90)} · p99 ${ms(p.p99)} · p99.9 ${ms(p.p999)} · max ${ms(p.max)} ms`;
}

/** The generator's own lag apart from the target's service time, the share of late starts, and the warm-up kept out. */
function lagLines(doc: ResultDocument): string[] {
  const lines: string[] = [];
  const { lag, service, generatorBound } = doc.latency;
  if (lag && service) {
    lines.push(`  stampede's own lag: ${latency(lag)} (${(lag.lateShare * 100).toFixed(lag.lateShare < 0.01 ? 2 : 1)}% of requests left more than ${lag.lateAfterMs} ms late)`);
    lines.push(`  service time (bytes handed over → answer): ${latency(service)}`);
  }
  if (generatorBound) lines.push(`  GENERATOR-BOUND: ${generatorBound.reason.replace(/^generator-bound: /, '')}`);
  if (doc.warmup) lines.push(`  warm-up: ${(doc.warmup.durationMs / 1000).toFixed(1)} s, ${n(doc.warmup.totals.sent)} requests judged by the ledger, kept out of throughput and latency`);
  return lines;
}
