// The comparison as JUnit XML: a testcase per --max-regression limit (fail → <failure>, undecidable → <error>), and
// per figure, invariant and the like-for-like check, where a regression not under a limit is a warning (<skipped>).

import type { ComparisonDocument } from '../src/compare/comparison-document.ts';
import { describeObserved } from '../src/compare/describe.ts';
import { describeInvariantSide, describeLimit, describeSide, FACT_LABELS, methodSentence } from './compare-view.ts';
import { attr, countStates, testcase, type JunitCase } from './junit.ts';

/** A testcase before its suite names its classname. */
type Case = Omit<JunitCase, 'classname' | 'timeSeconds'>;

export function renderComparisonJunit(doc: ComparisonDocument): string {
  const limited = new Set(doc.limits?.map((l) => l.figure) ?? []);
  const suites: Array<[string, Case[]]> = [
    [
      'stampede.regression',
      (doc.limits ?? []).map((l) => ({ name: `${l.figure}: ${describeLimit(l)}`, state: l.verdict, message: `${l.observed}${l.detail ? ` — ${l.detail}` : ''}`, body: `${describeLimit(l)}\nobserved: ${l.observed}${l.detail ? `\n${l.detail}` : ''}` })),
    ],
    [
      'stampede.comparison',
      [
        {
          name: 'like for like',
          state: doc.likeForLike ? 'pass' : 'warn',
          message: doc.likeForLike ? 'the runs measured the same thing' : `not like for like: ${doc.differences.map((d) => `${FACT_LABELS[d.fact]} ${d.base} vs ${d.new}`).join('; ')}`,
          body: `base: ${describeSide(doc.base)}\nnew: ${describeSide(doc.new)}`,
        },
        ...doc.figures.map((f): Case => ({
          name: f.title,
          // A regression under a limit is judged by that limit's testcase; any other is shown as a warning.
          state: (f.change === 'regression' && !limited.has(f.id)) || f.change === 'undecidable' ? 'warn' : 'pass',
          message: `${f.change === 'regression' ? 'significant regression: ' : f.change === 'improvement' ? 'significant improvement: ' : ''}${describeObserved(f)}`,
          body: `${describeObserved(f)}\n${methodSentence(doc)}`,
        })),
        ...doc.invariants.map((i): Case => ({
          name: `${i.id} ${i.title}`,
          state: i.change === 'worse' ? 'warn' : 'pass',
          message: `base ${describeInvariantSide(i.base)}, new ${describeInvariantSide(i.new)}`,
          body: `base ${describeInvariantSide(i.base)}\nnew ${describeInvariantSide(i.new)}`,
        })),
      ],
    ],
  ];
  const all = suites.flatMap(([, cases]) => cases);
  const tally = countStates(all);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="stampede compare" tests="${all.length}" failures="${tally.fail}" errors="${tally.unknown}" skipped="${tally.warn}">`];
  for (const [name, cases] of suites) {
    if (cases.length === 0) continue;
    const t = countStates(cases);
    lines.push(`  <testsuite name="${name}" tests="${cases.length}" failures="${t.fail}" errors="${t.unknown}" skipped="${t.warn}" timestamp="${attr(doc.createdAt.replace(/Z$/, ''))}">`);
    // A failed limit is a regression (the run's report says "fail").
    for (const c of cases) lines.push(testcase({ ...c, classname: name }, 'regression'));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
