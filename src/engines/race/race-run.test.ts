// stampede race's engine over real loopback HTTP against the reference service: last-byte and naive bursts, ID variants,
// warm-up, the result document, and the replay file re-sent byte for byte.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../contract/validators.ts';
import { resolveRaceOptions, type RaceOptionsInput } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { recordingServer } from '../../testing/recording-server.ts';
import type { ReplayFile } from './race-plan.ts';
import { runRace } from './race-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const race = (input: RaceOptionsInput, outDir?: string) => runRace(resolveRaceOptions({ seed: 7, ...input }), { toolVersion: 'test', ...(outDir ? { outDir } : {}) });

describe('stampede race against the reference service (in-process, loopback HTTP)', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService(), startService({ faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('default service, last-byte: zero bursts with more than one success in 100 bursts of 32; verdict pass', async () => {
    const doc = await race({ target: correct.url, bursts: 100, width: 32, baseline: 5 });
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.engine).toBe('race');
    expect(doc.race!.bursts).toHaveLength(100);
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 31)).toBe(true);
    expect(doc.race!.reproduced).toBe(0);
    expect(doc.totals).toMatchObject({ sent: 3200, ok: 3200, fail: 0, indeterminate: 0 });
    expect(doc.statuses).toEqual({ '201': 100, '409': 3100 });
    expect(doc.invariants.find((i) => i.id === 'U1')!.verdict).toBe('pass');
    expect(doc.verdict).toBe('pass');
  });

  it('race:tick, last-byte: more than one success in ≥ 99 % of 100 bursts of 32; the naive baseline is measured beside it', async () => {
    const doc = await race({ target: racy.url, bursts: 100, width: 32, baseline: 20 });
    expect(resultDocumentViolations(doc)).toEqual([]);
    const { race: summary } = doc;
    expect(summary!.detectionRate).toBeGreaterThanOrEqual(0.99);
    expect(summary!.baseline).toMatchObject({ sync: 'naive', bursts: 20 });
    expect(summary!.baseline!.detectionRate).toBeGreaterThanOrEqual(0);
    console.log(`race:tick detection: last-byte ${summary!.detectionRate * 100}% (spread p50 ${summary!.spreadUs.p50} µs), naive ${summary!.baseline!.detectionRate * 100}% (spread p50 ${summary!.baseline!.spreadUs.p50} µs)`);
    expect(doc.invariants.find((i) => i.id === 'U1')!.verdict).toBe('fail');
    expect(doc.totals.fail).toBeGreaterThan(0);
    expect(doc.verdict).toBe('fail');
  });

  it('naive mode and --ids variants: every request answered, the spellings differ, still one 201 per ID on a correct service', async () => {
    const out = join(dir, 'variants');
    const doc = await race({ target: correct.url, bursts: 10, width: 12, sync: 'naive', ids: 'variants', seed: 11 }, out);
    expect(doc.race!.sync).toBe('naive');
    expect(doc.race!.baseline).toBeUndefined();
    expect(doc.race!.bursts.every((b) => b.successes === 1)).toBe(true);
    const replay = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as ReplayFile;
    const spellings = replay.bursts[0]!.sentIds;
    expect(new Set(spellings).size).toBeGreaterThan(1);
    expect(spellings).toContain(replay.bursts[0]!.id.toUpperCase());
    expect(spellings.every((s) => s.toLowerCase() === replay.bursts[0]!.id)).toBe(true);
  });

  it('--warmup: a keep-alive GET /healthz answered first on each connection, then the burst request on the same connection', async () => {
    const before = correct.stats();
    const doc = await race({ target: correct.url, bursts: 5, width: 8, warmup: true, baseline: 0, seed: 12 });
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.every((s) => s === 201 || s === 409))).toBe(true);
    const after = correct.stats();
    expect((after.byStatus['200'] ?? 0) - (before.byStatus['200'] ?? 0)).toBe(40);
  });
});

describe('the replay file', () => {
  it('holds seed, sync mode, path, IDs and the exact request bytes; --replay re-sends them byte for byte', async () => {
    const first = await recordingServer();
    const out = join(dir, 'replay');
    await race({ target: `http://127.0.0.1:${first.port}`, bursts: 3, width: 5, ids: 'variants', baseline: 0, header: ['Authorization: Bearer s3cret'] }, out);
    first.server.close();
    const file = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as ReplayFile;
    expect(file).toMatchObject({ format: 'stampede-race-replay', version: 1, seed: 7, sync: 'last-byte', width: 5, target: { path: '/user-profiles' } });
    const fileBytes = file.bursts.flatMap((b) => b.requests).map((r) => Buffer.from(r, 'base64').toString('latin1')).sort();
    expect(fileBytes).toHaveLength(15);
    expect(first.received.map((b) => b.toString('latin1')).sort()).toEqual(fileBytes);
    expect(fileBytes[0]).toMatch(/^POST \/user-profiles HTTP\/1\.1\r\n/);

    const second = await recordingServer();
    const doc = await runRace(resolveRaceOptions({ target: `http://127.0.0.1:${second.port}`, replay: join(out, 'replay.json') }), { toolVersion: 'test', outDir: join(dir, 'replayed') });
    second.server.close();
    expect(second.received.map((b) => b.toString('latin1')).sort()).toEqual(fileBytes);
    expect(doc.seed).toBe(7);
    expect(doc.race!.bursts.map((b) => b.id)).toEqual(file.bursts.map((b) => b.id));
    // Every request answered 201 by the recording server: a "race" in each burst.
    expect(doc.race!.reproduced).toBe(3);
    expect(JSON.stringify(doc)).not.toContain('s3cret');
  });
});
