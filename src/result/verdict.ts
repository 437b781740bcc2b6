// The verdict of a run from its totals and invariants: fail > unknown > pass, with one reason per finding.

import { combineVerdicts, type InvariantResult, type OutcomeCounts, type Verdict } from './result-document.ts';

export interface VerdictInput {
  totals: OutcomeCounts;
  invariants: InvariantResult[];
  /** Above this share of indeterminate outcomes, correctness cannot be judged: unknown. */
  maxIndeterminateShare: number; // 0..1
  /** Requests that never left (no connection could be opened), by error: judged like indeterminate ones for the share. */
  unsent?: { count: number; byError: Record<string, number> };
}

export function judge(input: VerdictInput): { verdict: Verdict; reasons: string[] } {
  const { totals } = input;
  const verdicts: Verdict[] = [];
  const reasons: string[] = [];
  if (totals.sent === 0) {
    verdicts.push('unknown');
    reasons.push('nothing was sent: no verdict is possible');
  }
  if (totals.fail > 0) {
    verdicts.push('fail');
    reasons.push(`${totals.fail} definite wrong answer(s) out of ${totals.sent}`);
  }
  const indeterminateShare = totals.sent === 0 ? 0 : totals.indeterminate / totals.sent;
  if (indeterminateShare > input.maxIndeterminateShare) {
    verdicts.push('unknown');
    reasons.push(`${percent(indeterminateShare)} of outcomes are indeterminate (5xx, timeouts, resets), above the ${percent(input.maxIndeterminateShare)} that still allows a verdict`);
  } else if (totals.indeterminate > 0) {
    reasons.push(`${totals.indeterminate} indeterminate outcome(s) (${percent(indeterminateShare)}), within the ${percent(input.maxIndeterminateShare)} allowed`);
  }
  const unsent = input.unsent?.count ?? 0;
  if (unsent > 0) {
    // Requests the target could not even be connected for: what was measured covers only part of the run.
    const share = unsent / (totals.sent + unsent);
    const why = Object.entries(input.unsent!.byError).map(([kind, n]) => `${kind} ×${n}`).join(', ');
    if (share > input.maxIndeterminateShare) {
      verdicts.push('unknown');
      reasons.push(`${unsent} request(s) (${percent(share)}) could not be sent: no connection to the target could be opened (${why}); the target went away or refuses connections`);
    } else reasons.push(`${unsent} request(s) could not be sent: no connection could be opened (${why}), within the ${percent(input.maxIndeterminateShare)} allowed`);
  }
  for (const invariant of input.invariants) {
    verdicts.push(invariant.verdict);
    if (invariant.verdict === 'fail') reasons.push(`${invariant.id} ${invariant.title}: ${invariant.violations} violation(s)`);
    if (invariant.verdict === 'unknown') reasons.push(`${invariant.id} ${invariant.title}: unknown (${invariant.detail})`);
  }
  return { verdict: combineVerdicts(verdicts), reasons };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
}
