// What every comparison writer shows, in words: the headline, one row per figure, the runs and their facts.

import type { ComparedRun, ComparisonDocument, FactName, FigureComparison, InvariantSide, RegressionLimit, RunFacts } from '../src/compare/comparison-document.ts';
import { figureSpec } from '../src/compare/figures.ts';
import { confidenceLabel, decidingP, describeChange, describeInterval, formatP, formatValue } from '../src/compare/describe.ts';
import { describeModel } from '../src/compare/run-facts.ts';
import type { Verdict } from '../src/result/result-document.ts';
import { formatCount, VERDICT_WORD } from './view.ts';

export type ComparisonState = Verdict | 'warn';

/** The comparison in one line: the limits' verdict when there are limits, else the regressions found (a warning). */
export function headline(doc: ComparisonDocument): { state: ComparisonState; text: string } {
  const regressions = doc.figures.filter((f) => f.change === 'regression');
  const improvements = doc.figures.filter((f) => f.change === 'improvement');
  const listed = (figures: readonly FigureComparison[]) => figures.map((f) => `${f.title} ${describeChange(f)}`).join(', ');
  const found = [
    regressions.length ? `${regressions.length} significant regression${regressions.length === 1 ? '' : 's'} (${listed(regressions)})` : 'no significant regression',
    ...(improvements.length ? [`${improvements.length} improvement${improvements.length === 1 ? '' : 's'} (${listed(improvements)})`] : []),
  ].join('; ');
  if (doc.limits) return { state: doc.verdict, text: `${VERDICT_WORD[doc.verdict]}: ${found}` };
  return { state: regressions.length ? 'warn' : 'pass', text: found };
}

export interface FigureRow {
  figure: string;
  base: string;
  new: string;
  /** `~`, `?`, or the delta of a significant change. */
  delta: string;
  /** The interval of a significant change, with its confidence. */
  interval: string;
  p: string;
  n: string;
  change: FigureComparison['change'];
  note: string;
}

export function figureRow(f: FigureComparison): FigureRow {
  const interval = describeInterval(f);
  return {
    figure: `${f.title} (${f.unit === 'share' ? '%' : f.unit})`,
    base: formatValue(f.unit, f.base.median),
    new: formatValue(f.unit, f.new.median),
    delta: describeChange(f),
    interval: interval ? `${interval} (${confidenceLabel(f)})` : '',
    p: f.test ? formatP(decidingP(f)!) : '',
    n: `${f.base.n}+${f.new.n}`,
    change: f.change,
    note: f.note ?? '',
  };
}

/** How a figure's delta and interval were computed, for a footnote. */
export function methodSentence(doc: ComparisonDocument): string {
  return `Each figure is the median of the per-second values of the seconds used (the first second without a warm-up before it and a last partial second are left out). The difference is tested with the Mann–Whitney U rank test, two-sided, p Holm-adjusted for the number of figures tested, significant below alpha ${doc.method.alpha}; when a side has several runs, the change must also stand out from how far its runs differ among themselves (Student's t on the runs' medians), and p is the larger of the two; "~" means no significant difference. A delta is the Hodges–Lehmann shift (the median of every new − base difference of seconds) as a share of the base median (the error rate in percentage points), with its distribution-free interval.`;
}

export const FACT_LABELS: Record<FactName, string> = {
  target: 'target',
  engine: 'engine',
  model: 'load model',
  connections: 'connections',
  rate: 'rate',
  'dup-ratio': 'duplicate ratio (body mix)',
  'tool-version': 'stampede version',
};

export function describeFacts(facts: RunFacts): string {
  return [facts.engine, describeModel(facts).replace(/^the /, ''), ...(facts.dupRatio !== undefined ? [`${facts.dupRatio * 100}% duplicates`] : []), facts.target, `stampede ${facts.toolVersion}`].join(' · ');
}

export function describeSeconds(run: ComparedRun): string {
  return `${run.seconds.used} of ${run.seconds.rows}`;
}

export function describeInvariantSide(side: InvariantSide | undefined): string {
  if (!side) return 'not checked';
  return `${VERDICT_WORD[side.verdict]}${side.violations ? ` (${formatCount(side.violations)} violations)` : ''}`;
}

/** `a.json` or `a.json + 2 more`. */
export function describeSide(runs: readonly ComparedRun[]): string {
  const seconds = runs.reduce((sum, r) => sum + r.seconds.used, 0);
  return `${runs.length} run${runs.length === 1 ? '' : 's'} (${runs.map((r) => r.file).join(', ')}), ${seconds} seconds used`;
}

/** `latency p99 worse by at most 10%`. */
export function describeLimit(limit: RegressionLimit): string {
  return `${figureSpec(limit.figure).title} worse by at most ${limit.text}`;
}
