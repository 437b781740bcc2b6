// The run-to-run check: seconds of one run share its conditions (the machine's load, where the threads ran), so a
// side of several runs shows how far runs of one build swing. A difference no larger than that swing is no change.

import { studentTwoSidedP } from './student-t.ts';

export interface RunLevelTest {
  /** Runs with a value on each side. */
  runs: [number, number];
  t: number;
  df: number;
  /** Two-sided p of Student's t on the runs' medians (log scale for a relative figure), pooled within-side variance. */
  pValue: number;
}

/**
 * Student's t on each run's median, the variance pooled from the runs' spread within each side; undefined when no
 * side has two runs (one run per side cannot tell a change from run-to-run variation).
 */
export function runLevelTest(base: readonly number[], next: readonly number[], logScale: boolean): RunLevelTest | undefined {
  const df = base.length + next.length - 2;
  if (base.length === 0 || next.length === 0 || df < 1) return undefined;
  const scale = logScale && [...base, ...next].every((v) => v > 0) ? Math.log : (v: number) => v;
  const a = base.map(scale);
  const b = next.map(scale);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  const pooled = ([...a.map((x) => (x - ma) ** 2), ...b.map((x) => (x - mb) ** 2)].reduce((s, x) => s + x, 0)) / df;
  const se = Math.sqrt(pooled * (1 / a.length + 1 / b.length));
  // Runs of each side all alike: any difference between the sides stands out (and none is no change at all).
  const t = se > 0 ? (mb - ma) / se : mb === ma ? 0 : Math.sign(mb - ma) * Infinity;
  return { runs: [a.length, b.length], t, df, pValue: studentTwoSidedP(t, df) };
}
