// npm run bench:reports — rendering all four reports from the result document of a 1,000,000-request gate run, against
// the 1 s budget, with JSON.stringify of the same document beside it as the floor (best of several rounds).
//
// The document is synthesised from the committed fixtures at the worst realistic shape: 1,000,000 requests at
// 1,000 req/s (so 1,000 per-second rows), every invariant at its example and timeline caps, the whole conformance
// catalogue failing with curl lines, 100 race bursts of 32. A report's cost depends on that shape, not on the request
// count itself (the document holds counters and percentiles, never one row per request).

import { renderReport, REPORT_FORMATS, type ReportFormat } from '../reports/index.ts';
import { fixture } from '../reports/fixtures.ts';
import { LEDGER_DEFAULTS, RACE_DEFAULTS } from '../src/defaults.ts';
import type { CheckResult, ResultDocument, SecondSample } from '../src/result/result-document.ts';

const REQUESTS = 1_000_000;
const RATE = 1_000; // req/s: the slowest realistic rate, hence the most per-second rows
const CHECKS = 217; // the catalogue's instances in a default run
const ROUNDS = 7;
const BUDGET_MS = 1_000; // ms, all four formats

function bigDocument(): ResultDocument {
  const doc = fixture('combined');
  const seconds = REQUESTS / RATE;
  const perSecond: SecondSample[] = Array.from({ length: seconds }, (_, t) => {
    const fail = t % 37 === 0 ? 3 : 0;
    return { t, sent: RATE, ok: RATE - fail - (t % 101 === 0 ? 1 : 0), fail, indeterminate: t % 101 === 0 ? 1 : 0, p50: 2 + (t % 13) / 10, p99: 9 + (t % 29) };
  });
  doc.throughput = { overall: RATE, durationMs: seconds * 1000, perSecond };
  doc.totals = { sent: REQUESTS * 2 - 50_000, ok: REQUESTS * 2 - 50_500, fail: 400, indeterminate: 100, byKind: { first: { sent: 950_000, ok: 949_700, fail: 250, indeterminate: 50 }, duplicate: { sent: 50_000, ok: 49_900, fail: 50, indeterminate: 50 }, probe: { sent: 950_000, ok: 949_900, fail: 100, indeterminate: 0 } } };
  doc.statuses = { '201': 949_800, '400': 12, '409': 1_000_050, '500': 40, '503': 60 };
  doc.errors = { timeout: 30, ECONNRESET: 8 };
  const template = fixture('load-fail').invariants.find((i) => i.id === 'U1')!.examples[0]!;
  const timeline = Array.from({ length: LEDGER_DEFAULTS.maxTimeline }, (_, i) => ({ ...template.timeline[i % template.timeline.length]!, sentAt: 10 + i * 37.5 }));
  doc.invariants = (['U1', 'U2', 'U3', 'U4'] as const).map((id) => ({
    id,
    title: id,
    verdict: 'fail',
    checked: 950_000,
    violations: 1_234,
    detail: 'synthesised for the benchmark',
    examples: Array.from({ length: LEDGER_DEFAULTS.maxExamples }, (_, i) => ({ id: `${template.id.slice(0, -2)}${String(i).padStart(2, '0')}`, timeline, note: template.note })),
  }));
  const failing = fixture('conformance-fail').checks!.filter((c) => c.verdict === 'fail');
  doc.checks = Array.from({ length: CHECKS }, (_, i): CheckResult => ({ ...failing[i % failing.length]!, id: `${failing[i % failing.length]!.id}.${i}` }));
  const burst = fixture('race').race!.bursts[4]!;
  doc.race = { ...doc.race!, bursts: Array.from({ length: RACE_DEFAULTS.bursts }, (_, index) => ({ ...burst, index, spreadUs: 300 + ((index * 97) % 900) })) };
  return doc;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const doc = bigDocument();
const best: Record<ReportFormat | 'stringify', number> = { json: Infinity, markdown: Infinity, junit: Infinity, html: Infinity, stringify: Infinity };
const sizes: Partial<Record<ReportFormat, number>> = {};
let allBest = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  let started = performance.now();
  JSON.stringify(doc);
  best.stringify = Math.min(best.stringify, performance.now() - started);
  const roundStart = performance.now();
  for (const format of REPORT_FORMATS) {
    started = performance.now();
    sizes[format] = renderReport(format, doc).length;
    best[format] = Math.min(best[format], performance.now() - started);
  }
  allBest = Math.min(allBest, performance.now() - roundStart);
}

console.log(
  `bench:reports — the result document of a ${REQUESTS.toLocaleString('en-US')}-request run (${doc.throughput.perSecond.length.toLocaleString('en-US')} per-second rows, 4 invariants × ${LEDGER_DEFAULTS.maxExamples} examples × ${LEDGER_DEFAULTS.maxTimeline} attempts, ${CHECKS} failing checks with curl lines, ${doc.race!.bursts.length} bursts × ${doc.race!.width}), best of ${ROUNDS} rounds`,
);
for (const format of REPORT_FORMATS) console.log(`  ${format.padEnd(9)} ${fmt(best[format]).padStart(9)}  (${Math.round(sizes[format]! / 1024).toLocaleString('en-US')} KiB)`);
console.log(`reports: all four formats ${fmt(allBest)} vs the ${BUDGET_MS.toLocaleString('en-US')} ms budget: ratio ${(allBest / BUDGET_MS).toFixed(3)}  (goal ≤ 1 s for all four from a 1,000,000-request result)  ${allBest <= BUDGET_MS ? 'PASS' : 'FAIL'}`);
console.log(`reports: floor JSON.stringify of the same document ${fmt(best.stringify)}; all four / floor = ${(allBest / best.stringify).toFixed(1)}×`);
