// json-server 0.17 (a popular fake REST API, started here with a fresh db per test) as a target: it assigns its own
// `id`, so it never refuses a duplicate userProfileId, loses nothing, and stores whatever it is sent: a deeply nested
// body too, after which it fails every request that reaches its store.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { startJsonServer, type ThirdPartyServer } from '../testing/third-party-servers.ts';

const running: ThirdPartyServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function jsonServer(): Promise<string> {
  const server = await startJsonServer();
  running.push(server);
  return server.url;
}

async function run(argv: string[]): Promise<{ code: number; doc: ResultDocument; out: string; stdout: string }> {
  const out = await mkdtemp(join(tmpdir(), 'stampede-json-server-run-'));
  const io = captureOutput();
  const code = await main([...argv, '--out', out], io);
  const doc = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as ResultDocument;
  expect(resultDocumentViolations(doc)).toEqual([]);
  return { code, doc, out, stdout: io.stdout() };
}

describe('json-server as a target', () => {
  it('load: U1 fails with example timelines, and no lost write is reported (a 2xx to the probe is re-checked, not taken for a loss)', async () => {
    const { code, doc } = await run(['load', '--target', await jsonServer(), '--duration', '600ms', '--connections', '4', '--dup-ratio', '0.2', '--probe', 'all', '--seed', '12']);
    const u1 = doc.invariants.find((i) => i.id === 'U1')!;
    expect(u1.verdict).toBe('fail');
    expect(u1.violations).toBeGreaterThan(0);
    expect(u1.examples.length).toBeGreaterThan(0);
    expect(u1.examples[0]!.timeline.filter((a) => a.status === 201).length).toBeGreaterThan(1);
    // json-server loses nothing: a probe answered 2xx means it accepts duplicates, never a lost acknowledged write.
    expect(doc.invariants.find((i) => i.id === 'U3')?.verdict).not.toBe('fail');
    expect(doc.probe?.lostWrites).toBe(0);
    expect(code).toBe(1);
  });

  it('conform: DUP-4XX fails (a MUST: the duplicate got 201)', async () => {
    const { code, doc } = await run(['conform', '--target', await jsonServer(), '--fuzz', '10', '--seed', '13']);
    expect(doc.checks!.find((c) => c.id === 'DUP-4XX')).toMatchObject({ verdict: 'fail', level: 'MUST', observed: { status: 201 } });
    expect(code).toBe(1);
  });

  it('gate: exit 1; the load phase ran first and measured a healthy target; the report names the check after which only 5xx came', async () => {
    const { code, doc, out } = await run([
      // Short phases: json-server rewrites its whole db file on every POST, so every stored record slows the next ones.
      'gate', '--target', await jsonServer(), '--duration', '400ms', '--connections', '2', '--bursts', '2', '--width', '8', '--race-baseline', '0', '--fuzz', '10',
      '--probe', 'sample:50', '--max-p99', '5s', '--min-throughput', '0', '--seed', '14',
    ]);
    expect(code).toBe(1);
    expect(doc.phases?.map((p) => p.name)).toEqual(['load', 'race', 'conformance']);
    const load = JSON.parse(await readFile(join(out, 'phases', 'load.json'), 'utf8')) as ResultDocument;
    expect(load.totals.sent).toBeGreaterThan(0);
    expect(Object.keys(load.statuses).every((status) => status.startsWith('2'))).toBe(true);
    expect(load.totals.indeterminate).toBe(0);
    expect(doc.invariants.find((i) => i.id === 'U1')?.verdict).toBe('fail');
    // The conformance phase, last, stored a deeply nested body; from then on json-server failed every request that
    // reached its store. The check named is the last success; the first 5xx after it is the deeply nested body.
    const reason = doc.verdictReasons.find((r) => r.includes('answered only 5xx after check')) ?? '';
    const named = /after check (\S+) \(answered \d+\)/.exec(reason)?.[1];
    expect(named, doc.verdictReasons.join('\n')).toBeDefined();
    expect(doc.checks!.find((c) => c.id === named)?.followedByOnly5xx).toBeGreaterThanOrEqual(10);
    expect(reason).toMatch(/the first to check SCHEMA-400\.\/(countryCode\.type:array|unexpectedProperty\.additionalProperties:object)$/);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(`answered only 5xx after check ${named}`.replace(/([*_[\]])/g, '\\$1'));
  }, 60_000); // ms: json-server rewrites its whole db file on every POST, so it slows as the gate fills it
});
