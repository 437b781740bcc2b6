// Several k6 instances of one run (execution segments): disjoint fresh IDs, planned duplicates across instances.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { K6LineWriter } from '../../src/engines/k6/fixtures/k6-lines.ts';
import { mergeK6Outputs } from '../../src/engines/k6/merge-run.ts';
import { runKey } from './lib/ids.ts';
import { minGapFor } from './lib/load-scenario.ts';
import { planIteration } from './lib/register.ts';
import { countOf } from './lib/summary-data.ts';
import { correctService, loadScenario, range, unloadScenario } from './stand-ins/harness.ts';
import type { RecordedRequest, Responder } from './stand-ins/state.ts';

afterEach(unloadScenario);

/** The requests one instance sends for these iterationInTest values (k6 stripes iterations over segments). */
async function instance(runId: string, iterations: number[]) {
  const k6 = await loadScenario('throughput', { env: { RUN_ID: runId, RATE: '10', DUP_RATIO: '0.3' } });
  k6.run(k6.module.setup(), iterations);
  const requests = k6.state.requests.map((r) => ({ id: r.metadata.profile_id!, attempt: r.metadata.attempt! }));
  unloadScenario();
  return requests;
}

describe('RUN_ID across instances', () => {
  it('gives two segments of one run disjoint fresh IDs, and duplicates that repeat the other instance\'s IDs', async () => {
    const all = range(400);
    const a = await instance('nightly-7', all.filter((i) => i % 2 === 0));
    const b = await instance('nightly-7', all.filter((i) => i % 2 === 1));
    const firstsA = a.filter((r) => r.attempt === 'first').map((r) => r.id);
    const firstsB = b.filter((r) => r.attempt === 'first').map((r) => r.id);
    expect(new Set([...firstsA, ...firstsB]).size).toBe(firstsA.length + firstsB.length);
    // Every duplicate repeats an ID some instance sent as a first attempt; some repeat the other instance's.
    const dupsA = a.filter((r) => r.attempt === 'duplicate').map((r) => r.id);
    const dupsB = b.filter((r) => r.attempt === 'duplicate').map((r) => r.id);
    for (const id of [...dupsA, ...dupsB]) expect(firstsA.includes(id) || firstsB.includes(id)).toBe(true);
    expect(dupsA.filter((id) => firstsB.includes(id)).length).toBeGreaterThan(0);
    expect(dupsB.filter((id) => firstsA.includes(id)).length).toBeGreaterThan(0);
    // The same split run once gives exactly the same requests: instances agree without talking.
    const whole = await instance('nightly-7', all);
    expect(whole.filter((_, i) => i % 2 === 0)).toEqual(a);
  });

  it('gives another RUN_ID other IDs', async () => {
    const a = await instance('run-a', range(100));
    const b = await instance('run-b', range(100));
    const idsA = new Set(a.map((r) => r.id));
    expect(b.filter((r) => idsA.has(r.id))).toEqual([]);
  });
});

/** One stand-in k6 instance of a segmented run: its iterations against `responder`, its summary and requests. */
async function segment(runId: string, executionSegment: string, iterations: number[], responder: Responder) {
  const k6 = await loadScenario('throughput', { env: { RUN_ID: runId, RATE: '10', DUP_RATIO: '0.3' }, responder });
  k6.state.exec.test.options = { executionSegment };
  const data = k6.module.setup();
  k6.run(data, iterations, { vus: 1 });
  const result = k6.finish(data);
  const requests = k6.state.requests;
  unloadScenario();
  return { ...result, requests };
}

/** The k6 --out json lines of an instance's requests, as k6 would have written them. */
function outJson(requests: RecordedRequest[], name: string): string {
  const w = new K6LineWriter();
  for (const r of requests) {
    const durationMs = r.response.durationMs ?? 1;
    w.request({ id: r.metadata.profile_id!, attempt: r.metadata.attempt as 'first' | 'duplicate', requestId: r.metadata.request_id!, sentAt: r.sentAt, endAt: r.sentAt + durationMs, durationMs, status: r.response.status });
  }
  const path = join(outDir, name);
  writeFileSync(path, w.text());
  return path;
}
const outDir = mkdtempSync(join(tmpdir(), 'stampede-segments-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('per-instance thresholds on acknowledged planned duplicates', () => {
  const plan = { ratio: 0.3, minGap: minGapFor(10), window: 1000 };

  it("two instances where B's duplicate precedes A's first attempt: neither fails a threshold; the merged ledger passes", async () => {
    const key = runKey('cross-7');
    // An iteration of instance B (odd) that repeats the ID of an iteration of instance A (even).
    const i = range(400).find((k) => k % 2 === 1 && planIteration(key, plan, k).n % 2 === 0)!;
    const n = planIteration(key, plan, i).n;
    const service = correctService();
    // B starts first: its planned duplicate reaches the service before A's first attempt of the ID.
    const b = await segment('cross-7', '1/2:1', [i], service);
    const a = await segment('cross-7', '0:1/2', [n], service);
    expect(b.requests.map((r) => [r.metadata.attempt, r.response.status])).toEqual([['duplicate', 201]]);
    expect(a.requests.map((r) => [r.metadata.attempt, r.response.status])).toEqual([['first', 409]]);
    expect(b.requests[0]!.metadata.profile_id).toBe(a.requests[0]!.metadata.profile_id);

    // B did not send this ID first, so its 2xx is not "acknowledged twice" as far as B can know; A's conflict may be
    // another instance's doing: no threshold fails on either (U1–U4 across instances are stampede merge's job).
    expect(countOf(b.summary, 'stampede_duplicate_acknowledged')).toBe(0);
    expect(countOf(b.summary, 'stampede_wrong_answers') + countOf(a.summary, 'stampede_wrong_answers')).toBe(0);
    expect(b.failed).toEqual([]);
    expect(a.failed).toEqual([]);
    expect(countOf(a.summary, 'stampede_first_conflict')).toBe(1); // still counted, for the record
    expect([a.document.verdict, b.document.verdict]).toEqual(['pass', 'pass']);

    const merged = await mergeK6Outputs({ files: [outJson(a.requests, 'a.json'), outJson(b.requests, 'b.json')], conflictStatus: 409, maxIndeterminateShare: 0.01, probe: undefined }, { toolVersion: 'test' });
    expect(merged.invariants.map((inv) => [inv.id, inv.verdict])).toEqual([['U1', 'pass'], ['U2', 'pass'], ['U3', 'unknown'], ['U4', 'pass']]);
  });

  // (k6 VUs share no memory, so "this instance saw it" is, in k6, "this VU saw it"; the stand-ins run every VU in one
  // module, so a test here cannot show VUs apart.)
  it('counts a 2xx to a planned duplicate only when this instance sent the ID first and saw it acknowledged', async () => {
    const key = runKey('own-3');
    const acceptsDuplicates: Responder = () => ({ status: 201 });
    const iterations = range(200);
    const duplicates = iterations.filter((k) => planIteration(key, plan, k).n !== k);
    expect(duplicates.length).toBeGreaterThan(20);

    // It sent every first attempt and saw each acknowledged, so every 2xx to a duplicate counts.
    const one = await segment('own-3', '0:1', iterations, acceptsDuplicates);
    expect(countOf(one.summary, 'stampede_duplicate_acknowledged')).toBe(duplicates.length);
    expect(one.failed).toEqual(expect.arrayContaining(['stampede_duplicate_acknowledged count==0', 'stampede_wrong_answers count==0']));

    // A first attempt that was not acknowledged (503): the 2xx to its duplicate is the first creation, not a second.
    const firstFails: Responder = (request) => ({ status: request.metadata.attempt === 'first' ? 503 : 201 });
    const unacknowledged = await segment('own-3', '0:1', iterations, firstFails);
    expect(countOf(unacknowledged.summary, 'stampede_duplicate_acknowledged')).toBe(0);
    expect(unacknowledged.failed).not.toContain('stampede_duplicate_acknowledged count==0');
  });
});

describe('the documented distributed runs', () => {
  it('write compact output: every --out json in the README walkthrough and the k6-operator manifest is .gz', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const walkthrough = readme.slice(readme.indexOf('### Two machines with `--execution-segment`'), readme.indexOf('### Kubernetes with k6-operator'));
    const manifest = readFileSync(new URL('./k6-operator-testrun.yaml', import.meta.url), 'utf8');
    for (const text of [walkthrough, manifest]) {
      const outputs = [...text.matchAll(/--out json=(\S+)/g)].map((m) => m[1]!);
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) expect(output).toMatch(/\.json\.gz$/);
    }
    expect(walkthrough).toMatch(/stampede merge a\.json\.gz b\.json\.gz/);
  });
});
