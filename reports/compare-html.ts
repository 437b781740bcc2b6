// The comparison as one offline HTML page: base against new, with throughput over time and the latency percentile
// curves of every run overlaid. No script, the report's strict CSP, every string escaped by the html template.

import type { ComparisonDocument } from '../src/compare/comparison-document.ts';
import { latencyOverlayChart, SIDE_COLORS, throughputOverlayChart } from './compare-html-charts.ts';
import { describeFacts, describeInvariantSide, describeLimit, describeSeconds, describeSide, FACT_LABELS, figureRow, headline, methodSentence, type ComparisonState } from './compare-view.ts';
import { pageHead } from './html.ts';
import { html, type Html } from './html-escape.ts';
import { REPORT_CSS } from './html-style.ts';
import { VERDICT_WORD } from './view.ts';

const badge = (state: ComparisonState) => html`<span class="badge ${state}">${state === 'warn' ? 'WARN' : VERDICT_WORD[state]}</span>`;
const BANNER: Record<ComparisonState, string> = { pass: 'pass', fail: 'fail', unknown: 'unknown', warn: 'unknown' };
const COMPARE_CSS = html`.sw.base { background: ${SIDE_COLORS.base}; } .sw.new { background: ${SIDE_COLORS.new}; } tr.regression td { background: #ffebee; } tr.improvement td { background: #e8f5e9; } .notice { border-left: 4px solid #f9a825; padding: 4px 12px; background: #fffde7; }`;

export function renderComparisonHtml(doc: ComparisonDocument): string {
  const { state, text } = headline(doc);
  const page = html`${pageHead(`stampede compare: ${text}`, html`${REPORT_CSS}${COMPARE_CSS}`)}
<body>
<header class="banner ${BANNER[state]}">
<p class="verdict">${state === 'warn' ? 'REGRESSION' : state === 'pass' && !doc.limits ? 'NO REGRESSION' : VERDICT_WORD[state as keyof typeof VERDICT_WORD]}</p>
<p class="what">${text}</p>
<p class="meta">base: ${describeSide(doc.base)} · new: ${describeSide(doc.new)} · alpha ${doc.method.alpha} · stampede ${doc.tool.version}</p>
${doc.limits && doc.verdictReasons.length ? html`<ul class="reasons">${doc.verdictReasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
</header>
<main>
${likeForLike(doc)}${figures(doc)}${limits(doc)}${charts(doc)}${invariants(doc)}${runs(doc)}${notes(doc)}
</main>
</body>
</html>
`;
  return page.value;
}

function likeForLike(doc: ComparisonDocument): Html | string {
  if (doc.likeForLike) return '';
  return html`<section id="like-for-like" class="notice"><h2>Not like for like</h2><p>The runs differ in what they measured; read every delta with that in mind.</p><ul>${doc.differences.map((d) => html`<li>${FACT_LABELS[d.fact]}: base <strong>${d.base}</strong>, new <strong>${d.new}</strong></li>`)}</ul></section>`;
}

function figures(doc: ComparisonDocument): Html {
  const rows = doc.figures.map((f) => {
    const r = figureRow(f);
    return html`<tr class="${f.change}" data-figure="${f.id}"><td>${r.figure}</td><td class="num">${r.base}</td><td class="num">${r.new}</td><td class="num"><strong>${r.delta}</strong></td><td class="num">${r.interval}</td><td class="num">${r.p}</td><td class="num">${r.n}</td><td>${r.note}</td></tr>`;
  });
  return html`<section id="figures"><h2>Base against new</h2><table><thead><tr><th>figure</th><th class="num">base</th><th class="num">new</th><th class="num">delta</th><th class="num">interval</th><th class="num">p</th><th class="num">seconds</th><th></th></tr></thead><tbody>${rows}</tbody></table><p class="legend">${methodSentence(doc)}</p></section>`;
}

function limits(doc: ComparisonDocument): Html | string {
  if (!doc.limits) return '';
  const rows = doc.limits.map((l) => html`<tr><td>${describeLimit(l)}</td><td>${l.observed}</td><td>${badge(l.verdict)}</td></tr>`);
  return html`<section id="limits"><h2>Regression limits</h2><p>A limit fails only when its figure's regression is significant and beyond it; an improvement never fails.</p><table><thead><tr><th>limit</th><th>observed</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function charts(doc: ComparisonDocument): Html {
  const legend = html`<p class="legend"><span class="sw base"></span>base <span class="sw new"></span>new (a side's second and later runs dashed)</p>`;
  return html`<section id="charts"><h2>Over time and distribution</h2><h3>Throughput over time</h3>${throughputOverlayChart(doc.base, doc.new)}${legend}<h3>Latency distribution</h3>${latencyOverlayChart(doc.base, doc.new)}${legend}</section>`;
}

function invariants(doc: ComparisonDocument): Html | string {
  if (doc.invariants.length === 0) return '';
  const rows = doc.invariants.map((i) => html`<tr><td>${i.id}</td><td>${i.title}</td><td>${describeInvariantSide(i.base)}</td><td>${describeInvariantSide(i.new)}</td><td>${i.change === 'worse' ? html`<strong>worse</strong>` : i.change}</td></tr>`);
  return html`<section id="invariants"><h2>Invariants</h2><table><thead><tr><th></th><th>invariant</th><th>base</th><th>new</th><th>change</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function runs(doc: ComparisonDocument): Html {
  const all = [...doc.base.map((r) => ['base', r] as const), ...doc.new.map((r) => ['new', r] as const)];
  const rows = all.map(([side, r]) => html`<tr><td><span class="sw ${side}"></span>${side}</td><td class="mono">${r.file}</td><td>${describeFacts(r.facts)}${r.faults ? ` · faults ${r.faults.join(', ')}` : ''}</td><td class="num">${describeSeconds(r)}</td><td>${badge(r.verdict)}${r.partial ? ' partial' : ''}</td><td>${r.seconds.dropped.join('; ')}</td></tr>`);
  return html`<section id="runs"><h2>Runs</h2><table><thead><tr><th>side</th><th>file</th><th>what</th><th class="num">seconds used</th><th>verdict</th><th>seconds left out</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function notes(doc: ComparisonDocument): Html | string {
  if (doc.notes.length === 0) return '';
  return html`<section id="notes"><h2>Notes</h2><ul>${doc.notes.map((n) => html`<li>${n}</li>`)}</ul></section>`;
}
