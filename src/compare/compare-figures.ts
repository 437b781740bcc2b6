// Each figure, base against new over the pooled per-second samples: a rank test, Holm over the figures, the shift.

import type { FigureComparison, FigureId } from './comparison-document.ts';
import { FIGURES } from './figures.ts';
import { holmAdjust } from './holm.ts';
import { mannWhitney, shiftEstimate, type RankTest } from './mann-whitney.ts';
import { runLevelTest, type RunLevelTest } from './run-level.ts';

export interface SideSamples {
  /** Per figure, the values of every second used, over every run of the side. */
  values: Record<FigureId, number[]>;
  /** Per figure, the median of each run's seconds (runs without a value left out): the run-to-run check. */
  runMedians: Record<FigureId, number[]>;
  /** Why the side's rate and latency describe stampede (a generator-bound run without per-second lag to filter), if so. */
  boundReason?: string;
}

/**
 * The figures, and the sizes of the Holm families they were tested in: the figures under a limit (`decide`, those a
 * gate judges) form one family, the others another, so a limit on p99 loses no power to the figures it does not judge;
 * without limits every figure is in one family.
 */
export function compareFigures(base: SideSamples, next: SideSamples, alpha: number, decide: readonly FigureId[] = []): { figures: FigureComparison[]; families: number[] } {
  const tested: Array<{ figure: FigureComparison; test: RankTest; runs: RunLevelTest | undefined; a: number[]; b: number[] }> = [];
  const figures = FIGURES.map((spec): FigureComparison => {
    const a = base.values[spec.id];
    const b = next.values[spec.id];
    const figure: FigureComparison = {
      id: spec.id,
      title: spec.title,
      unit: spec.unit,
      better: spec.better,
      delta: spec.delta,
      base: { n: a.length, ...(a.length ? { median: median(a) } : {}) },
      new: { n: b.length, ...(b.length ? { median: median(b) } : {}) },
      change: 'none',
    };
    const bound = spec.kind === 'rate' || spec.kind === 'latency' ? (base.boundReason ?? next.boundReason) : undefined;
    if (a.length === 0 || b.length === 0) return undecidable(figure, `not measured on the ${a.length === 0 ? 'base' : 'new'} side (no second with a value)`);
    if (bound) return undecidable(figure, `generator-bound: ${bound}`);
    const test = mannWhitney(a, b);
    if (test.minAttainableP >= alpha) {
      return undecidable(figure, `too few seconds to detect any change at alpha ${alpha}: ${a.length} + ${b.length} (at best p = ${Number(test.minAttainableP.toPrecision(2))}); run longer or repeat the runs`);
    }
    // The same value in every second on both sides (no error at all, a rate held exactly): nothing to test, and
    // leaving it out of the family keeps the correction from diluting the figures that vary.
    if (test.constant) return { ...figure, note: 'the same value in every second on both sides' };
    tested.push({ figure, test, runs: runLevelTest(base.runMedians[spec.id], next.runMedians[spec.id], spec.delta === 'relative'), a, b });
    return figure;
  });
  const families = decide.length ? [tested.filter((t) => decide.includes(t.figure.id)), tested.filter((t) => !decide.includes(t.figure.id))] : [tested];
  const adjusted = new Map<FigureComparison, number>();
  const adjustedRuns = new Map<FigureComparison, number>();
  for (const family of families) {
    const p = holmAdjust(family.map((t) => t.test.pValue));
    family.forEach((t, i) => adjusted.set(t.figure, p[i]!));
    const withRuns = family.filter((t) => t.runs !== undefined);
    const q = holmAdjust(withRuns.map((t) => t.runs!.pValue));
    withRuns.forEach((t, i) => adjustedRuns.set(t.figure, q[i]!));
  }
  tested.forEach(({ figure, test, runs, a, b }) => {
    // Significant only when both say so: the seconds (rank test) and, where runs can show it, the run-to-run swing.
    const adjustedP = adjusted.get(figure)!;
    const runsP = adjustedRuns.get(figure);
    figure.test = { u: test.u, pValue: test.pValue, adjustedP, exact: test.exact, minAttainableP: test.minAttainableP };
    if (runs) figure.runTest = { runs: runs.runs, t: Number.isFinite(runs.t) ? runs.t : Math.sign(runs.t) * Number.MAX_VALUE, df: runs.df, pValue: runs.pValue, adjustedP: runsP! };
    const shift = shiftEstimate(a, b, alpha);
    figure.shift = shift;
    const baseMedian = figure.base.median!;
    if (figure.delta === 'relative' && baseMedian > 0) {
      figure.relative = { estimate: shift.estimate / baseMedian, low: shift.low / baseMedian, high: shift.high / baseMedian };
    }
    const worse = figure.better === 'lower' ? shift.estimate > 0 : shift.estimate < 0;
    const significant = adjustedP < alpha && (runsP === undefined || runsP < alpha);
    figure.change = !significant || shift.estimate === 0 ? 'none' : worse ? 'regression' : 'improvement';
    if (adjustedP < alpha && !significant) figure.note = `the seconds differ (p=${Number(adjustedP.toPrecision(2))}), but no more than runs of one side differ among themselves (run-to-run p=${Number(runsP!.toPrecision(2))})`;
  });
  return { figures, families: families.map((f) => f.length).filter((n) => n > 0) };
}

function undecidable(figure: FigureComparison, note: string): FigureComparison {
  return { ...figure, change: 'undecidable', note };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
