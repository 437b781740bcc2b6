// Holm's step-down adjustment: several figures are tested at once, and "any of them significant" must stay at alpha.

/**
 * Holm-adjusted p-values, in the order given: sort ascending, multiply the i-th smallest (0-based) by m − i, keep
 * them non-decreasing, cap at 1. Rejecting where adjusted < alpha keeps the family-wise error rate at alpha.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, index], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
