// The --max-regression limits judged on a comparison: a limit fails only when its figure's regression is both
// significant (after Holm) and, by its Hodges–Lehmann estimate, beyond the limit. An improvement never fails.

import type { FigureComparison, LimitResult, RegressionLimit } from './comparison-document.ts';
import { describeObserved } from './describe.ts';

export function judgeLimits(figures: readonly FigureComparison[], limits: readonly RegressionLimit[]): LimitResult[] {
  return limits.map((limit) => {
    const figure = figures.find((f) => f.id === limit.figure)!;
    const observed = describeObserved(figure);
    if (figure.change === 'undecidable') return { ...limit, verdict: 'unknown', observed, detail: `${figure.title}: ${figure.note ?? 'undecidable'}` };
    if (figure.change !== 'regression') return { ...limit, verdict: 'pass', observed };
    const worse = amountWorse(figure, limit);
    if (worse === undefined) {
      return { ...limit, verdict: 'unknown', observed, detail: `${figure.title}: a relative limit needs a base above 0 (base median ${figure.base.median ?? 'none'}); give the limit in ms` };
    }
    return worse > limit.value
      ? { ...limit, verdict: 'fail', observed, detail: `${figure.title}: a significant regression beyond the allowed ${limit.text}` }
      : { ...limit, verdict: 'pass', observed, detail: `${figure.title}: a significant regression, within the allowed ${limit.text}` };
  });
}

/** How much worse the new side is, in the limit's terms (a share of the base, ms, or a share of requests). */
function amountWorse(figure: FigureComparison, limit: RegressionLimit): number | undefined {
  const sign = figure.better === 'lower' ? 1 : -1;
  if (limit.kind === 'relative') return figure.relative ? sign * figure.relative.estimate : undefined;
  return sign * figure.shift!.estimate;
}
