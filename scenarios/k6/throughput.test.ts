// throughput.ts under the k6 stand-ins: bodies, IDs and duplicates, metadata, checks, thresholds, the result document.

import { afterEach, describe, expect, it } from 'vitest';
import { isValidUserProfile, resultDocumentViolations, userProfileViolations } from '../../src/contract/validators.ts';
import { correctService, loadScenario, range, unloadScenario } from './stand-ins/harness.ts';
import type { Responder } from './stand-ins/state.ts';

afterEach(unloadScenario);

const ENV = { RUN_ID: 'test-run', RATE: '10', DUP_RATIO: '0.2', TARGET_URL: 'http://127.0.0.1:9999' };

describe('throughput.ts', () => {
  it('sends valid bodies with unique IDs, except planned duplicates that repeat an earlier ID and its exact body', async () => {
    const k6 = await loadScenario('throughput', { env: ENV });
    const data = k6.module.setup();
    k6.run(data, range(600));
    const requests = k6.state.requests;
    expect(requests).toHaveLength(600);
    const firstBodies = new Map<string, string>();
    const order: string[] = [];
    for (const request of requests) {
      const body = JSON.parse(request.body) as { userProfileId: string; sdkAuditEvents?: Array<{ userProfileId: string }> };
      if (!isValidUserProfile(body)) expect(userProfileViolations(body)).toEqual([]);
      expect(body.userProfileId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      for (const event of body.sdkAuditEvents ?? []) expect(event.userProfileId).toBe(body.userProfileId);
      const id = body.userProfileId;
      if (request.metadata.attempt === 'first') {
        expect(firstBodies.has(id)).toBe(false); // a first attempt is a fresh ID
        firstBodies.set(id, request.body);
      } else {
        expect(request.metadata.attempt).toBe('duplicate');
        expect(firstBodies.get(id)).toBe(request.body); // a planned duplicate re-sends an earlier ID, same bytes
      }
      order.push(id);
    }
    const duplicates = requests.filter((r) => r.metadata.attempt === 'duplicate').length;
    // minGap = RATE × 1 s = 10 iterations cannot be duplicates; of the rest, DUP_RATIO ± 4 sd (n = 590, p = 0.2: sd ≈ 0.016).
    expect(duplicates / 590).toBeGreaterThan(0.2 - 0.07);
    expect(duplicates / 590).toBeLessThan(0.2 + 0.07);
    // A duplicate repeats an ID whose first attempt left at least minGap (10) iterations earlier: it should not overtake it.
    order.forEach((id, i) => {
      if (requests[i]!.metadata.attempt === 'duplicate') expect(order.indexOf(id)).toBeLessThanOrEqual(i - 10);
    });
  });

  it('sets metadata per request before it leaves (ID as sent, attempt, request_id, sent_at) and tags only the name', async () => {
    const k6 = await loadScenario('throughput', { env: ENV });
    const data = k6.module.setup();
    k6.run(data, range(40), { vus: 3, stepMs: 7 });
    const ids = new Set<string>();
    for (const request of k6.state.requests) {
      expect(Object.keys(request.metadata).sort()).toEqual(['attempt', 'profile_id', 'request_id', 'sent_at']);
      expect(request.metadata.profile_id).toBe((JSON.parse(request.body) as { userProfileId: string }).userProfileId);
      expect(request.metadata.sent_at).toBe(String(request.sentAt));
      expect(request.metadata.request_id).toMatch(/^[1-3]:[0-9]+$/);
      ids.add(request.metadata.request_id!);
      expect(request.tags).toEqual({ name: 'POST /user-profiles' });
      expect(request.url).toBe('http://127.0.0.1:9999/user-profiles');
      expect(request.headers['Content-Type']).toBe('application/json');
    }
    expect(ids.size).toBe(40);
    // After the request the metadata is removed: later samples of the iteration carry no stale ID.
    expect(k6.state.exec.vu.metrics.metadata).toEqual({});
  });

  it('declares the constant-arrival-rate scenario, the gates, and 201 + the conflict status as expected answers', async () => {
    const k6 = await loadScenario('throughput', { env: { ...ENV, DURATION: '2m', VUS: '20', MAX_VUS: '80', CONFLICT_STATUS: '422', P99_MS: '250', INSECURE: 'true' } });
    expect(k6.module.options.scenarios).toEqual({
      throughput: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2m', preAllocatedVUs: 20, maxVUs: 80 },
    });
    expect(k6.module.options.insecureSkipTLSVerify).toBe(true);
    expect(k6.module.options.thresholds).toEqual({
      http_req_duration: ['p(99)<250'],
      http_req_failed: ['rate<0.01'],
      stampede_duplicate_acknowledged: ['count==0'],
      stampede_wrong_answers: ['count==0'],
    });
    expect(k6.state.responseCallback).toEqual({ expected: [201, 422] });
    expect(k6.module.options.summaryTrendStats).toEqual(expect.arrayContaining(['p(50)', 'p(90)', 'p(99)', 'p(99.9)', 'max', 'avg', 'count']));
  });

  it('checks each answer against the ledger: 201 for a first, the conflict status for a duplicate; all thresholds hold', async () => {
    const k6 = await loadScenario('throughput', { env: ENV });
    const data = k6.module.setup();
    k6.run(data, range(300));
    const names = new Set(k6.state.checks.map((c) => c.name));
    expect([...names].sort()).toEqual(['duplicate → 409', 'first attempt → 201']);
    expect(k6.state.checks.every((c) => c.passed)).toBe(true);
    expect(k6.finish(data).failed).toEqual([]);
  });

  it('fails the duplicate gate when the service acknowledges a planned duplicate, and the ledger outcome is fail', async () => {
    const always201: Responder = () => ({ status: 201, durationMs: 3 });
    const k6 = await loadScenario('throughput', { env: ENV, responder: always201 });
    const data = k6.module.setup();
    k6.run(data, range(200));
    expect(k6.finish(data).failed.sort()).toEqual(['stampede_duplicate_acknowledged count==0', 'stampede_wrong_answers count==0']);
    expect(k6.state.checks.filter((c) => !c.passed).every((c) => c.name === 'duplicate → 409')).toBe(true);
  });

  it('writes a result document that validates against the schema, with totals, latency, statuses and a verdict from thresholds', async () => {
    let latency = 0;
    const k6 = await loadScenario('throughput', { env: { ...ENV, SUMMARY_OUT: 'out/k6.json' }, responder: correctService(409, () => (latency = (latency % 50) + 1)) });
    const data = k6.module.setup();
    k6.run(data, range(250));
    const { outputs, document } = k6.finish(data);
    expect(Object.keys(outputs).sort()).toEqual(['out/k6.json', 'stdout']);
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.engine).toBe('k6');
    expect(document.runId).toBe('test-run');
    const duplicates = k6.state.requests.filter((r) => r.metadata.attempt === 'duplicate').length;
    expect(document.totals).toEqual({
      sent: 250, ok: 250, fail: 0, indeterminate: 0,
      byKind: { first: { sent: 250 - duplicates, ok: 250 - duplicates, fail: 0, indeterminate: 0 }, duplicate: { sent: duplicates, ok: duplicates, fail: 0, indeterminate: 0 } },
    });
    expect(document.statuses).toEqual({ '201': 250 - duplicates, '409': duplicates });
    expect(document.latency.overall.count).toBe(250);
    expect(document.latency.overall.max).toBe(50);
    expect(document.latency.overall.p50).toBeCloseTo(25.5, 0);
    expect(document.latency.model).toBe('open');
    expect(document.invariants.map((i: { id: string; verdict: string; detail: string }) => [i.id, i.verdict, i.detail])).toEqual(
      ['U1', 'U2', 'U3', 'U4'].map((id) => [id, 'unknown', 'per-ID invariants need the --out json file: run `stampede merge`']),
    );
    expect(document.verdict).toBe('pass');
    expect(document.thresholds.map((t: { verdict: string }) => t.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(document.config).toMatchObject({ scenario: 'throughput', rate: 10, dupRatio: 0.2, corpus: 'built-in' });
    expect(outputs.stdout).toContain('verdict     PASS');
  });

  it('records no answer as indeterminate with its error kind, and fails the error-rate gate', async () => {
    let n = 0;
    const flaky: Responder = () => (++n % 4 === 0 ? { status: 0, errorCode: 1050, durationMs: 10000 } : { status: 503, durationMs: 2 });
    const k6 = await loadScenario('throughput', { env: { ...ENV, HEADERS: '{"Authorization":"Bearer secret-token"}' }, responder: flaky });
    const data = k6.module.setup();
    k6.run(data, range(40));
    expect(k6.state.requests[0]!.headers.Authorization).toBe('Bearer secret-token');
    const { outputs, document } = k6.finish(data);
    expect(outputs['k6-result.json']).not.toContain('secret-token');
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.totals).toMatchObject({ sent: 40, ok: 0, fail: 0, indeterminate: 40 });
    expect(document.errors).toEqual({ timeout: 10 });
    expect(document.statuses).toEqual({ '503': 30 });
    expect(document.config.headers).toEqual({ Authorization: '<redacted>' });
    expect(document.verdict).toBe('fail');
    expect(document.verdictReasons.join('\n')).toMatch(/threshold failed: share of unexpected answers/);
  });

  it('validates every body of the built-in set against the contract', async () => {
    const k6 = await loadScenario('throughput', { env: ENV });
    const data = k6.module.setup();
    k6.run(data, range(8));
    const countries = new Set(k6.state.requests.map((r) => (JSON.parse(r.body) as { countryCode: string }).countryCode));
    expect(countries.size).toBe(4);
    for (const request of k6.state.requests) expect(isValidUserProfile(JSON.parse(request.body))).toBe(true);
  });
});
