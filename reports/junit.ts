// The JUnit XML report: one testcase per check, invariant, threshold and phase verdict, for CI test reporters.
//
// Mapping (documented in reports/README.md): pass → a bare testcase; fail → <failure>; unknown (could not be decided)
// → <error>, so the run stays red as its exit code 3 does; a failed SHOULD/MAY check that does not bind the verdict
// (warning, --profile default) → <skipped message="warning: …">, visible without failing the build.

import type { ResultDocument, Verdict } from '../src/result/result-document.ts';
import {
  checkState,
  cleanText,
  describeTarget,
  formatCount,
  isStrictProfile,
  timelineLines,
  VERDICT_WORD,
  levelLabel,
  type CheckState,
} from './view.ts';

/** One testcase, as every JUnit writer of ours gives it (the run's report here, the comparison's in compare-junit.ts). */
export interface JunitCase {
  name: string;
  classname: string;
  /** Left out of the element when absent. */
  timeSeconds?: number; // s
  state: CheckState;
  /** One line, for the message attribute. */
  message: string;
  /** Details (expected, observed, curl, timelines), for the element's text. */
  body: string;
}

interface TestCase extends JunitCase {
  timeSeconds: number; // s
}

interface TestSuite {
  name: string;
  cases: TestCase[];
}

export function renderJunit(document: ResultDocument): string {
  const suites = [verdictSuite(document), thresholdSuite(document), latencySuite(document), invariantSuite(document), checkSuite(document)].filter((s): s is TestSuite => s !== undefined && s.cases.length > 0);
  const all = suites.flatMap((s) => s.cases);
  const tally = countStates(all);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stampede" tests="${all.length}" failures="${tally.fail}" errors="${tally.unknown}" skipped="${tally.warn}" time="${seconds(document.durationMs / 1000)}">`,
  ];
  for (const suite of suites) {
    const t = countStates(suite.cases);
    const time = suite.cases.reduce((sum, c) => sum + c.timeSeconds, 0);
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${t.fail}" errors="${t.unknown}" skipped="${t.warn}" time="${seconds(time)}" timestamp="${attr(document.startedAt.replace(/Z$/, ''))}" hostname="${attr(document.target.url)}">`,
    );
    for (const c of suite.cases) lines.push(testcase(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The testcase element: pass bare, fail → <failure type="`failureType`">, unknown → <error>, warn → <skipped>. */
export function testcase(c: JunitCase, failureType = 'fail'): string {
  const time = c.timeSeconds === undefined ? '' : ` time="${seconds(c.timeSeconds)}"`;
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}"${time}`;
  switch (c.state) {
    case 'pass':
      return `${open}/>`;
    case 'fail':
      return `${open}>\n      <failure message="${attr(c.message)}" type="${attr(failureType)}">${text(c.body)}</failure>\n    </testcase>`;
    case 'unknown':
      return `${open}>\n      <error message="${attr(c.message)}" type="unknown">${text(c.body)}</error>\n    </testcase>`;
    case 'warn':
      return `${open}>\n      <skipped message="${attr(`warning: ${c.message}`)}">${text(c.body)}</skipped>\n    </testcase>`;
  }
}

const stateOf = (verdict: Verdict): CheckState => verdict;

function verdictSuite(doc: ResultDocument): TestSuite {
  const cases: TestCase[] = [];
  const reasons = (list: readonly string[]) => list.join('\n');
  for (const phase of doc.phases ?? []) {
    cases.push({
      name: `phase ${phase.name} (${phase.engine})`,
      classname: 'stampede.phases',
      timeSeconds: phase.durationMs / 1000,
      state: stateOf(phase.verdict),
      message: `${VERDICT_WORD[phase.verdict]}${phase.partial ? ' (partial)' : ''}: ${phase.verdictReasons[0] ?? ''}`,
      body: reasons(phase.verdictReasons),
    });
  }
  // The run's own verdict: definite wrong answers and too many indeterminate outcomes are judged here, not by a check.
  cases.push({
    name: `verdict of the ${doc.engine} run`,
    classname: 'stampede.verdict',
    timeSeconds: doc.durationMs / 1000,
    state: stateOf(doc.verdict),
    message: `${VERDICT_WORD[doc.verdict]}${doc.partial ? ' (partial)' : ''}: ${doc.verdictReasons[0] ?? ''}`,
    body: [`target ${describeTarget(doc)}, seed ${doc.seed}, run ${doc.runId}`, ...(doc.partial ? [`partial: ${doc.partialReason ?? 'cut short'}`] : []), ...doc.verdictReasons].join('\n'),
  });
  return { name: 'stampede.verdict', cases };
}

function thresholdSuite(doc: ResultDocument): TestSuite | undefined {
  if (!doc.thresholds) return undefined;
  return {
    name: 'stampede.thresholds',
    cases: doc.thresholds.map((t) => ({
      name: `${t.id}: ${t.title}`,
      classname: 'stampede.thresholds',
      timeSeconds: 0,
      state: stateOf(t.verdict),
      message: t.observed === undefined ? `not measured (limit ${t.limit})` : `measured ${t.observed}, limit ${t.limit}`,
      body: `${t.title}\nlimit: ${t.limit}\nobserved: ${t.observed ?? 'not measured'}${t.detail ? `\n${t.detail}` : ''}`,
    })),
  };
}

/**
 * stampede's own lag, apart from the target's service time: passes when the latency figures describe the target, an
 * error (unknown) when they are generator-bound, so a CI reporter shows the run measured itself.
 */
function latencySuite(doc: ResultDocument): TestSuite | undefined {
  const { lag, service, generatorBound, overall } = doc.latency;
  if (!lag || !service) return undefined;
  const p = (x: { p50: number; p99: number; p999: number }) => `p50 ${x.p50} · p99 ${x.p99} · p99.9 ${x.p999} ms`;
  return {
    name: 'stampede.latency',
    cases: [
      {
        name: `generator lag within ${generatorBound?.limit ?? (doc.config as { maxLag?: string }).maxLag ?? 'its limit'}`,
        classname: 'stampede.latency',
        timeSeconds: 0,
        state: generatorBound ? 'unknown' : 'pass',
        message: generatorBound ? generatorBound.reason : `lag ${p(lag)}; ${(lag.lateShare * 100).toFixed(2)}% of requests left more than ${lag.lateAfterMs} ms late`,
        body: [`latency (headline, lag + service): ${p(overall)}`, `stampede's own lag: ${p(lag)}`, `service time: ${p(service)}`, `late (> ${lag.lateAfterMs} ms): ${(lag.lateShare * 100).toFixed(2)}%`].join('\n'),
      },
    ],
  };
}

function invariantSuite(doc: ResultDocument): TestSuite {
  return {
    name: 'stampede.invariants',
    cases: doc.invariants.map((i) => ({
      name: `${i.id} ${i.title}`,
      classname: 'stampede.invariants',
      timeSeconds: 0,
      state: stateOf(i.verdict),
      message: i.verdict === 'unknown' ? `unknown: ${i.detail}` : `${formatCount(i.violations)} violation(s) of ${formatCount(i.checked)} checked`,
      body: [i.detail, ...i.examples.flatMap((e) => ['', `${e.id}: ${e.note}`, ...timelineLines(e).map((l) => `  ${l}`)])].join('\n'),
    })),
  };
}

function checkSuite(doc: ResultDocument): TestSuite | undefined {
  if (!doc.checks) return undefined;
  const strict = isStrictProfile(doc);
  return {
    name: 'stampede.conformance',
    cases: doc.checks.map((check) => {
      const o = check.observed;
      const observed = o === undefined ? 'nothing' : o.status !== undefined ? String(o.status) : (o.error ?? 'no answer');
      const body = [
        `${levelLabel(check)} (${check.reference}): ${check.title}`,
        `expected: ${check.expected}`,
        `observed: ${observed}`,
        ...(check.detail ? [`detail: ${check.detail}`] : []),
        ...Object.entries(o?.headers ?? {}).map(([name, value]) => `  ${name}: ${value}`),
        ...(o?.bodyExcerpt !== undefined ? [`body: ${o.bodyExcerpt}`] : []),
        ...(check.curl ? ['reproduce:', check.curl] : []),
      ];
      return {
        name: check.id,
        classname: `stampede.conformance.${check.level}`,
        timeSeconds: (o?.durationMs ?? 0) / 1000,
        state: checkState(check, strict),
        message: `${levelLabel(check)}: expected ${check.expected}, observed ${observed}${check.detail ? ` (${check.detail})` : ''}`,
        body: body.join('\n'),
      };
    }),
  };
}

/** How many cases are in each state (the suites' failures, errors and skipped attributes). */
export function countStates(cases: readonly Pick<JunitCase, 'state'>[]): Record<CheckState, number> {
  const counts: Record<CheckState, number> = { pass: 0, fail: 0, unknown: 0, warn: 0 };
  for (const c of cases) counts[c.state]++;
  return counts;
}

const seconds = (s: number) => (Number.isFinite(s) && s > 0 ? s.toFixed(3) : '0');

/** Element text: illegal XML 1.0 characters replaced, markup escaped. */
export function text(value: string): string {
  return cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted): also quotes, and whitespace kept as character references (not normalised away). */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
