// One conformance run end to end: target, the duplicate steps, every planned request, the aggregate checks →
// CheckResult[] and the result document (engine 'conformance'), plus the body files the curl commands read.

import { CONFORM_DEFAULTS } from '../defaults.ts';
import { acquireTarget, type RunTarget } from '../engines/target.ts';
import { InvalidOptionError, TargetUnreachableError } from '../errors.ts';
import type { ConformOptions } from '../options/conform-options.ts';
import { redactHeaders } from '../result/redact.ts';
import { combineVerdicts, type CheckResult, type Outcome, type ResultDocument, type Verdict } from '../result/result-document.ts';
import { measurements, runHeader } from '../result/document-parts.ts';
import { RunStats } from '../result/run-stats.ts';
import { instance, type CheckInstance } from './catalogue.ts';
import { ROUTE, buildSuite, noAnswer, type Judgement, type PlannedRequest, type RequestCheck } from './cases.ts';
import { curlCommand, fileStemFor, type BodyFile } from './curl.ts';
import { createExchangeClient, type Exchange, type WireRequest } from './http-exchange.ts';

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

/** An answer, the check it belongs to, how it was judged, and how to rebuild it for curl. */
interface Judged {
  exchange: Exchange;
  planned: PlannedRequest;
  judgement: Judgement;
}

interface Evaluated {
  check: CheckInstance;
  expected: string;
  verdict: Verdict;
  /** The answer shown (the first failing one, or the first one). */
  shown?: Judged;
  detail?: string;
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

export async function runConformance(options: ConformOptions, hooks: ConformRunHooks): Promise<ConformRun> {
  const started = new Date();
  let target: RunTarget;
  try {
    target = await acquireTarget(options, hooks.onPhase);
  } catch (error) {
    // A gate must not read an unreachable target as a wall of failures: unknown (exit 3), one clear line.
    if (error instanceof InvalidOptionError && options.target) throw new TargetUnreachableError(options.target.origin, { cause: new Error(error.rule.replace(/^cannot reach [^:]+:\/\/[^:]+(?::\d+)?: /, '')) });
    throw error;
  }
  const { url } = target;

  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const client = createExchangeClient(url, { timeoutMs: options.timeoutMs, insecure: options.insecure, clock, maxSockets: CONFORM_DEFAULTS.concurrency });
  const stats = new RunStats();
  const all: Judged[] = [];
  const withUserHeaders = (request: WireRequest): WireRequest => ({ ...request, headers: [...request.headers, ...options.headers] });
  const send = async (planned: PlannedRequest, judge: (exchange: Exchange) => Judgement): Promise<Judged> => {
    const request = withUserHeaders(planned.request);
    stats.sent(clock());
    const exchange = await client.send(request);
    const judgement = judge(exchange);
    const outcome = outcomeOf(exchange, judgement);
    stats.answered(outcome, exchange.durationMs, exchange.answeredAt, exchange.status, exchange.error);
    const judged = { exchange, planned: { ...planned, repro: () => withUserHeaders(planned.repro()) }, judgement };
    all.push(judged);
    return judged;
  };

  try {
    hooks.onPhase?.(`building the suite (seed ${options.seed}, fuzz ${options.fuzz})`);
    const plan = buildSuite(options.seed, options.fuzz);
    const evaluated: Evaluated[] = [];

    hooks.onPhase?.('duplicate checks');
    evaluated.push(...(await duplicateChecks(plan.pool, options.conflictStatus, send)));

    const total = plan.checks.reduce((sum, c) => sum + c.requests.length, 0);
    hooks.onPhase?.(`${plan.checks.length} checks, ${total} requests`);
    const results = new Map<RequestCheck, Judged[]>();
    const queue = plan.checks.flatMap((check) => check.requests.map((planned) => ({ check, planned })));
    let next = 0;
    const worker = async () => {
      while (next < queue.length && !hooks.signal?.aborted) {
        const item = queue[next++]!;
        const judged = await send(item.planned, item.check.judge);
        const list = results.get(item.check) ?? [];
        list.push(judged);
        results.set(item.check, list);
      }
    };
    await Promise.all(Array.from({ length: CONFORM_DEFAULTS.concurrency }, worker));
    for (const check of plan.checks) evaluated.push(evaluateRequestCheck(check, results.get(check) ?? []));

    if (all.length > 0 && all.every((j) => j.exchange.status === undefined && j.exchange.error !== 'timeout')) {
      throw new TargetUnreachableError(url, { cause: new Error(`no request got an answer (${all[0]!.exchange.error})`) });
    }
    evaluated.push(...aggregateChecks(all));

    const interrupted = hooks.signal?.aborted ?? false;
    const loadEnded = clock();
    const bodyFiles: BodyFile[] = [];
    const stems = new Set<string>();
    const secretHeaders = new Set(options.headers.map(([name]) => name.toLowerCase()));
    const checks = evaluated.map((e) => toCheckResult(e, (request, id) => {
      const curl = curlCommand(request, fileStemFor(id, stems), { base: url, secretHeaders, resultDirectory: hooks.resultDirectory, timeoutMs: options.timeoutMs });
      if (curl.bodyFile) bodyFiles.push(curl.bodyFile);
      return curl;
    }));
    const { verdict, reasons } = conformVerdict(checks, options.profile === 'strict');
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
        },
        started,
        ended,
        partialReason: interrupted ? 'interrupted (Ctrl-C): the checks not yet sent are missing' : undefined,
      }),
      totals: { ...counts, byKind: {} },
      ...measurements(stats, { sent: counts.sent, sendingMs: loadEnded, model: 'closed' }),
      invariants: [],
      checks,
      verdict: interrupted && verdict === 'pass' ? 'unknown' : verdict,
      verdictReasons: interrupted ? ['interrupted before every check ran', ...reasons] : reasons,
    };
    return { document, bodyFiles };
  } finally {
    client.close();
    await target.release();
  }
}

/** Every check instance of the suite, in run order (for `--list`); no network. */
export function listInstances(): CheckInstance[] {
  const plan = buildSuite(0, CONFORM_DEFAULTS.fuzz);
  return [
    ...plan.checks.filter((c) => c.check.family.id === 'CREATE-201').map((c) => c.check),
    instance('dup4xx'), instance('dup409'), instance('dupCanonical'),
    ...plan.checks.filter((c) => c.check.family.id !== 'CREATE-201').map((c) => c.check),
    instance('problemJson'), instance('problemStatus'), instance('noHang'),
  ];
}

/** Register a fresh ID, re-send the very same bytes (a client retry), then the ID in upper case. */
async function duplicateChecks(
  pool: ReturnType<typeof buildSuite>['pool'],
  conflictStatus: number,
  send: (planned: PlannedRequest, judge: (exchange: Exchange) => Judgement) => Promise<Judged>,
): Promise<Evaluated[]> {
  const id = pool.next().id;
  const body = pool.withId(id).body;
  const request: WireRequest = { method: 'POST', path: ROUTE, headers: [JSON_TYPE], body };
  const setup = await send({ label: 'first registration', request, repro: () => request }, (x) => noAnswer(x) ?? (x.status! >= 200 && x.status! < 300 ? { verdict: 'pass' } : { verdict: 'fail', detail: `answered ${x.status}` }));
  const registered = setup.exchange.status !== undefined && setup.exchange.status >= 200 && setup.exchange.status < 300;
  const notRegistered = `the ID could not be registered first (answered ${setup.exchange.status ?? setup.exchange.error}), so a duplicate cannot be judged`;

  const judgeDuplicate = (accept: (status: number) => string | undefined) => (x: Exchange): Judgement => {
    const none = noAnswer(x);
    if (none) return none;
    const status = x.status!;
    if (status >= 500) return { verdict: 'fail', detail: `answered ${status}: a server error` };
    if (!registered) return { verdict: 'unknown', detail: notRegistered };
    const wrong = accept(status);
    return wrong === undefined ? { verdict: 'pass' } : { verdict: 'fail', detail: wrong };
  };
  const is4xx = (status: number) => (status >= 400 && status < 500 ? undefined : `answered ${status}: ${status < 300 ? 'the duplicate was accepted (a second profile)' : 'not a client error'}`);
  const duplicate = await send({ label: 'the same bytes again', request, repro: () => request }, judgeDuplicate(is4xx));
  const exact = judgeDuplicate((status) => (status === conflictStatus ? undefined : `answered ${status}, expected ${conflictStatus}`))(duplicate.exchange);

  const dupStatus = duplicate.exchange.status;
  const expectedCanonical = dupStatus !== undefined && dupStatus >= 400 && dupStatus < 500 ? dupStatus : conflictStatus;
  const upper: WireRequest = { method: 'POST', path: ROUTE, headers: [JSON_TYPE], body: pool.withId(id.toUpperCase()).body };
  const canonical = await send(
    { label: 'the ID in upper case', request: upper, repro: () => upper },
    judgeDuplicate((status) => (status === expectedCanonical ? undefined : `answered ${status}, expected ${expectedCanonical} as for the same ID in lower case${status < 300 ? ': a second profile for the same ID' : ''}`)),
  );
  const evaluate = (check: CheckInstance, expected: string, judged: Judged, judgement: Judgement): Evaluated => ({
    check,
    expected,
    verdict: judgement.verdict,
    shown: { ...judged, judgement },
    ...(judgement.detail ? { detail: judgement.detail } : {}),
  });
  return [
    evaluate(instance('dup4xx'), 'a 4xx', duplicate, duplicate.judgement),
    evaluate(instance('dup409'), String(conflictStatus), duplicate, exact),
    evaluate(instance('dupCanonical'), `${expectedCanonical} (as the lower-case duplicate)`, canonical, canonical.judgement),
  ];
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

/** Checks over every answer of the run: problem bodies, their status member, and hangs. */
function aggregateChecks(all: Judged[]): Evaluated[] {
  const mediaType = (x: Exchange) => (x.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const problemObject = (x: Exchange): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(x.body.toString('utf8'));
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const aggregate = (check: CheckInstance, expected: string, subjects: Judged[], judge: (x: Exchange) => string | undefined, none: string): Evaluated => {
    if (subjects.length === 0) return { check, expected, verdict: 'unknown', detail: none };
    const failures = subjects.map((j) => ({ j, why: judge(j.exchange) })).filter((f) => f.why !== undefined);
    if (failures.length === 0) return { check, expected, verdict: 'pass', detail: `${subjects.length} answers checked` };
    const first = failures[0]!;
    return {
      check,
      expected,
      verdict: 'fail',
      shown: { ...first.j, judgement: { verdict: 'fail', detail: first.why! } },
      detail: `${failures.length} of ${subjects.length} answers; first: ${first.j.planned.label ? `${first.j.planned.label}: ` : ''}${first.why}`,
    };
  };
  const clientErrors = all.filter((j) => j.exchange.status !== undefined && j.exchange.status >= 400 && j.exchange.status < 500);
  const problems = all.filter((j) => j.exchange.status !== undefined && mediaType(j.exchange) === 'application/problem+json');
  return [
    aggregate(instance('problemJson'), 'Content-Type: application/problem+json and a JSON object body', clientErrors, (x) => {
      if (mediaType(x) !== 'application/problem+json') return `${x.status} with Content-Type ${x.headers['content-type'] ?? '(none)'}`;
      return problemObject(x) === undefined ? `${x.status} with a problem body that is not a JSON object` : undefined;
    }, 'no 4xx answer was seen'),
    aggregate(instance('problemStatus'), 'the "status" member equals the HTTP status', problems, (x) => {
      const status = problemObject(x)?.status;
      return status === undefined || status === x.status ? undefined : `HTTP ${x.status} with "status": ${JSON.stringify(status)}`;
    }, 'no problem body was seen'),
    aggregate(instance('noHang'), 'an answer within --timeout', all, (x) => (x.error === 'timeout' ? `no answer within ${Math.round(x.durationMs)} ms` : undefined), 'nothing was sent'),
  ];
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
  const result: CheckResult = { id: e.check.id, level: e.check.family.level, reference: e.check.family.reference, title: e.check.title, verdict: e.verdict, expected: e.expected };
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

/** MUST failures fail; SHOULD failures fail only under --profile strict (warnings otherwise); MAY failures are notes. */
export function conformVerdict(checks: readonly CheckResult[], strict: boolean): { verdict: Verdict; reasons: string[] } {
  const verdicts: Verdict[] = [];
  const reasons: string[] = [];
  const list = (items: CheckResult[]) => `${items.slice(0, 5).map((c) => c.id).join(', ')}${items.length > 5 ? `, … (${items.length - 5} more)` : ''}`;
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    const failed = checks.filter((c) => c.level === level && c.verdict === 'fail');
    const unknown = checks.filter((c) => c.level === level && c.verdict === 'unknown');
    const binding = level === 'MUST' || (level === 'SHOULD' && strict);
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
