// stampede load and stampede gate against registration services on a real PostgreSQL 15 (the run's throwaway cluster,
// shared with the race tests): the correct handler passes with 20 % duplicates and passes the gate in the default
// profile; the racy one fails U1 under immediate-retry duplicates; the serializable one never fails U1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { formatLoadSummary } from '../cli/load-summary.ts';
import { resolveLoadOptions } from '../options/load-options.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { startPgServiceInWorker, type PgHandlerKind } from '../testing/pg-registration.ts';
import { usePostgres } from '../testing/postgres.ts';
import { runLoad } from './load-run.ts';

const cluster = usePostgres();
const services: Partial<Record<PgHandlerKind, Awaited<ReturnType<typeof startPgServiceInWorker>>>> = {};
const dir = mkdtempSync(join(tmpdir(), 'stampede-pg-load-'));
beforeAll(async () => {
  const pg = await cluster;
  for (const kind of ['correct', 'racy', 'serializable'] as const) services[kind] = await startPgServiceInWorker(kind, pg);
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const load = (kind: PgHandlerKind, seed: number) =>
  runLoad(resolveLoadOptions({ target: services[kind]!.url, connections: 16, requests: 3000, dupRatio: 0.2, seed }), { toolVersion: 'test' });
const verdicts = (doc: ResultDocument) => Object.fromEntries(doc.invariants.map((i) => [i.id, i.verdict]));
/** The verdict lines as `stampede load` prints them (for the README's "Against a real database"). */
const printed = (doc: ResultDocument) => formatLoadSummary(doc, undefined).split('\n').filter((line) => /^\s+U\d|^verdict/.test(line)).join('\n');

describe('stampede load with 20 % planned duplicates (immediate retries among them)', () => {
  it('correct (INSERT … ON CONFLICT DO NOTHING): every invariant passes, the probe finds every write', async () => {
    const doc = await load('correct', 71);
    expect(verdicts(doc)).toEqual({ U1: 'pass', U2: 'pass', U3: 'pass', U4: 'pass' });
    expect(doc.totals).toMatchObject({ fail: 0, indeterminate: 0 });
    expect(doc.totals.byKind!.duplicate!.sent).toBeGreaterThan(400);
    expect(doc.probe).toMatchObject({ mode: 'all', lostWrites: 0 });
    expect(doc.verdict).toBe('pass');
    console.log(`correct handler, load:\n${printed(doc)}`);
  }, 60_000);

  it('racy (SELECT, then INSERT): immediate retries are both acknowledged, U1 fails with examples', async () => {
    const doc = await load('racy', 72);
    const u1 = doc.invariants.find((i) => i.id === 'U1')!;
    expect(u1.verdict).toBe('fail');
    expect(u1.examples.length).toBeGreaterThan(0);
    expect(u1.examples[0]!.timeline.filter((a) => a.status === 201).length).toBeGreaterThan(1);
    expect(doc.verdict).toBe('fail');
    console.log(`racy handler, load:\n${printed(doc)}`);
  }, 60_000);

  it('serializable: no U1 violation; serialization failures are 503s, indeterminate; verdict pass or unknown', async () => {
    const doc = await load('serializable', 73);
    expect(doc.invariants.find((i) => i.id === 'U1')!.violations).toBe(0);
    expect(doc.totals.indeterminate).toBe(doc.statuses['503'] ?? 0);
    expect(doc.totals.fail).toBe(0);
    expect(['pass', 'unknown']).toContain(doc.verdict);
    console.log(`serializable handler, load (${doc.statuses['503'] ?? 0} × 503):\n${printed(doc)}`);
  }, 60_000);
});

describe('stampede gate, default profile', () => {
  it('the correct handler passes: conformance (SHOULD findings only warn), load with the probe, race bursts, thresholds', async () => {
    const output = captureOutput();
    const out = join(dir, 'gate');
    // The lag limit says whether latency figures describe the target; test files run side by side on two cores here,
    // so it is widened: this test is about the handler's correctness, not its latency.
    const code = await main(['gate', '--target', services.correct!.url, '--duration', '2s', '--connections', '8', '--bursts', '10', '--max-lag', 'p99=50ms', '--out', out], output);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    const failing = (doc.checks ?? []).filter((c) => c.verdict === 'fail' && c.level === 'MUST').map((c) => c.id);
    expect(failing, output.stdout()).toEqual([]);
    expect(doc.invariants.filter((i) => i.verdict !== 'pass').map((i) => i.id)).toEqual([]);
    expect(code, doc.verdictReasons.join('\n')).toBe(0);
    console.log(`correct handler, gate: ${output.stdout().split('\n').find((line) => /verdict/i.test(line))}`);
  }, 120_000);
});
