// What a gate's result document found, as short labels: failing checks, invariants, thresholds, reproduced races.

import type { ResultDocument } from '../result/result-document.ts';

/**
 * One label per kind of finding, e.g. `U1 ×3`, `check CREATE-201`, `check SCHEMA-400 ×12`, `threshold max-p99`,
 * `race 18/20`. Check instances of one check (SCHEMA-400./countryCode.enum …) fold into their check ID.
 */
export function findingsOf(document: ResultDocument): string[] {
  const findings: string[] = [];
  for (const invariant of document.invariants) {
    if (invariant.verdict === 'fail') findings.push(`${invariant.id} ×${invariant.violations}`);
  }
  const failedChecks = new Map<string, number>();
  for (const check of document.checks ?? []) {
    if (check.verdict !== 'fail') continue;
    const id = check.id.split('.')[0]!;
    failedChecks.set(id, (failedChecks.get(id) ?? 0) + 1);
  }
  for (const [id, count] of failedChecks) findings.push(`check ${id}${count > 1 ? ` ×${count}` : ''}`);
  for (const threshold of document.thresholds ?? []) {
    if (threshold.verdict === 'fail') findings.push(`threshold ${threshold.id} (${threshold.observed ?? '?'})`);
  }
  const race = document.race;
  if (race && race.reproduced > 0) findings.push(`race ${race.reproduced}/${race.bursts.length}`);
  if (document.verdict === 'unknown') findings.push('unknown');
  return findings;
}
