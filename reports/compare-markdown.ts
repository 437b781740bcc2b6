// The comparison as Markdown: a benchstat-like table, one line per figure with base, new, and the delta with its
// interval, or `~` when the difference is not significant. Every string from the documents is escaped.

import type { ComparisonDocument } from '../src/compare/comparison-document.ts';
import { mdTable, mdText } from './markdown-escape.ts';
import { describeFacts, describeLimit, describeInvariantSide, describeSeconds, describeSide, FACT_LABELS, figureRow, headline, methodSentence, type ComparisonState } from './compare-view.ts';
import { VERDICT_WORD } from './view.ts';

const ICON: Record<ComparisonState, string> = { pass: '✅', fail: '❌', unknown: '❔', warn: '⚠️' };

export function renderComparisonMarkdown(doc: ComparisonDocument): string {
  const sections = [header(doc), likeForLike(doc), figures(doc), limits(doc), invariants(doc), runs(doc), notes(doc)];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(doc: ComparisonDocument): string {
  const { state, text } = headline(doc);
  return [
    `## ${ICON[state]} stampede compare: ${mdText(text)}`,
    '',
    `**base:** ${mdText(describeSide(doc.base))}  `,
    `**new:** ${mdText(describeSide(doc.new))}`,
    ...(doc.limits && doc.verdictReasons.length ? ['', ...doc.verdictReasons.map((r) => `- ${mdText(r)}`)] : []),
  ].join('\n');
}

function likeForLike(doc: ComparisonDocument): string {
  if (doc.likeForLike) return '';
  const lines = doc.differences.map((d) => `> - ${mdText(FACT_LABELS[d.fact])}: base ${mdText(d.base)}, new ${mdText(d.new)}`);
  return [`> ⚠️ **Not like for like:** the runs differ in what they measured; read every delta below with that in mind.`, '>', ...lines].join('\n');
}

function figures(doc: ComparisonDocument): string {
  const rows = doc.figures.map((f) => {
    const row = figureRow(f);
    return [row.figure, row.base, row.new, { md: f.change === 'regression' ? `**${mdText(row.delta)}**` : mdText(row.delta) }, row.interval, row.p, row.n];
  });
  const table = mdTable(['figure', 'base', 'new', 'delta', 'interval', 'p', 'seconds'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']);
  const explained = doc.figures.filter((f) => f.note).map((f) => `- ${mdText(f.title)}: ${mdText(f.note!)}`);
  return [table, '', mdText(methodSentence(doc)), ...(explained.length ? ['', ...explained] : [])].join('\n');
}

function limits(doc: ComparisonDocument): string {
  if (!doc.limits) return '';
  const rows = doc.limits.map((l) => [describeLimit(l), l.observed, { md: `${ICON[l.verdict]} ${VERDICT_WORD[l.verdict]}` }]);
  return `### Regression limits\n\nA limit fails only when its figure's regression is significant and beyond it; an improvement never fails.\n\n${mdTable(['limit', 'observed', 'verdict'], rows)}`;
}

function invariants(doc: ComparisonDocument): string {
  if (doc.invariants.length === 0) return '';
  const rows = doc.invariants.map((i) => [`${i.id} ${i.title}`, describeInvariantSide(i.base), describeInvariantSide(i.new), { md: i.change === 'worse' ? '**worse**' : i.change }]);
  return `### Invariants\n\n${mdTable(['invariant', 'base', 'new', 'change'], rows)}`;
}

function runs(doc: ComparisonDocument): string {
  const rows = [...doc.base.map((r) => ['base', r] as const), ...doc.new.map((r) => ['new', r] as const)].map(([side, r]) => [
    side,
    r.file,
    describeFacts(r.facts),
    describeSeconds(r),
    `${VERDICT_WORD[r.verdict]}${r.partial ? ' (partial)' : ''}`,
    r.seconds.dropped.join('; '),
  ]);
  return `### Runs\n\n${mdTable(['side', 'file', 'what', 'seconds used', 'verdict', 'seconds left out'], rows)}`;
}

function notes(doc: ComparisonDocument): string {
  if (doc.notes.length === 0) return '';
  return `### Notes\n\n${doc.notes.map((n) => `- ${mdText(n)}`).join('\n')}`;
}
