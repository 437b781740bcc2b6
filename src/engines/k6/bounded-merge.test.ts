// The merge streams: each file's requests are held only within its bound (the declared request timeout + 5 s), files
// are read by worker threads when asked, and the result is the same as reading everything in the main thread.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { K6_DEFAULTS } from '../../defaults.ts';
import { resultDocumentViolations } from '../../contract/validators.ts';
import { K6OutputError } from '../../errors.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { K6LineWriter } from './fixtures/k6-lines.ts';
import { mergeK6Outputs, type MergeOptions } from './merge-run.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T = Date.parse('2026-03-02T10:00:00.000Z');
const id = (n: number) => `3f2b8c1e-9a4d-4c6e-8f1a-${String(n).padStart(12, '0')}`;

async function merge(files: string[], extra: Partial<MergeOptions> = {}): Promise<ResultDocument> {
  return mergeK6Outputs({ files, conflictStatus: 409, maxIndeterminateShare: 0.01, probe: undefined, threads: 0, ...extra }, { toolVersion: 'test' });
}
const invariants = (doc: ResultDocument) => Object.fromEntries(doc.invariants.map((i) => [i.id, [i.verdict, i.violations]]));
const inputs = (doc: ResultDocument) => doc.config.inputs as Array<Record<string, unknown>>;

/** Two k6 instances of one run: 300 requests each, duplicates across them, one U1 violation and one false conflict. */
function distributedRun(): string[] {
  const a = new K6LineWriter();
  const b = new K6LineWriter();
  a.run(T - 10, 10_000);
  b.run(T - 10, 10_000);
  for (let i = 0; i < 600; i++) {
    const w = i % 2 === 0 ? a : b;
    const sentAt = T + i * 3;
    const duplicate = i >= 100 && i % 10 === 0;
    const n = duplicate ? i - 99 : i; // repeats the other instance's ID, ~300 ms later
    const took = i % 97 === 0 ? 1_500 : 1 + (i % 7); // a slow tail: lines written long after later requests'
    let status = duplicate ? 409 : 201;
    if (i === 300) status = 201; // a duplicate acknowledged again: U1
    if (i === 453) status = 409; // a first attempt refused with nothing sent before: U2 (and U4: never acknowledged)
    w.request({ id: id(n), attempt: duplicate ? 'duplicate' : 'first', requestId: `${(i % 8) + 1}:${i}`, sentAt, endAt: sentAt + took, durationMs: took, status });
  }
  // k6 writes lines when requests end: order each file by end time, as a real flush would.
  return [a, b].map((w, k) => {
    const path = join(dir, `instance-${k}.json`);
    writeFileSync(path, endOrdered(w.lines));
    return path;
  });
}

/** Lines regrouped by request and sorted by the request's end time (Metric lines stay before first use). */
function endOrdered(lines: string[]): string {
  const groups: Array<{ end: number; lines: string[] }> = [];
  for (const line of lines) {
    const parsed = JSON.parse(line) as { type: string; metric: string; data: { time?: string } };
    if (parsed.type === 'Point' && parsed.metric === 'http_reqs') groups.push({ end: Date.parse(parsed.data.time!), lines: [] });
    if (groups.length === 0) groups.push({ end: Number.NEGATIVE_INFINITY, lines: [] });
    groups.at(-1)!.lines.push(line);
  }
  groups.sort((x, y) => x.end - y.end);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of groups.flatMap((g) => g.lines)) {
    const parsed = JSON.parse(line) as { type: string; metric: string };
    if (parsed.type === 'Metric') {
      if (seen.has(parsed.metric)) continue;
      seen.add(parsed.metric);
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

describe('the bounded merge', () => {
  it('gives the same document from worker threads, from the main thread, and through tiny batches', async () => {
    const files = distributedRun();
    const gz = files.map((file) => {
      writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
      return `${file}.gz`;
    });
    const main = await merge(files);
    const tiny = await merge(files, { batchEvents: 7 });
    const workers = await merge(gz, { threads: 2, batchEvents: 64 });
    expect(invariants(main)).toEqual({ U1: ['fail', 1], U2: ['fail', 1], U3: ['unknown', 0], U4: ['fail', 1] });
    expect(main.totals).toMatchObject({ sent: 600 });
    for (const other of [tiny, workers]) {
      expect(invariants(other)).toEqual(invariants(main));
      expect(other.totals).toEqual(main.totals);
      expect(other.phases!.map((p) => p.totals)).toEqual(main.phases!.map((p) => p.totals));
      expect(other.invariants.map((i) => i.examples.map((e) => ({ ...e, note: e.note.replaceAll('.json.gz:', '.json:') })))).toEqual(main.invariants.map((i) => i.examples));
      expect(other.latency).toEqual(main.latency);
    }
    // Every file declared its timeout (10 s), so the merge held ~15 s of requests at most, and none came late.
    expect(inputs(main).map((input) => [input.declaredTimeoutMs, input.late])).toEqual([
      [10_000, undefined],
      [10_000, undefined],
    ]);
  });

  it('judges a request that comes later than the bound allows out of order, and says so', async () => {
    const w = new K6LineWriter();
    w.run(T - 10, 1_000); // bound: 1 s + 5 s
    // Request 0 ends at 20.1 s but its lines come after requests that ended up to 200 s later (and several chunks of
    // the file): beyond the bound.
    for (let i = 1; i <= 200; i++) w.request({ id: id(i), attempt: 'first', requestId: `1:${i}`, sentAt: T + i * 1000, endAt: T + i * 1000 + 2, status: 201 });
    w.request({ id: id(0), attempt: 'first', requestId: '2:0', sentAt: T + 20_000, endAt: T + 20_100, status: 201 });
    const path = join(dir, 'late.json');
    writeFileSync(path, w.text());
    const doc = await merge([path]);
    expect(inputs(doc)[0]).toMatchObject({ declaredTimeoutMs: 1_000, late: 1 });
    expect(doc.totals).toMatchObject({ sent: 201, ok: 201 });
    expect(doc.verdictReasons.join('\n')).toContain(`${path}: 1 request(s) appeared in the file more than 6 s after requests that ended later`);

    // Within the bound, nothing is late: here, without the declaration, k6's default 60 s timeout is assumed, and the
    // request comes after requests that ended up to 30 s later.
    const undeclared = join(dir, 'undeclared.json');
    const lines = w.text().split('\n').filter((line) => !line.includes('stampede_run'));
    const late = lines.findIndex((line) => line.includes('"request_id":"2:0"'));
    const at = lines.findIndex((line) => line.includes('"request_id":"1:50"'));
    writeFileSync(undeclared, [...lines.slice(0, at), ...lines.slice(late, late + 16), ...lines.slice(at, late), ...lines.slice(late + 16)].join('\n'));
    const inBound = await merge([undeclared]);
    expect(inBound.totals).toMatchObject({ sent: 201, ok: 201 });
    expect(inputs(inBound)[0]!.late).toBeUndefined();
    expect(inputs(inBound)[0]!.declaredTimeoutMs).toBeUndefined();
    expect(K6_DEFAULTS.mergeAssumedTimeoutMs).toBe(60_000);
  });

  it('stops reading at Ctrl-C and writes a partial document of what was judged', async () => {
    const controller = new AbortController();
    controller.abort();
    const doc = await mergeK6Outputs(
      { files: [join(FIXTURES, 'real-k6-v1.3.json'), join(FIXTURES, 'machine-a.json')], conflictStatus: 409, maxIndeterminateShare: 0.01, probe: undefined, threads: 0 },
      { toolVersion: 'test', signal: controller.signal },
    );
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.partial).toBe(true);
    expect(doc.partialReason).toMatch(/^interrupted \(Ctrl-C\) while reading the files/);
    expect(doc.phases!.every((phase) => phase.partial)).toBe(true);
  });

  it('reports a malformed line from a worker thread like the main thread: exit 2 naming the file and the line', async () => {
    const lines = readFileSync(join(FIXTURES, 'real-k6-v1.3.json'), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('{"metric":"http_req_duration"'));
    lines[at] = lines[at]!.replace('"value":', '"value":+');
    const broken = join(dir, 'broken.json.gz');
    writeFileSync(broken, gzipSync(lines.join('\n')));
    for (const threads of [0, 2]) {
      const error = await merge([join(FIXTURES, 'machine-a.json'), broken], { threads }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(K6OutputError);
      expect((error as K6OutputError).exitCode).toBe(2);
      expect((error as Error).message).toBe(`${broken}:${at + 1}: not JSON (each line of k6 --out json output is one JSON object)`);
    }
    // A .gz cut short (k6 killed mid-write: no gzip trailer) is judged up to where it ends, like a plain file's last
    // line cut short; a corrupt one is refused.
    const whole = gzipSync(readFileSync(join(FIXTURES, 'real-k6-v1.3.json')));
    const cut = join(dir, 'cut.json.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const judged = await merge([cut]);
    expect(judged.totals.sent).toBeGreaterThan(5);
    expect(judged.verdictReasons.join('\n')).toContain(`${cut}: the last line was cut short`);
    const corrupt = join(dir, 'corrupt.json.gz');
    const bytes = Buffer.from(whole);
    for (let i = 100; i < 140; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(corrupt, bytes);
    const error = await merge([corrupt]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(K6OutputError);
    expect((error as Error).message).toMatch(new RegExp(`^${corrupt}:\\d+: `));
  });
});
