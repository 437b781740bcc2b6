// One conformance run end to end: target, the duplicate steps, every planned request, the aggregate checks →
// CheckResult[] and the result document (engine 'conformance'), plus the body files the curl commands read.

import { CONFORM_DEFAULTS } from '../defaults.ts';
import { acquireTarget, type RunTarget } from '../engines/target.ts';
import { InternalError, InvalidOptionError, oneLine, StampedeError, TargetUnreachableError } from '../errors.ts';
import type { ConformOptions } from '../options/conform-options.ts';
import { redactHeaders } from '../result/redact.ts';
import { combineVerdicts, type CheckResult, type Outcome, type ResultDocument, type Verdict } from '../result/result-document.ts';
import { measurements, runHeader } from '../result/document-parts.ts';
import { RunStats } from '../result/run-stats.ts';
import { instance, type CheckInstance } from './catalogue.ts';
import { AGGREGATE_CHECKS, buildSuite, type Judgement, type PlannedRequest, type RequestCheck } from './cases.ts';
import { curlCommand, fileStemFor, type BodyFile } from './curl.ts';
import { aggregateChecks } from './aggregate-checks.ts';
import { duplicateChecks } from './duplicate-checks.ts';
import { createExchangeClient, type Exchange, type WireRequest } from './http-exchange.ts';
import type { Evaluated, Judged } from './judged.ts';
import { describeRules, effectiveLevel } from './levels.ts';
import { targetBrokenAfter } from './target-broken.ts';

export interface ConformRunHooks {
  toolVersion: string;
  /** The directory result.json goes to (body files go beside it); absolute paths make the curl commands runnable anywhere. */
  resultDirectory: string;
  onPhase?: (phase: string) => void;
  /** Aborting (Ctrl-C) stops sending; the document is partial. */
  signal?: AbortSignal;
}

export interface ConformRun {
  document: ResultDocument;
  /** Files the curl commands read (large or binary bodies), relative to the result directory. */
  bodyFiles: BodyFile[];
}

export async function runConformance(options: ConformOptions, hooks: ConformRunHooks): Promise<ConformRun> {
  const started = new Date();
  let target: RunTarget;
  try {
    target = await acquireTarget(options, hooks.onPhase);
  } catch (error) {
    throw asUnreachable(error, options.target);
  }
  const { url } = target;

  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const client = createExchangeClient(url, { timeoutMs: options.timeoutMs, insecure: options.insecure, clock, maxSockets: CONFORM_DEFAULTS.concurrency });
  const stats = new RunStats();
  const all: Judged[] = [];
  // A target that answers nothing (no HTTP status at all) stops the run early: no check can be judged on it.
  const silence = new AbortController();
  let answeredAny = false;
  const withUserHeaders = (request: WireRequest): WireRequest => ({ ...request, headers: [...request.headers, ...options.headers] });
  const send = async (checkId: string, planned: PlannedRequest, judge: (exchange: Exchange) => Judgement): Promise<Judged> => {
    const request = withUserHeaders(planned.request);
    stats.sent(clock());
    const exchange = await client.send(request);
    const judgement = judge(exchange);
    const outcome = outcomeOf(exchange, judgement);
    stats.answered(outcome, exchange.durationMs, exchange.answeredAt, exchange.status, exchange.error);
    const judged = { checkId, exchange, planned: { ...planned, repro: () => withUserHeaders(planned.repro()) }, judgement };
    all.push(judged);
    if (exchange.status !== undefined) answeredAny = true;
    else if (!answeredAny && all.length >= CONFORM_DEFAULTS.silentGiveUp) silence.abort();
    return judged;
  };

  try {
    hooks.onPhase?.(`building the suite (seed ${options.seed}, fuzz ${options.fuzz})`);
    const plan = buildSuite(options.seed, options.fuzz);
    const levelOf = (check: CheckInstance) => effectiveLevel(check, options.profile, options.levels);
    const on = (check: CheckInstance) => levelOf(check).level !== 'OFF';
    const planned = plan.checks.filter((c) => on(c.check));
    const evaluated: Evaluated[] = [];

    const results = new Map<RequestCheck, Judged[]>();
    /** A bug of stampede while sending: the checks judged so far are still reported (partial), then InternalError. */
    let internal: unknown;
    try {
      const duplicates = (['dup4xx', 'dup409', 'dupCanonical'] as const).map((key) => instance(key)).filter(on);
      if (duplicates.length > 0) {
        hooks.onPhase?.('duplicate checks');
        const steps = await duplicateChecks(plan.pool, options.conflictStatus, send, duplicates.some((c) => c.family.id === 'DUP-CANONICAL-ID'));
        evaluated.push(...steps.filter((e) => on(e.check)));
      }

      const total = planned.reduce((sum, c) => sum + c.requests.length, 0);
      hooks.onPhase?.(`${planned.length} checks, ${total} requests`);
      const queue = planned.flatMap((check) => check.requests.map((request) => ({ check, planned: request })));
      let next = 0;
      let failure: { error: unknown } | undefined;
      const worker = async () => {
        try {
          while (next < queue.length && !hooks.signal?.aborted && !silence.signal.aborted && failure === undefined) {
            const item = queue[next++]!;
            const judged = await send(item.check.check.id, item.planned, item.check.judge);
            const list = results.get(item.check) ?? [];
            list.push(judged);
            results.set(item.check, list);
          }
        } catch (error) {
          // Every worker stops at its next request; the error goes on once none is sending.
          failure ??= { error };
        }
      };
      await Promise.all(Array.from({ length: CONFORM_DEFAULTS.concurrency }, worker));
      if (failure) throw failure.error;
    } catch (error) {
      if (error instanceof StampedeError) throw error;
      internal = error;
    }
    for (const check of planned) evaluated.push(evaluateRequestCheck(check, results.get(check) ?? []));

    evaluated.push(...aggregateChecks(all).filter((e) => on(e.check)));
    // Not one HTTP answer: whatever each check saw (timeouts, resets, not HTTP) says nothing about the contract.
    const silent = all.length > 0 && !answeredAny;
    if (silent) {
      for (const e of evaluated) {
        e.verdict = 'unknown';
        e.detail = 'no request of the run got an HTTP answer';
      }
    }
    for (const e of evaluated) e.level = levelOf(e.check);
    const broken = targetBrokenAfter(all.map((j) => ({ checkId: j.checkId, answeredAt: j.exchange.answeredAt, ...(j.exchange.status !== undefined ? { status: j.exchange.status } : {}) })));

    const interrupted = (hooks.signal?.aborted ?? false) || internal !== undefined;
    const loadEnded = clock();
    const bodyFiles: BodyFile[] = [];
    const stems = new Set<string>();
    const secretHeaders = new Set(options.headers.map(([name]) => name.toLowerCase()));
    const checks = evaluated.map((e) => toCheckResult(e, (request, id) => {
      const curl = curlCommand(request, fileStemFor(id, stems), { base: url, secretHeaders, resultDirectory: hooks.resultDirectory, timeoutMs: options.timeoutMs });
      if (curl.bodyFile) bodyFiles.push(curl.bodyFile);
      return curl;
    }));
    const { verdict, reasons } = conformVerdict(checks);
    if (silent) reasons.unshift(`the target answered none of the ${all.length} request(s) sent (${errorTally(all)})${silence.signal.aborted ? '; the run stopped there' : ''}: it is not serving HTTP, so no check can be judged`);
    if (broken) {
      const marked = broken.checkId === undefined ? undefined : checks.find((c) => c.id === broken.checkId);
      if (marked) marked.followedByOnly5xx = broken.answersAfter;
      reasons.push(broken.reason);
    }
    const off = [...plan.checks.map((c) => c.check), ...catalogueExtras()].filter((c) => !on(c)).map((c) => c.id);
    const ended = new Date();
    const counts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
    for (const j of all) {
      counts.sent++;
      counts[outcomeOf(j.exchange, j.judgement)]++;
    }
    const document: ResultDocument = {
      ...runHeader({
        engine: 'conformance',
        toolVersion: hooks.toolVersion,
        seed: options.seed,
        target: target.describe(),
        config: {
          profile: options.profile,
          conflictStatus: options.conflictStatus,
          fuzz: options.fuzz,
          timeoutMs: options.timeoutMs,
          concurrency: CONFORM_DEFAULTS.concurrency,
          headers: redactHeaders(options.headers),
          insecure: options.insecure,
          ...(options.levels.length > 0 ? { levels: { rules: describeRules(options.levels), off } } : {}),
        },
        started,
        ended,
        partialReason:
          internal !== undefined ? `internal error of stampede (${oneLine(internal)}): the checks not yet sent are missing`
          : interrupted ? 'interrupted (Ctrl-C): the checks not yet sent are missing'
          : undefined,
      }),
      totals: { ...counts, byKind: {} },
      ...measurements(stats, { sent: counts.sent, sendingMs: loadEnded, model: 'closed' }),
      invariants: [],
      checks,
      verdict: interrupted && verdict === 'pass' ? 'unknown' : verdict,
      verdictReasons: interrupted ? ['interrupted before every check ran', ...reasons] : reasons,
    };
    if (internal !== undefined) throw new InternalError(oneLine(internal), { cause: internal, partial: document });
    return { document, bodyFiles };
  } finally {
    client.close();
    await target.release();
  }
}

/**
 * A given target that cannot be reached (checkReachable's InvalidOptionError) as TargetUnreachableError: a gate must not
 * read it as a wall of failures, and it is the target's trouble (unknown, exit 3), not a usage error. Else unchanged.
 */
export function asUnreachable(error: unknown, target: URL | undefined): unknown {
  if (!(error instanceof InvalidOptionError) || target === undefined || error.option !== '--target' || !error.rule.startsWith('cannot reach ')) return error;
  return new TargetUnreachableError(target.origin, { cause: new Error(error.rule.replace(/^cannot reach [^:]+:\/\/[^:]+(?::\d+)?: /, '')) });
}

/** The checks not planned by buildSuite: the duplicate steps and the aggregates. */
function catalogueExtras(): CheckInstance[] {
  return [...(['dup4xx', 'dup409', 'dupCanonical'] as const), ...AGGREGATE_CHECKS].map((key) => instance(key));
}

function evaluateRequestCheck(check: RequestCheck, judged: Judged[]): Evaluated {
  const failed = judged.filter((j) => j.judgement.verdict === 'fail');
  const unknown = judged.filter((j) => j.judgement.verdict === 'unknown');
  const base = { check: check.check, expected: check.expected };
  if (judged.length < check.requests.length && failed.length === 0) {
    return { ...base, verdict: 'unknown', ...(judged[0] ? { shown: judged[0] } : {}), detail: `only ${judged.length} of ${check.requests.length} requests were sent` };
  }
  const many = check.requests.length > 1;
  const describe = (list: Judged[], what: string) =>
    `${many ? `${list.length} of ${judged.length} requests ${what}; first: ${list[0]!.planned.label ?? ''}: ` : ''}${list[0]!.judgement.detail ?? ''}`;
  if (failed.length > 0) return { ...base, verdict: 'fail', shown: failed[0]!, detail: describe(failed, 'failed') };
  if (unknown.length > 0) return { ...base, verdict: 'unknown', shown: unknown[0]!, detail: describe(unknown, 'undecided') };
  return { ...base, verdict: 'pass', ...(judged[0] ? { shown: judged[0] } : {}), ...(many ? { detail: `${judged.length} requests, all as expected` } : {}) };
}

/**
 * A request's outcome in the document's terms: ok when its check passed on it, fail when it did not, indeterminate
 * for a 5xx or no answer (as everywhere in the result document; the check itself still counts a 5xx as a failure).
 */
function outcomeOf(exchange: Exchange, judgement: Judgement): Outcome {
  if (exchange.status === undefined || exchange.status >= 500 || judgement.verdict === 'unknown') return 'indeterminate';
  return judgement.verdict === 'pass' ? 'ok' : 'fail';
}

const RELEVANT_HEADERS = ['content-type', 'content-length', 'allow', 'location', 'connection', 'retry-after'];

function toCheckResult(e: Evaluated, curlFor: (request: WireRequest, id: string) => { command: string; bodyFile?: BodyFile }): CheckResult {
  const level = e.level ?? { level: e.check.level, from: 'default' };
  if (level.level === 'OFF') throw new Error(`toCheckResult: ${e.check.id} is off and must not be reported`);
  const result: CheckResult = {
    id: e.check.id,
    level: level.level,
    reference: e.check.reference,
    source: e.check.source,
    defaultLevel: e.check.level,
    levelFrom: level.from,
    ...(level.rule !== undefined ? { levelRule: level.rule } : {}),
    title: e.check.title,
    verdict: e.verdict,
    expected: e.expected,
  };
  const x = e.shown?.exchange;
  if (x) {
    const observed: NonNullable<CheckResult['observed']> = { durationMs: Math.round(x.durationMs * 1000) / 1000 };
    if (x.status !== undefined) observed.status = x.status;
    if (x.error !== undefined) observed.error = x.error;
    if (e.verdict !== 'pass') {
      const headers = Object.fromEntries(RELEVANT_HEADERS.filter((h) => x.headers[h] !== undefined).map((h) => [h, x.headers[h]!]));
      if (Object.keys(headers).length > 0) observed.headers = headers;
      if (x.body.length > 0) observed.bodyExcerpt = excerpt(x.body);
    }
    result.observed = observed;
  }
  if (e.detail) result.detail = e.detail;
  if (e.shown && e.verdict !== 'pass') {
    const curl = curlFor(e.shown.planned.repro(), e.check.id);
    result.curl = curl.command;
    if (curl.bodyFile) result.bodyFile = curl.bodyFile.path;
  }
  return result;
}

function excerpt(body: Buffer): string {
  const text = body.toString('utf8');
  return text.length > CONFORM_DEFAULTS.bodyExcerptChars ? `${text.slice(0, CONFORM_DEFAULTS.bodyExcerptChars)}…` : text;
}

/**
 * MUST failures fail; SHOULD failures are warnings and MAY failures notes. The levels are already effective ones
 * (--profile strict made every SHOULD a MUST unless a --level rule said otherwise).
 */
export function conformVerdict(checks: readonly CheckResult[]): { verdict: Verdict; reasons: string[] } {
  const verdicts: Verdict[] = [];
  const reasons: string[] = [];
  const list = (items: CheckResult[]) => `${items.slice(0, 5).map((c) => c.id).join(', ')}${items.length > 5 ? `, … (${items.length - 5} more)` : ''}`;
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    const failed = checks.filter((c) => c.level === level && c.verdict === 'fail');
    const unknown = checks.filter((c) => c.level === level && c.verdict === 'unknown');
    const binding = level === 'MUST';
    if (failed.length > 0) {
      if (binding) verdicts.push('fail');
      reasons.push(`${binding ? '' : level === 'SHOULD' ? 'warning: ' : 'note: '}${failed.length} ${level} check(s) failed: ${list(failed)}`);
    }
    if (unknown.length > 0) {
      if (binding) verdicts.push('unknown');
      reasons.push(`${binding ? '' : 'note: '}${unknown.length} ${level} check(s) could not be decided: ${list(unknown)}`);
    }
  }
  if (checks.length === 0) {
    verdicts.push('unknown');
    reasons.push('no check ran');
  }
  return { verdict: combineVerdicts(verdicts), reasons };
}

/** `timeout ×12, ECONNRESET ×4`: the error kinds of answers without a status. */
function errorTally(all: readonly Judged[]): string {
  const counts = new Map<string, number>();
  for (const j of all) if (j.exchange.status === undefined) counts.set(j.exchange.error ?? 'no answer', (counts.get(j.exchange.error ?? 'no answer') ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ×${n}`).join(', ');
}
