// What every writer shows, in words: number formats, check states, timelines and burst summaries from the document.

import type { Attempt, CheckResult, InvariantExample, RaceBurst, ResultDocument, Verdict } from '../src/result/result-document.ts';

/** A check as a report shows it: a failed SHOULD/MAY check that does not bind the verdict is a warning. */
export type CheckState = 'pass' | 'fail' | 'warn' | 'unknown';

/**
 * Characters illegal in XML 1.0 (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): removed from every
 * target-provided string, so the JUnit file stays well-formed and the HTML carries no control bytes.
 */
const ILLEGAL = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function cleanText(text: string): string {
  return text.replace(ILLEGAL, '\uFFFD');
}

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Milliseconds with about three significant digits: 0.412, 10.2, 123, 4,562. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms === 0) return '0';
  if (ms >= 100) return formatCount(ms);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(ms >= 1 ? 2 : 3);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatMs(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const formatShare = (share: number): string => `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;

export const formatRate = (perSecond: number): string => `${perSecond >= 100 ? formatCount(perSecond) : perSecond.toFixed(1)} req/s`;

export const formatUs = (us: number): string => `${us >= 100 ? formatCount(us) : us.toFixed(1)} µs`;

/** The --blocker line of a race summary, or undefined without a blocker. */
export function blockerSentence(race: NonNullable<ResultDocument['race']>): string | undefined {
  const b = race.blocker;
  if (!b) return undefined;
  const answers = Object.entries(b.answers).map(([answer, n]) => `${answer}: ${formatCount(n)}`).join(' · ') || 'none';
  return `Blocker: one ${formatCount(b.bytes)}-byte request per burst released ${formatCount(b.leadUs)} µs before the burst to keep the server busy (${formatCount(b.sent)} sent; answers ${answers}); not counted in the bursts.`;
}

export const VERDICT_WORD: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' };

/** True when some conformance configuration in the document (its own, a phase's, a gate's) asked for --profile strict. */
export function isStrictProfile(document: ResultDocument): boolean {
  const search = (value: unknown, depth: number): boolean => {
    if (value === null || typeof value !== 'object' || depth > 3) return false;
    const record = value as Record<string, unknown>;
    if (record.profile === 'strict') return true;
    return Object.values(record).some((inner) => search(inner, depth + 1));
  };
  return search(document.config, 0);
}

/**
 * MUST failures fail; SHOULD and MAY failures warn. A check's level is its effective one (`levelFrom` says whether
 * --profile strict or a --level rule set it); in documents written before levels were recorded (no `levelFrom`),
 * SHOULD checks bind under --profile strict.
 */
export function checkState(check: CheckResult, strict: boolean): CheckState {
  if (check.verdict === 'pass') return 'pass';
  const binding = check.level === 'MUST' || (check.levelFrom === undefined && check.level === 'SHOULD' && strict);
  if (check.verdict === 'unknown') return binding ? 'unknown' : 'warn';
  return binding ? 'fail' : 'warn';
}

/**
 * A check's level with where it came from, as the reports show it: `SHOULD · contract`, `MUST · spec`,
 * `MUST · recommended · strict profile (default SHOULD)`, `MUST · contract · override SCHEMA-400.* (default SHOULD)`.
 */
export function levelLabel(check: CheckResult): string {
  const parts: string[] = [check.level];
  if (check.source !== undefined) parts.push(check.source);
  const was = check.defaultLevel !== undefined && check.defaultLevel !== check.level ? ` (default ${check.defaultLevel})` : '';
  if (check.levelFrom === 'profile') parts.push(`strict profile${was}`);
  if (check.levelFrom === 'override') parts.push(`override ${check.levelRule ?? ''}${was}`.trim());
  return parts.join(' · ');
}

/** The checks that did not pass, failures first, then unknown, then warnings (catalogue order within each). */
export function notPassingChecks(document: ResultDocument): Array<{ check: CheckResult; state: CheckState }> {
  const strict = isStrictProfile(document);
  const order: Record<CheckState, number> = { fail: 0, unknown: 1, warn: 2, pass: 3 };
  return (document.checks ?? [])
    .map((check) => ({ check, state: checkState(check, strict) }))
    .filter((entry) => entry.state !== 'pass')
    .sort((a, b) => order[a.state] - order[b.state]);
}

export function countChecks(document: ResultDocument): Record<CheckState, number> {
  const strict = isStrictProfile(document);
  const counts: Record<CheckState, number> = { pass: 0, fail: 0, warn: 0, unknown: 0 };
  for (const check of document.checks ?? []) counts[checkState(check, strict)]++;
  return counts;
}

/** One line per attempt: `+13.892 ms duplicate → 201 at 55.291 ms (fail)`. */
export function timelineLines(example: InvariantExample): string[] {
  const sent = example.timeline.map((attempt) => `sent ${formatMs(attempt.sentAt)} ms`);
  const width = Math.max(0, ...sent.map((s) => s.length));
  return example.timeline.map((attempt, i) => `${sent[i]!.padEnd(width)}  ${attemptLine(attempt)}`);
}

function attemptLine(attempt: Attempt): string {
  const answer = attempt.status !== undefined ? String(attempt.status) : attempt.error !== undefined ? attempt.error : 'no answer';
  const at = attempt.answeredAt !== undefined ? ` at ${formatMs(attempt.answeredAt)} ms` : '';
  const spelled = attempt.sentId !== undefined ? ` as ${attempt.sentId}` : '';
  const outcome = attempt.outcome !== undefined ? ` (${attempt.outcome})` : '';
  return `${attempt.kind.padEnd(9)}${spelled} → ${answer}${at}${outcome}`;
}

/** How many bursts got each number of 2xx answers, ascending: [[1, 2], [32, 8]] reads "1 success: 2 bursts". */
export function successesHistogram(bursts: readonly RaceBurst[]): Array<[successes: number, bursts: number]> {
  const counts = new Map<number, number>();
  for (const burst of bursts) counts.set(burst.successes, (counts.get(burst.successes) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b);
}

/** `201 ×3 · 409 ×29`: a burst's statuses by count (0 is no answer). */
export function statusSummary(statuses: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s === 0 ? 'no answer' : s} ×${n}`).join(' · ');
}

/** The target in one line: URL, and whether stampede embedded the reference service (with its faults). */
export function describeTarget(document: ResultDocument): string {
  const { target } = document;
  if (!target.embedded) return target.url;
  const faults = target.faults?.length ? `, faults ${target.faults.join(' ')}` : '';
  return `${target.url} (embedded reference service${faults})`;
}

const ENGINE_WORD: Record<ResultDocument['engine'], string> = {
  http1: 'load run (stampede HTTP/1.1 engine)',
  autocannon: 'load run (closed model, autocannon)',
  undici: 'load run (open model, undici)',
  race: 'race bursts',
  k6: 'k6 load run',
  conformance: 'conformance suite',
  merged: 'merged k6 load run',
  combined: 'combined report',
};

export const describeEngine = (document: ResultDocument): string => ENGINE_WORD[document.engine];

/** Statuses and error kinds by count, largest first, as [label, count]. */
export function answerMix(document: ResultDocument): Array<[label: string, count: number, kind: 'status' | 'error']> {
  const rows: Array<[string, number, 'status' | 'error']> = [
    ...Object.entries(document.statuses).map(([status, n]) => [status, n, 'status'] as [string, number, 'status']),
    ...Object.entries(document.errors).map(([error, n]) => [error, n, 'error'] as [string, number, 'error']),
  ];
  return rows.sort((a, b) => b[1] - a[1]);
}
