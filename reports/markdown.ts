// The Markdown report: a CI step summary or PR comment, verdict first; every target-provided string is escaped.

import { REPORT_DEFAULTS } from '../src/defaults.ts';
import type { CheckResult, InvariantResult, Percentiles, ResultDocument, Verdict } from '../src/result/result-document.ts';
import { mdFence, mdTable, mdText } from './markdown-escape.ts';
import {
  answerMix,
  countChecks,
  describeEngine,
  describeTarget,
  formatCount,
  formatDuration,
  formatMs,
  formatRate,
  formatShare,
  formatUs,
  notPassingChecks,
  statusSummary,
  successesHistogram,
  timelineLines,
  VERDICT_WORD,
  blockerSentence,
  levelLabel,
  type CheckState,
} from './view.ts';

const ICON: Record<Verdict | CheckState, string> = { pass: '✅', fail: '❌', unknown: '❔', warn: '⚠️' };
const verdictCell = (verdict: Verdict | CheckState) => ({ md: `${ICON[verdict]} ${verdict === 'warn' ? 'WARN' : VERDICT_WORD[verdict as Verdict]}` });

export function renderMarkdown(document: ResultDocument): string {
  const sections = [
    verdictSection(document),
    phasesSection(document),
    throughputSection(document),
    latencySection(document),
    thresholdsSection(document),
    invariantsSection(document),
    raceSection(document),
    checksSection(document),
    answersSection(document),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function verdictSection(doc: ResultDocument): string {
  const lines = [`## ${ICON[doc.verdict]} stampede: ${VERDICT_WORD[doc.verdict]}`, ''];
  lines.push(
    `${mdText(describeEngine(doc))} against ${mdText(describeTarget(doc))} · ${mdText(doc.startedAt)} · ${formatDuration(doc.durationMs)} · seed ${doc.seed} · run ${mdText(doc.runId)} · stampede ${mdText(doc.tool.version)}`,
  );
  if (doc.partial) lines.push('', `> **Partial result:** ${mdText(doc.partialReason ?? 'the run was cut short')}. Everything below is what was measured until then.`);
  if (doc.verdictReasons.length > 0) lines.push('', ...doc.verdictReasons.map((reason) => `- ${mdText(reason)}`));
  return lines.join('\n');
}

function phasesSection(doc: ResultDocument): string {
  if (!doc.phases?.length) return '';
  const rows = doc.phases.map((p) => [p.name, p.engine, verdictCell(p.verdict), formatCount(p.totals.sent), formatDuration(p.durationMs), `${p.partial ? 'partial; ' : ''}${p.verdictReasons.join('; ')}`]);
  return `### Phases\n\n${mdTable(['phase', 'engine', 'verdict', 'requests', 'duration', 'reasons'], rows, ['l', 'l', 'l', 'r', 'r', 'l'])}`;
}

function throughputSection(doc: ResultDocument): string {
  const { totals, throughput } = doc;
  const lines = [
    '### Throughput',
    '',
    `**${formatCount(totals.sent)}** requests = ${formatCount(totals.ok)} ok + ${formatCount(totals.fail)} fail + ${formatCount(totals.indeterminate)} indeterminate · **${formatRate(throughput.overall)}** over ${formatDuration(throughput.durationMs)} of load (${doc.latency.model} model)`,
  ];
  const kinds = Object.entries(totals.byKind);
  if (kinds.length > 0) {
    lines.push('', mdTable(['attempts', 'sent', 'ok', 'fail', 'indeterminate'], kinds.map(([kind, c]) => [kind, formatCount(c.sent), formatCount(c.ok), formatCount(c.fail), formatCount(c.indeterminate)]), ['l', 'r', 'r', 'r', 'r']));
  }
  if (doc.probe) {
    const p = doc.probe;
    const sample = p.detects ? ` (a sample sized to detect ${formatShare(p.detects.lossRate)} loss with ${formatShare(p.detects.confidence)} confidence)` : '';
    lines.push('', `Durability probe (${p.mode}): ${formatCount(p.probed)} of ${formatCount(p.acknowledged)} acknowledged IDs re-submitted${sample}, **${formatCount(p.lostWrites)} lost**.`);
  }
  return lines.join('\n');
}

function latencySection(doc: ResultDocument): string {
  const { lag, service, generatorBound } = doc.latency;
  const rows: Array<[string, Percentiles]> = [
    ['all', doc.latency.overall],
    ...(Object.entries(doc.latency.byOutcome) as Array<[string, Percentiles]>),
    ...(lag && service ? ([["stampede's own lag", lag], ['service time', service]] as Array<[string, Percentiles]>) : []),
  ];
  const table = mdTable(
    ['latency (ms)', 'count', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'],
    rows.map(([name, p]) => [name, formatCount(p.count), formatMs(p.mean), formatMs(p.p50), formatMs(p.p90), formatMs(p.p99), formatMs(p.p999), formatMs(p.max)]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const measured = doc.latency.model === 'open' ? 'from the intended start of each request (open model: queueing counts)' : 'per request (closed model)';
  const split = lag && service
    ? ` stampede's own lag is ${doc.latency.model === 'open' ? 'intended start → bytes handed to the socket' : 'its event-loop delay at each send'}, apart from the service time (bytes handed over → answer); ${formatShare(lag.lateShare)} of requests left more than ${lag.lateAfterMs} ms late.`
    : '';
  const bound = generatorBound ? `\n\n> ⚠️ **Generator-bound.** ${mdText(generatorBound.reason.replace(/^generator-bound: /, ''))}` : '';
  const warmup = doc.warmup ? `\n\nWarm-up: the first ${formatDuration(doc.warmup.durationMs)} (${formatCount(doc.warmup.totals.sent)} requests) were judged by the ledger and kept out of throughput and latency.` : '';
  return `### Latency\n\n${table}\n\nMeasured ${measured}.${split}${bound}${warmup}`;
}

function thresholdsSection(doc: ResultDocument): string {
  if (!doc.thresholds?.length) return '';
  const rows = doc.thresholds.map((t) => [t.title, t.limit, t.observed ?? 'not measured', verdictCell(t.verdict)]);
  return `### Thresholds\n\n${mdTable(['threshold', 'limit', 'observed', 'verdict'], rows, ['l', 'r', 'r', 'l'])}`;
}

function invariantsSection(doc: ResultDocument): string {
  if (doc.invariants.length === 0) return '';
  const rows = doc.invariants.map((i) => [i.id, i.title, verdictCell(i.verdict), formatCount(i.checked), formatCount(i.violations), i.detail]);
  const parts = [`### Invariants\n\n${mdTable(['', 'invariant', 'verdict', 'checked', 'violations', 'how'], rows, ['l', 'l', 'l', 'r', 'r', 'l'])}`];
  for (const invariant of doc.invariants) if (invariant.examples.length > 0) parts.push(examplesBlock(invariant));
  return parts.join('\n\n');
}

function examplesBlock(invariant: InvariantResult): string {
  const blocks = invariant.examples.map((example) => {
    const text = [`${example.id}: ${example.note}`, ...timelineLines(example).map((line) => `  ${line}`)].join('\n');
    return mdFence(text, 'text');
  });
  const shown = `${invariant.examples.length} of ${formatCount(invariant.violations)}`;
  return `<details><summary>${mdText(invariant.id)} examples (${shown}), each with its attempt timeline (ms since the run started)</summary>\n\n${blocks.join('\n\n')}\n\n</details>`;
}

function raceSection(doc: ResultDocument): string {
  const race = doc.race;
  if (!race) return '';
  const lines = [
    '### Race bursts',
    '',
    `${mdText(race.sync)}, ${race.bursts.length} bursts of ${race.width}: race reproduced (more than one 2xx for one ID) in **${race.reproduced}** bursts, detection rate **${formatShare(race.detectionRate)}**.`,
    `Release spread p50 ${formatUs(race.spreadUs.p50)} · p90 ${formatUs(race.spreadUs.p90)} · p99 ${formatUs(race.spreadUs.p99)} · max ${formatUs(race.spreadUs.max)}.`,
  ];
  if (race.baseline) {
    const b = race.baseline;
    lines.push(`Naive baseline: reproduced in ${b.reproduced} of ${b.bursts} bursts (${formatShare(b.detectionRate)}), spread p50 ${formatUs(b.spreadUs.p50)}.`);
  }
  const blocker = blockerSentence(race);
  if (blocker) lines.push(mdText(blocker));
  const histogram = successesHistogram(race.bursts).map(([successes, bursts]) => `${successes} × 2xx: ${bursts} burst${bursts === 1 ? '' : 's'}`);
  if (histogram.length > 0) lines.push(`Successes per burst (a correct service gives exactly one): ${histogram.join(' · ')}.`);
  const reproduced = race.bursts.filter((b) => b.successes > 1).slice(0, REPORT_DEFAULTS.markdownBursts);
  if (reproduced.length > 0) {
    const rows = reproduced.map((b) => [b.index, b.id, `${b.successes} of ${b.statuses.length}`, formatUs(b.spreadUs), statusSummary(b.statuses)]);
    lines.push('', mdTable(['burst', 'ID', '2xx', 'spread', 'statuses'], rows, ['r', 'l', 'r', 'r', 'l']));
  }
  return lines.join('\n');
}

function checksSection(doc: ResultDocument): string {
  if (!doc.checks) return '';
  const counts = countChecks(doc);
  const head = `### Conformance checks\n\n${formatCount(doc.checks.length)} checks: ${counts.pass} pass, ${counts.fail} fail, ${counts.warn} warn, ${counts.unknown} unknown.`;
  const failing = notPassingChecks(doc);
  if (failing.length === 0) return head;
  const listed = failing.slice(0, REPORT_DEFAULTS.markdownChecks);
  const rows = listed.map(({ check, state }) => [check.id, levelLabel(check), verdictCell(state), check.expected, observedText(check), check.detail ?? '']);
  const parts = [head, mdTable(['check', 'level', 'verdict', 'expected', 'observed', 'detail'], rows)];
  if (failing.length > listed.length) parts.push(`… and ${failing.length - listed.length} more (see result.json).`);
  const reproducible = listed.filter(({ check }) => check.curl !== undefined).slice(0, REPORT_DEFAULTS.markdownCurls);
  if (reproducible.length > 0) {
    const blocks = reproducible.map(({ check }) => `${mdText(check.id)}: ${mdText(check.title)}\n\n${mdFence(check.curl ?? '', 'sh')}`);
    parts.push(`<details><summary>Reproduce (${reproducible.length} curl command${reproducible.length === 1 ? '' : 's'}; header values come from $STAMPEDE_HEADER_&lt;NAME&gt;)</summary>\n\n${blocks.join('\n\n')}\n\n</details>`);
  }
  return parts.join('\n\n');
}

function observedText(check: CheckResult): string {
  const o = check.observed;
  if (!o) return 'nothing';
  if (o.status !== undefined) return String(o.status);
  return o.error ?? 'no answer';
}

function answersSection(doc: ResultDocument): string {
  const mix = answerMix(doc);
  if (mix.length === 0) return '';
  const total = mix.reduce((sum, [, n]) => sum + n, 0);
  const cells = mix.map(([label, n, kind]) => `${kind === 'error' ? 'error ' : ''}${mdText(label)}: ${formatCount(n)} (${formatShare(n / total)})`);
  return `### Answers\n\n${cells.join(' · ')}`;
}
