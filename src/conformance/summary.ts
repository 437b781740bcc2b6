// The human summary of a conformance run, grouped by level: counts, then each failure with its curl command.

import type { CheckResult, ResultDocument } from '../result/result-document.ts';

/** Failures listed per level before "… and N more" (all of them are in result.json). */
const MAX_LISTED = 12;

export function formatConformSummary(doc: ResultDocument, resultPath: string | undefined): string {
  const checks = doc.checks ?? [];
  const config = doc.config as { profile?: string; conflictStatus?: number; fuzz?: number; levels?: { off?: string[] } };
  const lines = [
    `stampede conform: ${checks.length} checks, ${doc.totals.sent.toLocaleString('en-US')} requests, seed ${doc.seed}, profile ${config.profile ?? 'default'}, conflict status ${config.conflictStatus ?? 409}, target ${doc.target.url}${doc.target.embedded ? ` (embedded reference service${doc.target.faults?.length ? `, faults ${doc.target.faults.join(' ')}` : ''})` : ''}${doc.partial ? ' — PARTIAL (interrupted)' : ''}`,
  ];
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    const at = checks.filter((c) => c.level === level);
    if (at.length === 0) continue;
    const failed = at.filter((c) => c.verdict === 'fail');
    const unknown = at.filter((c) => c.verdict === 'unknown');
    // Levels are effective ones: --profile strict and --level rules are already applied.
    const failWord = level === 'MUST' ? 'FAIL' : 'WARN';
    lines.push(`${level.padEnd(6)} ${at.length} checks: ${at.length - failed.length - unknown.length} pass, ${failed.length} ${failWord.toLowerCase()}, ${unknown.length} unknown`);
    for (const check of failed.slice(0, MAX_LISTED)) lines.push(...describe(check, failWord));
    if (failed.length > MAX_LISTED) lines.push(`  … and ${failed.length - MAX_LISTED} more failed ${level} checks (see result.json)`);
    for (const check of unknown.slice(0, MAX_LISTED)) lines.push(`  ?    ${check.id} — ${check.detail ?? 'undecided'}`);
  }
  const off = config.levels?.off ?? [];
  if (off.length > 0) lines.push(`OFF    ${off.length} checks off (level rules), not run: ${off.slice(0, 5).join(', ')}${off.length > 5 ? `, … (${off.length - 5} more)` : ''}`);
  lines.push(`verdict: ${doc.verdict.toUpperCase()}${doc.verdictReasons.length ? ` — ${doc.verdictReasons.join('; ')}` : ''}`);
  if (resultPath) lines.push(`result: ${resultPath}`);
  return `${lines.join('\n')}\n`;
}

function describe(check: CheckResult, word: string): string[] {
  const o = check.observed;
  const observed = o === undefined ? 'nothing' : o.status !== undefined ? String(o.status) : `no answer (${o.error ?? '?'})`;
  const lines = [`  ${word} ${check.id}${origin(check)} — expected ${check.expected}, observed ${observed}${check.detail ? ` (${check.detail})` : ''}`];
  if (o?.headers?.['content-type']) lines.push(`       content-type: ${o.headers['content-type']}`);
  if (o?.bodyExcerpt) lines.push(`       body: ${oneLine(o.bodyExcerpt, 160)}`);
  if (check.curl) lines.push(`       reproduce: ${check.curl}`);
  return lines;
}

/** Why a check has its level, when not simply from its source: ` [strict profile]`, ` [override SCHEMA-400.*]`. */
function origin(check: CheckResult): string {
  if (check.levelFrom === 'profile') return ' [strict profile]';
  if (check.levelFrom === 'override') return ` [override ${check.levelRule ?? '?'}]`;
  return '';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
