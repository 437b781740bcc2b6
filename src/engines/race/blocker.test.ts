// last-byte --blocker against the reference service over loopback HTTP: the blocker is sent once per burst and answered
// 4xx (never 2xx, nothing registered), it stays out of the bursts' statuses and the totals, race:tick is still
// reproduced, and the replay file carries the blocker's bytes; plus the option's validation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations, userProfileViolations } from '../../contract/validators.ts';
import { InvalidOptionError } from '../../errors.ts';
import { resolveRaceOptions, type RaceOptionsInput } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { recordingServer } from '../../testing/recording-server.ts';
import { blockerBody, type ReplayFile } from './race-plan.ts';
import { runRace } from './race-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-blocker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const race = (input: RaceOptionsInput, outDir?: string) => runRace(resolveRaceOptions({ seed: 5, baseline: 0, ...input }), { toolVersion: 'test', ...(outDir ? { outDir } : {}) });

describe('blockerBody', () => {
  it.each([3, 4, 1024, 1025, 65_536])('%i bytes: exactly that size, a JSON array, never a valid registration body', (bytes) => {
    const body = blockerBody(bytes);
    expect(body.length).toBe(bytes);
    const data: unknown = JSON.parse(body.toString('utf8'));
    expect(Array.isArray(data)).toBe(true);
    expect(userProfileViolations(data).length).toBeGreaterThan(0);
  });
});

describe('--blocker against the reference service (in-process, loopback HTTP)', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService(), startService({ faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('correct service: one blocker per burst answered 400, never 2xx; still exactly one 2xx per burst; blockers not in statuses or totals', async () => {
    const before = correct.stats();
    const doc = await race({ target: correct.url, bursts: 20, width: 16, blocker: '64kib' });
    expect(resultDocumentViolations(doc)).toEqual([]);
    const summary = doc.race!;
    expect(summary.blocker).toEqual({ bytes: 65_536, leadUs: 300, sent: 20, answers: { '400': 20 } });
    expect(summary.bursts.every((b) => b.successes === 1 && b.statuses.length === 16 && b.statuses.filter((s) => s === 409).length === 15)).toBe(true);
    expect(summary.bursts.every((b) => b.errors === undefined)).toBe(true);
    expect(summary.reproduced).toBe(0);
    expect(doc.totals).toMatchObject({ sent: 320, ok: 320, fail: 0, indeterminate: 0 });
    expect(doc.statuses).toEqual({ '201': 20, '409': 300 });
    expect(doc.config).toMatchObject({ blockerBytes: 65_536 });
    expect(doc.verdict).toBe('pass');
    // What the service itself counted: 20 × 400 more, and only the 20 burst IDs registered.
    const after = correct.stats();
    expect((after.byStatus['400'] ?? 0) - (before.byStatus['400'] ?? 0)).toBe(20);
    expect(Object.keys(after.byStatus).filter((s) => s.startsWith('2')).reduce((n, s) => n + after.byStatus[s]! - (before.byStatus[s] ?? 0), 0)).toBe(20);
    expect(after.profiles - before.profiles).toBe(20);
  });

  it('a blocker over the body limit is answered 413 (it blocks nothing): counted, and named in the verdict reasons', async () => {
    const doc = await race({ target: correct.url, bursts: 2, width: 4, blocker: '2mib', seed: 6 });
    expect(doc.race!.blocker).toMatchObject({ bytes: 2 * 1024 * 1024, sent: 2, answers: { '413': 2 } });
    expect(doc.race!.bursts.every((b) => b.successes === 1)).toBe(true);
    expect(doc.verdictReasons.join(' ')).toMatch(/--blocker: the target refused 2 blocker request\(s\) as too large \(413\)/);
  });

  it('race:tick: the race is still reproduced (more than one 2xx) with the blocker, in ≥ 99 % of 40 bursts of 32', async () => {
    const doc = await race({ target: racy.url, bursts: 40, width: 32, blocker: '64kib' });
    expect(doc.race!.blocker).toMatchObject({ sent: 40, answers: { '400': 40 } });
    expect(doc.race!.detectionRate).toBeGreaterThanOrEqual(0.99);
    expect(doc.verdict).toBe('fail');
  });
});

describe('--blocker and the replay file', () => {
  it('the blocker bytes are recorded and re-sent by --replay; a 2xx to a blocker is named in the verdict reasons', async () => {
    const first = await recordingServer();
    const out = join(dir, 'replay');
    const doc = await race({ target: `http://127.0.0.1:${first.port}`, bursts: 2, width: 3, blocker: '2kib' }, out);
    first.server.close();
    expect(doc.verdictReasons.join(' ')).toMatch(/answered 2xx to 2 blocker request/);
    const file = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as ReplayFile;
    const blocker = Buffer.from(file.blocker!, 'base64').toString('latin1');
    expect(blocker).toMatch(/^POST \/user-profiles HTTP\/1\.1\r\n[\s\S]*Content-Length: 2048\r\n[\s\S]*\r\n\r\n\[0,0,/);
    expect(first.received.filter((b) => b.toString('latin1') === blocker)).toHaveLength(2);

    const second = await recordingServer();
    const replayed = await runRace(resolveRaceOptions({ target: `http://127.0.0.1:${second.port}`, replay: join(out, 'replay.json') }), { toolVersion: 'test' });
    second.server.close();
    expect(second.received.map((b) => b.toString('latin1')).sort()).toEqual(first.received.map((b) => b.toString('latin1')).sort());
    expect(replayed.race!.blocker).toMatchObject({ bytes: 2048, sent: 2 });
  });
});

describe('--blocker validation', () => {
  const invalid = (input: RaceOptionsInput, message: RegExp) => {
    let error: unknown;
    try {
      resolveRaceOptions(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(message);
  };

  it('off by default; a size with a unit; 0/off: none', () => {
    expect(resolveRaceOptions({}).blockerBytes).toBe(0);
    expect(resolveRaceOptions({ blocker: '256kib' }).blockerBytes).toBe(262_144);
    expect(resolveRaceOptions({ blocker: 'off', sync: 'naive' }).blockerBytes).toBe(0);
    expect(resolveRaceOptions({ blocker: 0 }).blockerBytes).toBe(0);
  });

  it('refused with a message naming --blocker: other sync modes, --replay, sizes out of range or without meaning', () => {
    invalid({ blocker: '64kib', sync: 'single-packet' }, /--blocker.*last-byte only/);
    invalid({ blocker: '64kib', replay: 'replay.json' }, /--blocker.*cannot be combined with --replay/);
    invalid({ blocker: '12' }, /--blocker.*at least 1024 bytes/);
    invalid({ blocker: '1gib' }, /--blocker.*at most/);
    invalid({ blocker: 'big' }, /--blocker.*not a size/);
  });
});
