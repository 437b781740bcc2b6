// The HTML report: one self-contained offline page (inline CSS and SVG, no script) under a strict CSP; every string
// from the document goes through the escaping template, so a hostile target cannot run script in it.

import { REPORT_DEFAULTS } from '../src/defaults.ts';
import type { CheckResult, InvariantResult, Percentiles, ResultDocument, Verdict } from '../src/result/result-document.ts';
import { latencyDistributionChart, latencyOverTimeChart, raceSpreadChart, raceSuccessesChart, statusMixChart, throughputChart } from './html-charts.ts';
import { html, type Html } from './html-escape.ts';
import { REPORT_CSS } from './html-style.ts';
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

/** No script, no remote anything: only inline styles and data: images may load. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const badge = (state: Verdict | CheckState) => html`<span class="badge ${state}">${state === 'warn' ? 'WARN' : VERDICT_WORD[state as Verdict]}</span>`;

/** The head every report page shares: the strict CSP, no referrer, the title and the inline styles. */
export function pageHead(title: string, css: Html): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${css}</style>
</head>`;
}

export function renderHtml(document: ResultDocument): string {
  const page = html`${pageHead(`stampede ${VERDICT_WORD[document.verdict]}: ${describeEngine(document)} against ${document.target.url}`, REPORT_CSS)}
<body>
${banner(document)}
<main>
${phases(document)}${thresholds(document)}${load(document)}${invariants(document)}${race(document)}${checks(document)}${configuration(document)}
</main>
</body>
</html>
`;
  return page.value;
}

function banner(doc: ResultDocument): Html {
  return html`<header class="banner ${doc.verdict}">
<p class="verdict">${VERDICT_WORD[doc.verdict]}</p>
<p class="what">${describeEngine(doc)} against <span class="mono">${describeTarget(doc)}</span></p>
<p class="meta">${doc.startedAt} · ${formatDuration(doc.durationMs)} · seed ${doc.seed} · run <span class="mono">${doc.runId}</span> · stampede ${doc.tool.version}</p>
${doc.partial ? html`<p class="partial">Partial result: ${doc.partialReason ?? 'the run was cut short'}. Everything here is what was measured until then.</p>` : ''}
${doc.verdictReasons.length ? html`<ul class="reasons">${doc.verdictReasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
</header>`;
}

function tile(label: string, value: string): Html {
  return html`<div class="tile"><span class="label">${label}</span><span class="value">${value}</span></div>`;
}

function phases(doc: ResultDocument): Html | string {
  if (!doc.phases?.length) return '';
  const rows = doc.phases.map((p) => html`<tr><td>${p.name}</td><td>${p.engine}</td><td>${badge(p.verdict)}${p.partial ? ' partial' : ''}</td><td class="num">${formatCount(p.totals.sent)}</td><td class="num">${formatDuration(p.durationMs)}</td><td>${p.verdictReasons.join('; ')}</td></tr>`);
  return html`<section id="phases"><h2>Phases</h2><table><thead><tr><th>phase</th><th>engine</th><th>verdict</th><th>requests</th><th>duration</th><th>reasons</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function thresholds(doc: ResultDocument): Html | string {
  if (!doc.thresholds?.length) return '';
  const rows = doc.thresholds.map((t) => html`<tr><td>${t.title}</td><td class="num">${t.limit}</td><td class="num">${t.observed ?? 'not measured'}</td><td>${badge(t.verdict)}</td></tr>`);
  return html`<section id="thresholds"><h2>Thresholds</h2><table><thead><tr><th>threshold</th><th>limit</th><th>observed</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function load(doc: ResultDocument): Html {
  const { totals, throughput, latency } = doc;
  const tiles = html`<div class="tiles">${tile('requests', formatCount(totals.sent))}${tile('ok · fail · indeterminate', `${formatCount(totals.ok)} · ${formatCount(totals.fail)} · ${formatCount(totals.indeterminate)}`)}${tile('throughput', formatRate(throughput.overall))}${tile('p50 · p99', `${formatMs(latency.overall.p50)} · ${formatMs(latency.overall.p99)} ms`)}${latency.lag ? tile("stampede's lag p99 · late", `${formatMs(latency.lag.p99)} ms · ${formatShare(latency.lag.lateShare)}`) : ''}${tile('load duration', formatDuration(throughput.durationMs))}</div>`;
  const rows: Array<[string, Percentiles]> = [
    ['all', latency.overall],
    ...(Object.entries(latency.byOutcome) as Array<[string, Percentiles]>),
    ...(latency.lag && latency.service ? ([["stampede's own lag", latency.lag], ['service time', latency.service]] as Array<[string, Percentiles]>) : []),
  ];
  const table = html`<table><thead><tr><th>latency (ms)</th><th>count</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr></thead><tbody>${rows.map(([name, p]) => html`<tr><td>${name}</td><td class="num">${formatCount(p.count)}</td><td class="num">${formatMs(p.mean)}</td><td class="num">${formatMs(p.p50)}</td><td class="num">${formatMs(p.p90)}</td><td class="num">${formatMs(p.p99)}</td><td class="num">${formatMs(p.p999)}</td><td class="num">${formatMs(p.max)}</td></tr>`)}</tbody></table>`;
  const kinds = Object.entries(totals.byKind);
  const byKind = kinds.length ? html`<table><thead><tr><th>attempts</th><th>sent</th><th>ok</th><th>fail</th><th>indeterminate</th></tr></thead><tbody>${kinds.map(([kind, c]) => html`<tr><td>${kind}</td><td class="num">${formatCount(c.sent)}</td><td class="num">${formatCount(c.ok)}</td><td class="num">${formatCount(c.fail)}</td><td class="num">${formatCount(c.indeterminate)}</td></tr>`)}</tbody></table>` : '';
  const probe = doc.probe
    ? html`<p>Durability probe (${doc.probe.mode}): ${formatCount(doc.probe.probed)} of ${formatCount(doc.probe.acknowledged)} acknowledged IDs re-submitted${doc.probe.detects ? ` (sized to detect ${formatShare(doc.probe.detects.lossRate)} loss with ${formatShare(doc.probe.detects.confidence)} confidence)` : ''}: <strong>${formatCount(doc.probe.lostWrites)} lost</strong>.</p>`
    : '';
  const model = latency.model === 'open' ? 'open model: latency from the intended start, queueing counts' : 'closed model: latency per request';
  const bound = latency.generatorBound ? html`<p class="banner unknown" data-generator-bound><strong>Generator-bound.</strong> ${latency.generatorBound.reason.replace(/^generator-bound: /, '')}</p>` : '';
  const warmup = doc.warmup ? html`<p>Warm-up: the first ${formatDuration(doc.warmup.durationMs)} (${formatCount(doc.warmup.totals.sent)} requests) were judged by the ledger and kept out of throughput and latency.</p>` : '';
  return html`<section id="load"><h2>Throughput and latency</h2>${bound}${tiles}${byKind}${probe}${warmup}
<h3>Throughput over time</h3>${throughputChart(throughput.perSecond)}
<p class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail <span class="sw indeterminate"></span>indeterminate (answers per second) <span class="sw sent"></span>sent per second</p>
<h3>Latency percentiles over time</h3>${latencyOverTimeChart(throughput.perSecond)}
<p class="legend"><span class="sw p50"></span>p50 <span class="sw p99"></span>p99${latency.lag ? html` <span class="sw lag"></span>stampede's own lag p99` : ''} (ms, answers of each second; ${model})</p>
<h3>Latency distribution</h3>${latencyDistributionChart(latency)}${table}
<h3>Status mix</h3>${statusMixChart(answerMix(doc))}</section>`;
}

function invariants(doc: ResultDocument): Html | string {
  if (doc.invariants.length === 0) return '';
  const rows = doc.invariants.map((i) => html`<tr><td>${i.id}</td><td>${i.title}</td><td>${badge(i.verdict)}</td><td class="num">${formatCount(i.checked)}</td><td class="num">${formatCount(i.violations)}</td><td>${i.detail}</td></tr>`);
  return html`<section id="invariants"><h2>Invariants</h2><table><thead><tr><th></th><th>invariant</th><th>verdict</th><th>checked</th><th>violations</th><th>how</th></tr></thead><tbody>${rows}</tbody></table>${doc.invariants.map(examples)}</section>`;
}

function examples(invariant: InvariantResult): Html | string {
  if (invariant.examples.length === 0) return '';
  const items = invariant.examples.map((e) => html`<div class="example"><p><span class="mono">${e.id}</span>: ${e.note}</p><pre>${timelineLines(e).join('\n')}</pre></div>`);
  return html`<details open><summary>${invariant.id} examples (${invariant.examples.length} of ${formatCount(invariant.violations)}), each with its attempt timeline (ms since the run started)</summary>${items}</details>`;
}

function race(doc: ResultDocument): Html | string {
  const r = doc.race;
  if (!r) return '';
  const drawn = r.bursts.slice(0, REPORT_DEFAULTS.htmlBursts);
  const more = r.bursts.length > drawn.length ? html`<p>The first ${formatCount(drawn.length)} of ${formatCount(r.bursts.length)} bursts are drawn.</p>` : '';
  const histogram = successesHistogram(r.bursts).map(([s, n]) => `${s} × 2xx: ${n} burst${n === 1 ? '' : 's'}`).join(' · ');
  const reproduced = r.bursts.filter((b) => b.successes > 1).slice(0, 50);
  const table = reproduced.length ? html`<table><thead><tr><th>burst</th><th>ID</th><th>2xx</th><th>spread</th><th>statuses</th></tr></thead><tbody>${reproduced.map((b) => html`<tr><td class="num">${b.index}</td><td class="mono">${b.id}</td><td class="num">${b.successes} of ${b.statuses.length}</td><td class="num">${formatUs(b.spreadUs)}</td><td>${statusSummary(b.statuses)}${b.errors?.length ? ` · ${b.errors.join(', ')}` : ''}</td></tr>`)}</tbody></table>` : '';
  const baseline = r.baseline ? html`<p>Naive baseline: reproduced in ${r.baseline.reproduced} of ${r.baseline.bursts} bursts (${formatShare(r.baseline.detectionRate)}), spread p50 ${formatUs(r.baseline.spreadUs.p50)}.</p>` : '';
  return html`<section id="race"><h2>Race bursts</h2>
<div class="tiles">${tile('sync', r.sync)}${tile('bursts × width', `${r.bursts.length} × ${r.width}`)}${tile('race reproduced', `${r.reproduced} (${formatShare(r.detectionRate)})`)}${tile('spread p50 · p99', `${formatUs(r.spreadUs.p50)} · ${formatUs(r.spreadUs.p99)}`)}</div>
${baseline}${blockerSentence(r) ? html`<p>${blockerSentence(r)}</p>` : ''}<p>Successes per burst (a correct service gives exactly one): ${histogram || 'none'}.</p>
<h3>Successes per burst</h3>${raceSuccessesChart(drawn, r.width)}
<h3>Release spread per burst</h3>${raceSpreadChart(drawn)}${more}${table}</section>`;
}

function checks(doc: ResultDocument): Html | string {
  if (!doc.checks) return '';
  const counts = countChecks(doc);
  const failing = notPassingChecks(doc);
  const shown = failing.slice(0, REPORT_DEFAULTS.htmlChecks);
  const more = failing.length > shown.length ? html`<p>… and ${formatCount(failing.length - shown.length)} more (see result.json).</p>` : '';
  return html`<section id="checks"><h2>Conformance checks</h2>
<p>${formatCount(doc.checks.length)} checks: ${counts.pass} pass, ${counts.fail} fail, ${counts.warn} warn, ${counts.unknown} unknown.</p>
${shown.map(({ check, state }) => checkBlock(check, state))}${more}</section>`;
}

function checkBlock(check: CheckResult, state: CheckState): Html {
  const o = check.observed;
  const observed = o === undefined ? 'nothing' : o.status !== undefined ? String(o.status) : (o.error ?? 'no answer');
  const headers = Object.entries(o?.headers ?? {});
  return html`<div class="check ${state}"><p>${badge(state)} <strong class="mono">${check.id}</strong> <span class="level">${levelLabel(check)}</span> ${check.title}</p>
<p>expected ${check.expected}; observed <strong>${observed}</strong>${o?.durationMs !== undefined ? ` after ${formatMs(o.durationMs)} ms` : ''}${check.detail ? ` — ${check.detail}` : ''} <span class="ref">(${check.reference})</span></p>
${headers.length ? html`<pre class="headers">${headers.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>` : ''}${o?.bodyExcerpt !== undefined ? html`<pre class="body">${o.bodyExcerpt}</pre>` : ''}${check.curl ? html`<p class="label">reproduce (header values from $STAMPEDE_HEADER_&lt;NAME&gt;)</p><pre class="curl">${check.curl}</pre>` : ''}</div>`;
}

function configuration(doc: ResultDocument): Html {
  return html`<section id="config"><details><summary>Configuration (header values redacted)</summary><pre>${JSON.stringify(doc.config, null, 2)}</pre></details></section>`;
}
