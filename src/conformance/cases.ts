// The requests of the suite, built from the generators: realistic valid profiles (edge-but-valid ones too), one
// request per labelled mutation, the media-type, size and method cases, and the fuzz round. Each request can be
// rebuilt around a spare, never-sent ID, so the curl command of a failure reproduces it even against a target that
// stored the first one.

import { createPayloadPool, type PayloadPool } from '../../generators/pool.ts';
import { mutationCatalogue, mutate } from '../../generators/mutations.ts';
import { profile } from '../../generators/profile.ts';
import { ISO_3166_1_ALPHA_2 } from '../contract/countries.ts';
import { CONTRACT_LIMITS, type UserProfile } from '../contract/user-profile-schema.ts';
import { isValidUserProfile } from '../contract/validators.ts';
import { CONFORM_DEFAULTS } from '../defaults.ts';
import { INSTANCE_BASES, instance, mutationInstances, type CheckBasis, type CheckInstance } from './catalogue.ts';
import { fuzzCases } from './fuzz.ts';
import type { Exchange, WireRequest } from './http-exchange.ts';

export const ROUTE = '/user-profiles';
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** How one answer is judged. `unknown`: it cannot be decided from this answer (the target went away). */
export interface Judgement {
  verdict: 'pass' | 'fail' | 'unknown';
  detail?: string;
}

/** One request of a check, and how to rebuild it around a spare ID for the curl command. */
export interface PlannedRequest {
  request: WireRequest;
  repro(): WireRequest;
  /** Names the request inside a check with many (a country, a fuzz case). */
  label?: string;
}

/** A check instance judged from its own requests: it fails when any of them fails. */
export interface RequestCheck {
  check: CheckInstance;
  /** What was expected, in words. */
  expected: string;
  requests: PlannedRequest[];
  judge(exchange: Exchange): Judgement;
}

export interface SuitePlan {
  checks: RequestCheck[];
  /** Fresh valid bodies, and the same body for a given ID (the duplicate checks). */
  pool: PayloadPool;
}

/** A registration body as bytes. */
const bytes = (body: UserProfile | Record<string, unknown>) => Buffer.from(JSON.stringify(body));
const post = (body: Buffer, headers: Array<[string, string]> = [JSON_TYPE]): WireRequest => ({ method: 'POST', path: ROUTE, headers, body });

/** No answer: a refused connection means the target went away (unknown); a timeout or a reset is a finding. */
export function noAnswer(exchange: Exchange): Judgement | undefined {
  if (exchange.status !== undefined) return undefined;
  if (exchange.error === 'ECONNREFUSED') return { verdict: 'unknown', detail: 'connection refused: the target went away' };
  return { verdict: 'fail', detail: exchange.error === 'timeout' ? 'no answer within the timeout' : `no answer (${exchange.error ?? 'unknown error'})` };
}

export function expectStatus(status: number): (exchange: Exchange) => Judgement {
  return (exchange) => noAnswer(exchange) ?? (exchange.status === status ? { verdict: 'pass' } : { verdict: 'fail', detail: `answered ${exchange.status}, expected ${status}` });
}

export function expectClientError(exchange: Exchange): Judgement {
  const none = noAnswer(exchange);
  if (none) return none;
  const status = exchange.status!;
  if (status >= 400 && status < 500) return { verdict: 'pass' };
  return { verdict: 'fail', detail: status >= 500 ? `answered ${status}: a server error for a client's mistake` : `answered ${status}: the invalid body was not refused` };
}

/** Build the plan; pure function of the seed and the fuzz count (no network). */
export function buildSuite(seed: number, fuzz: number): SuitePlan {
  const pool = createPayloadPool({ seed, templates: 32 });
  const freshId = () => pool.next().id;
  const checks: RequestCheck[] = [];

  // Positive cases: realistic profiles and edge-but-valid ones, each under a fresh ID (a spare one for the curl).
  const created = expectStatus(201);
  // Realistic profiles rest on the spec (MUST); edge-but-valid ones on the contract that makes them valid (SHOULD).
  const positive = (suffix: string | undefined, what: string, build: (id: string) => Buffer, basis?: CheckBasis) => {
    const requests = [{ request: post(valid(build(freshId()), what)), repro: () => post(build(freshId())) }];
    checks.push({ check: instance('create', suffix, what, basis), expected: '201', requests, judge: created });
  };
  const edge = INSTANCE_BASES.edgeProfile;
  positive(undefined, 'a realistic profile', (id) => bytes(profile({ seed, userProfileId: id })));
  positive('realistic-2', 'another realistic profile (uniform country, up to 10 events)', (id) =>
    bytes(profile({ seed: seed + 1, userProfileId: id, countries: 'uniform', eventCount: { min: 1, max: 10, shape: 'uniform' } })));
  positive('realistic-3', 'a profile with one audit event', (id) => bytes(profile({ seed: seed + 2, userProfileId: id, eventCount: { min: 1, max: 1, shape: 'uniform' } })));
  positive('minimal', 'only the required properties', (id) => bytes({ userProfileId: id, countryCode: 'US' }), edge);
  positive('max-events', `${CONTRACT_LIMITS.maxAuditEvents} audit events (the most allowed)`, (id) =>
    bytes(profile({ seed, userProfileId: id, eventCount: { min: CONTRACT_LIMITS.maxAuditEvents, max: CONTRACT_LIMITS.maxAuditEvents, shape: 'uniform' } })), edge);
  positive('long-strings', `labels of ${CONTRACT_LIMITS.maxLabelLength} and versions of ${CONTRACT_LIMITS.maxVersionLength} code points, non-ASCII`, (id) =>
    bytes(longStrings(profile({ seed: seed + 3, userProfileId: id, eventCount: { min: 2, max: 2, shape: 'uniform' } }))), edge);
  positive('upper-case-id', 'a new ID written in upper case', (id) => bytes(profile({ seed: seed + 4, userProfileId: id.toUpperCase() })), INSTANCE_BASES.upperCaseId);
  const countryBody = (country: string, id: string) => bytes({ ...profile({ seed, userProfileId: id }), countryCode: country });
  checks.push({
    check: instance('create', 'every-country', `every one of the ${ISO_3166_1_ALPHA_2.length} ISO 3166-1 alpha-2 country codes`, edge),
    expected: '201 for each country',
    requests: ISO_3166_1_ALPHA_2.map((country) => ({ label: country, request: post(valid(countryBody(country, freshId()), country)), repro: () => post(countryBody(country, freshId())) })),
    judge: created,
  });

  // Negative cases: every labelled mutation of the catalogue, each applied to a body with a fresh ID.
  const cases = mutationCatalogue();
  const instances = mutationInstances(cases);
  for (const c of cases) {
    checks.push({
      check: instances.get(c.label)!,
      expected: 'a 4xx (400 or 422 preferred), not 2xx or 5xx',
      requests: [{ label: c.label, request: post(mutate(pool.next().body, c.label).body), repro: () => post(mutate(pool.next().body, c.label).body) }],
      judge: expectClientError,
    });
  }

  // Media types: a valid body with a fresh ID, sent as something other than JSON.
  const mediaTypes: Array<[string, string | undefined]> = [
    ['missing', undefined], ['text-plain', 'text/plain'], ['form-urlencoded', 'application/x-www-form-urlencoded'], ['xml', 'application/xml'],
  ];
  for (const [suffix, type] of mediaTypes) {
    const headers: Array<[string, string]> = type === undefined ? [] : [['Content-Type', type]];
    checks.push({
      check: instance('contentType', suffix, type === undefined ? 'no Content-Type at all' : `Content-Type ${type}`),
      expected: '415',
      requests: [{ request: post(pool.next().body, headers), repro: () => post(pool.next().body, headers) }],
      judge: expectStatus(415),
    });
  }

  // Size: a body over the limit (JSON, padded), declared with Content-Length.
  const oversize = (id: string) => {
    const head = `{"countryCode":"US","userProfileId":"${id}","padding":"`;
    return Buffer.from(`${head}${'x'.repeat(CONFORM_DEFAULTS.oversizeBodyBytes - head.length - 2)}"}`);
  };
  checks.push({
    check: instance('size', undefined, `a ${CONFORM_DEFAULTS.oversizeBodyBytes / 1024 / 1024} MiB body`),
    expected: '413',
    requests: [{ request: post(oversize(freshId())), repro: () => post(oversize(freshId())) }],
    judge: expectStatus(413),
  });

  // Methods other than POST.
  const allowsPost = (exchange: Exchange): Judgement => {
    const none = noAnswer(exchange);
    if (none) return none;
    if (exchange.status !== 405) return { verdict: 'fail', detail: `answered ${exchange.status}, expected 405` };
    const allow = exchange.headers.allow;
    if (allow === undefined) return { verdict: 'fail', detail: '405 without an Allow header' };
    const methods = allow.split(',').map((m) => m.trim().toUpperCase());
    return methods.includes('POST') ? { verdict: 'pass' } : { verdict: 'fail', detail: `Allow: ${allow} does not list POST` };
  };
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    const withBody = method === 'PUT' || method === 'PATCH';
    const build = (): WireRequest => (withBody ? { method, path: ROUTE, headers: [JSON_TYPE], body: pool.next().body } : { method, path: ROUTE, headers: [] });
    checks.push({ check: instance('method', method, `${method} /user-profiles`), expected: '405 with Allow: POST', requests: [{ request: build(), repro: build }], judge: allowsPost });
  }

  // The fuzz round: one check over all its requests (a failure shows the first offending one).
  if (fuzz > 0) {
    const noServerError = (exchange: Exchange): Judgement => {
      const none = noAnswer(exchange);
      if (none) return none;
      return exchange.status! >= 500 ? { verdict: 'fail', detail: `answered ${exchange.status}` } : { verdict: 'pass' };
    };
    checks.push({
      check: instance('noServerError', undefined, `${fuzz} seeded hostile requests`),
      expected: 'no 5xx, an answer within the timeout',
      requests: fuzzCases(seed, fuzz).map((f, i) => ({ label: `#${i} ${f.description}`, request: f.build(pool.next().body), repro: () => f.build(pool.next().body) })),
      judge: noServerError,
    });
  }
  return { checks, pool };
}

/** The checks judged over the answers of the whole run, after every request (in report order). */
export const AGGREGATE_CHECKS = ['noServerErrorAny', 'problemJson', 'problemStatus', 'noHang'] as const;

let catalogue: CheckInstance[] | undefined;

/** Every check instance of the suite in run order (for --list and for matching --level patterns); no network. */
export function catalogueInstances(): readonly CheckInstance[] {
  if (catalogue === undefined) {
    // One fuzz request is enough to list NO-5XX-FUZZ; the IDs do not depend on the seed or the fuzz count.
    const plan = buildSuite(0, 1);
    const creates = plan.checks.filter((c) => c.check.family.id === 'CREATE-201').map((c) => c.check);
    catalogue = [
      ...creates,
      instance('dup4xx'), instance('dup409'), instance('dupCanonical'),
      // The fuzz check's title names the count of this run: listed with its family's title instead.
      ...plan.checks.filter((c) => c.check.family.id !== 'CREATE-201').map((c) => (c.check.family.id === 'NO-5XX-FUZZ' ? instance('noServerError') : c.check)),
      ...AGGREGATE_CHECKS.map((key) => instance(key)),
    ];
  }
  return catalogue;
}

/** Positive bodies are checked against the contract before anything is sent: a bug here is stampede's, not the target's. */
function valid(body: Buffer, what: string): Buffer {
  if (!isValidUserProfile(JSON.parse(body.toString('utf8')))) throw new Error(`stampede conform: the positive case "${what}" is not valid under the contract`);
  return body;
}

/** Every label at the longest allowed length and every version at its longest, in code points (astral ones included). */
function longStrings(p: UserProfile): UserProfile {
  const text = (n: number) => Array.from({ length: n }, (_, i) => ['é', '😀', 'a', '中'][i % 4]).join('');
  const copy = structuredClone(p) as unknown as { sdkVersion?: string; sdkAuditEvents?: Array<Record<string, unknown>> };
  copy.sdkVersion = text(CONTRACT_LIMITS.maxVersionLength);
  for (const event of copy.sdkAuditEvents ?? []) {
    for (const key of ['logRequestFlow', 'logEvent', 'logEventType', 'osVersion', 'deviceMake', 'type']) event[key] = text(CONTRACT_LIMITS.maxLabelLength);
    event.softwareVersion = text(CONTRACT_LIMITS.maxVersionLength);
  }
  return copy as unknown as UserProfile;
}
