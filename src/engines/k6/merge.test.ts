// `stampede merge` over k6 --out json fixtures in k6's real line format: one ledger and one verdict across files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Output } from '../../cli/output.ts';
import { resultDocumentViolations } from '../../contract/validators.ts';
import type { InvariantResult, ResultDocument } from '../../result/result-document.ts';
import { useServices } from '../../testing/services.ts';
import { K6LineWriter } from './fixtures/k6-lines.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'stampede-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const start = useServices();

const X = '3f2b8c1e-9a4d-4c6e-8f1a-2b3c4d5e6f70';
const V = '0d1e2f30-4152-4637-a8b9-cadbecfd0e1f';
let runs = 0;

async function merge(...args: string[]): Promise<{ code: number; out: string; err: string; doc: ResultDocument | undefined }> {
  let out = '';
  let err = '';
  const output: Output = { out: (s) => void (out += s), err: (s) => void (err += s), version: 'test' };
  const outDir = join(dir, `run-${++runs}`);
  const code = await main(['merge', ...args, '--out', outDir], output);
  let doc: ResultDocument | undefined;
  try {
    doc = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as ResultDocument;
  } catch {
    doc = undefined;
  }
  return { code, out, err, doc };
}
const invariant = (doc: ResultDocument, id: string): InvariantResult => doc.invariants.find((i) => i.id === id)!;
const verdicts = (doc: ResultDocument) => Object.fromEntries(doc.invariants.map((i) => [i.id, i.verdict]));

describe('stampede merge: one ledger across k6 instances', () => {
  it('catches a duplicate success that exists only across two files (U1 fail, example timeline from both machines, exit 1)', async () => {
    for (const alone of ['machine-a.json', 'machine-b-duplicate.json']) {
      const { doc } = await merge(fixture(alone));
      expect(invariant(doc!, 'U1').verdict, alone).toBe('pass'); // invisible to each machine
      expect(doc!.engine).toBe('k6');
    }
    const { code, out, doc } = await merge(fixture('machine-a.json'), fixture('machine-b-duplicate.json'));
    expect(code, out).toBe(1);
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc!.engine).toBe('merged');
    const u1 = invariant(doc!, 'U1');
    expect(u1).toMatchObject({ verdict: 'fail', violations: 1 });
    const [example] = u1.examples;
    expect(example!.id).toBe(X);
    expect(example!.timeline.map((a) => [a.kind, a.sentAt, a.status])).toEqual([
      ['first', 0, 201],
      ['duplicate', 50, 201],
    ]);
    expect(example!.note).toContain('machine-a.json: first sent 0 ms → 201');
    expect(example!.note).toContain('machine-b-duplicate.json: duplicate sent 50 ms → 201');
    expect(doc!.phases!.map((p) => [p.name, p.engine, p.totals.sent, p.verdict])).toEqual([
      ['machine-a.json', 'k6', 3, 'pass'],
      ['machine-b-duplicate.json', 'k6', 2, 'fail'],
    ]);
    expect(out).toContain('U1 uniqueness');
    expect(out).toContain('verdict: FAIL');
  });

  it('passes a clean pair: a conflict on machine B is judged against machine A\'s earlier attempt (alone it would be false)', async () => {
    const alone = await merge(fixture('machine-b-clean.json'));
    expect(verdicts(alone.doc!)).toMatchObject({ U2: 'fail', U4: 'fail' });

    const { code, doc, out } = await merge(fixture('machine-a.json'), fixture('machine-b-clean.json'));
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(verdicts(doc!)).toEqual({ U1: 'pass', U2: 'pass', U3: 'unknown', U4: 'pass' });
    expect(doc!.totals).toMatchObject({ sent: 5, ok: 5, fail: 0, indeterminate: 0 });
    expect(doc!.statuses).toEqual({ '201': 4, '409': 1 });
    // Without --probe-target, U3 is unknown and so is the verdict (DESIGN.md: exit 3).
    expect(code, out).toBe(3);
    expect(doc!.verdictReasons.join('\n')).toContain('without stampede\'s profile_id/attempt metadata');
    expect((doc!.config.inputs as Array<{ unledgered: { requests: number } }>)[0]!.unledgered.requests).toBe(1);
  });

  it('with --probe-target: pass when the target kept every acknowledged ID, U3 fail when it lost them', async () => {
    const kept = await start();
    // The IDs the fixtures acknowledged, registered on this target as the k6 run would have done.
    const { createPayloadPool } = await import('../../../generators/pool.ts');
    const pool = createPayloadPool({ seed: 1 });
    for (const id of [X, '7a1c2e3f-4b5d-4e6f-9a0b-1c2d3e4f5a6b', V, 'c0ffee00-1234-4abc-8def-0123456789ab']) {
      const answer = await fetch(`${kept.url}/user-profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(pool.withId(id).body) });
      expect(answer.status).toBe(201);
    }
    const pass = await merge(fixture('machine-a.json'), fixture('machine-b-clean.json'), '--probe-target', kept.url);
    expect(pass.code, pass.out + pass.err).toBe(0);
    expect(pass.doc!.probe).toMatchObject({ mode: 'all', acknowledged: 4, probed: 4, lostWrites: 0 });

    const forgetful = await start();
    const lost = await merge(fixture('machine-a.json'), fixture('machine-b-clean.json'), '--probe-target', forgetful.url, '--probe', 'sample:2');
    expect(lost.code, lost.out + lost.err).toBe(1);
    expect(invariant(lost.doc!, 'U3')).toMatchObject({ verdict: 'fail', violations: 2 });
  });

  it('judges a conflict against attempts of the other file in time order: before any other attempt it is false (U2)', async () => {
    const { doc } = await merge(fixture('machine-a.json'), fixture('machine-b-early-conflict.json'));
    const u2 = invariant(doc!, 'U2');
    expect(u2).toMatchObject({ verdict: 'fail', violations: 1 });
    expect(u2.examples[0]!.id).toBe(V);
    expect(u2.examples[0]!.note).toContain('machine-a.json: first sent 100 ms → 201');
    expect(invariant(doc!, 'U4').verdict).toBe('pass'); // machine A's later 201 makes it traceable
  });

  it('counts a request without an answer (status 0, error_code 1050) as indeterminate', async () => {
    const { code, doc } = await merge(fixture('timeout.json'));
    expect(doc!.totals).toMatchObject({ sent: 2, ok: 1, fail: 0, indeterminate: 1 });
    expect(doc!.errors).toEqual({ timeout: 1 });
    expect(doc!.statuses).toEqual({ '201': 1 });
    expect(doc!.latency.byOutcome.indeterminate?.max).toBeCloseTo(60_000, -1);
    expect(code).toBe(3); // 50% indeterminate is above --max-indeterminate
  });

  it('k6 dropped iterations: the latency figures are marked generator-bound with the count and what to do', async () => {
    const writer = new K6LineWriter();
    const t0 = Date.parse('2026-12-03T10:00:00Z');
    for (let i = 0; i < 20; i++) {
      const id = `0d1e2f30-4152-4637-a8b9-${String(i).padStart(12, '0')}`;
      writer.request({ id, attempt: 'first', requestId: `1:${i}`, sentAt: t0 + i * 10, endAt: t0 + i * 10 + 2, status: 201 });
    }
    writer.point('dropped_iterations', t0 + 150, 1, { scenario: 'default' });
    writer.point('dropped_iterations', t0 + 160, 4, { scenario: 'default' });
    const file = join(dir, 'dropped.json');
    writeFileSync(file, writer.lines.map((line) => `${line}\n`).join(''));
    const { doc } = await merge(file);
    expect(doc!.latency.generatorBound).toMatchObject({ limit: 'no dropped iterations', observed: 5 });
    expect(doc!.latency.generatorBound!.reason).toMatch(/^generator-bound: k6 dropped 5 iteration\(s\) \(20\.0% of the schedule\).*raise MAX_VUS/);
    expect(doc!.verdictReasons.some((r) => r.startsWith('k6 dropped 5 iteration(s)'))).toBe(true);
  });

  it('handles lines out of time order within a file (k6 flushes buffered samples of many VUs)', async () => {
    const { doc } = await merge(fixture('out-of-order.json'));
    expect(verdicts(doc!)).toMatchObject({ U1: 'pass', U2: 'pass', U4: 'pass' });
    expect(doc!.totals).toMatchObject({ sent: 3, ok: 3, fail: 0 });
  });

  it('reads gzip files (k6 --out json=FILE.gz) like plain ones', async () => {
    const gz = join(dir, 'machine-b-duplicate.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('machine-b-duplicate.json'))));
    const { code, doc } = await merge(fixture('machine-a.json'), gz);
    expect(code).toBe(1);
    expect(invariant(doc!, 'U1').violations).toBe(1);
  });

  it('takes the send time from end − http_req_duration when sent_at metadata is missing', async () => {
    const w = new K6LineWriter();
    const t = Date.parse('2026-03-02T10:00:00.000Z');
    w.request({ id: X, attempt: 'first', requestId: '1:0', sentAt: t, endAt: t + 10, status: 201 });
    w.request({ id: X, attempt: 'duplicate', requestId: '1:1', sentAt: t + 20, endAt: t + 30, status: 409 });
    const path = join(dir, 'no-sent-at.json');
    writeFileSync(path, w.text().replace(/,"sent_at":"\d+"/g, '').replace(/"sent_at":"\d+",/g, ''));
    const { doc } = await merge(path);
    expect(doc!.totals).toMatchObject({ sent: 2, ok: 2 });
    expect(doc!.durationMs).toBe(30);
  });

  it('tolerates a last line cut short (k6 killed mid-write) and says so', async () => {
    const path = join(dir, 'truncated.json');
    writeFileSync(path, readFileSync(fixture('timeout.json'), 'utf8') + '{"type":"Point","data":{"time":"2026-03-02T11:00:01.000000000+01:00","value":1,"tags":{"status":"201"},"met');
    const { doc } = await merge(path);
    expect(doc!.verdictReasons.join('\n')).toContain('the last line was cut short');
  });

  it('refuses bad input with exit 2, naming the file and the line', async () => {
    const notJson = join(dir, 'summary.json');
    writeFileSync(notJson, '{\n  "metrics": {}\n}\n');
    const otherNdjson = join(dir, 'corpus.ndjson');
    writeFileSync(otherNdjson, '{"userProfileId":"x"}\n');
    const noRequests = join(dir, 'vus-only.json');
    const w = new K6LineWriter();
    w.point('vus', Date.now(), 1, null);
    writeFileSync(noRequests, w.text());
    const broken = join(dir, 'broken.json');
    const lines = readFileSync(fixture('timeout.json'), 'utf8').split('\n');
    lines.splice(3, 0, '{"type":"Point","metric":"http_reqs", oops');
    writeFileSync(broken, lines.join('\n'));
    const noStatus = join(dir, 'no-status.json');
    writeFileSync(noStatus, readFileSync(fixture('timeout.json'), 'utf8').replace(/"status":"\d+",/g, ''));

    for (const [file, message] of [
      [join(dir, 'missing.json'), `cannot read ${join(dir, 'missing.json')} (ENOENT)`],
      [notJson, `${notJson}:1: not k6 --out json output: the first line is not JSON`],
      [otherNdjson, `${otherNdjson}:1: not k6 --out json output`],
      [noRequests, `${noRequests}: no http_reqs Points in 2 line(s)`],
      [broken, `${broken}:4: not JSON`],
      [noStatus, `${noStatus}:2: an http_reqs Point without a numeric status tag`],
    ] as const) {
      const result = await merge(fixture('machine-a.json'), file);
      expect(result.code, result.err).toBe(2);
      expect(result.err).toContain(message);
      expect(result.doc).toBeUndefined();
    }
  });

  it('refuses probe options without --probe-target, naming the option', async () => {
    for (const [args, option] of [
      [['--probe', 'all'], '--probe'],
      [['-H', 'Authorization: x'], '-H'],
      [['--probe-target', 'ftp://x'], '--probe-target'],
      [['--probe-target', 'http://127.0.0.1:1', '--probe', 'off'], '--probe'],
      [['--conflict-status', '200'], '--conflict-status'],
    ] as const) {
      const result = await merge(fixture('machine-a.json'), ...args);
      expect(result.code, result.err).toBe(2);
      expect(result.err).toContain(`${option}:`);
    }
  });
});
