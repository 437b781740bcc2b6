// stampede race against registration services on a real PostgreSQL 15 (the run's throwaway cluster): the correct
// handler (INSERT … ON CONFLICT DO NOTHING) passes with no false U2 although its conflicts overtake its 201s, the racy
// one (SELECT then INSERT) is caught in nearly every burst, the serializable one never breaks U1 and its 503s stay
// indeterminate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../contract/validators.ts';
import { resolveRaceOptions, type RaceOptionsInput } from '../../options/race-options.ts';
import type { InvariantResult, ResultDocument } from '../../result/result-document.ts';
import { startPgServiceInWorker, type PgHandlerKind } from '../../testing/pg-registration.ts';
import { usePostgres } from '../../testing/postgres.ts';
import { formatRaceSummary } from '../../cli/race-command.ts';
import { runRace } from './race-run.ts';

const cluster = usePostgres();
const services: Partial<Record<PgHandlerKind, Awaited<ReturnType<typeof startPgServiceInWorker>>>> = {};
beforeAll(async () => {
  const pg = await cluster;
  for (const kind of ['correct', 'racy', 'serializable'] as const) services[kind] = await startPgServiceInWorker(kind, pg);
}, 60_000);
afterAll(() => Promise.all(Object.values(services).map((s) => s.close())));

const race = (kind: PgHandlerKind, input: RaceOptionsInput) => runRace(resolveRaceOptions({ target: services[kind]!.url, baseline: 0, ...input }), { toolVersion: 'test' });
const invariant = (doc: ResultDocument, id: string): InvariantResult => doc.invariants.find((i) => i.id === id)!;
/** The verdict lines as `stampede race` prints them (for the README's "Against a real database"). */
const printed = (doc: ResultDocument) => formatRaceSummary(doc, undefined).split('\n').filter((line) => /^\s+(race reproduced|U\d)|^verdict/.test(line)).join('\n');

describe('correct: INSERT … ON CONFLICT DO NOTHING on a primary key', () => {
  it.each(['last-byte', 'naive'] as const)('%s, 100 bursts of 32: exactly one 201 per burst, 0 violations, pass', async (sync) => {
    const doc = await race('correct', { sync, bursts: 100, width: 32, seed: sync === 'naive' ? 27 : 17 }); // fresh IDs per run
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 31)).toBe(true);
    expect(doc.invariants.map((i) => [i.id, i.verdict, i.violations])).toEqual([
      ['U1', 'pass', 0],
      ['U2', 'pass', 0],
      ['U4', 'pass', 0],
    ]);
    expect(invariant(doc, 'U2').checked).toBe(3100);
    expect(doc.totals).toMatchObject({ sent: 3200, ok: 3200, fail: 0, indeterminate: 0 });
    expect(doc.verdict).toBe('pass');
    expect(await services.correct!.rows()).toBeGreaterThanOrEqual(100);
    console.log(`correct handler, ${sync}:\n${printed(doc)}`);
  }, 120_000);
});

describe('racy: SELECT, then INSERT (READ COMMITTED, no constraint)', () => {
  it('last-byte, 20 bursts of 32: more than one 201 for the ID in ≥ 90 % of bursts; U1 fails; the naive baseline measured beside it', async () => {
    const doc = await race('racy', { sync: 'last-byte', bursts: 20, width: 32, seed: 18, baseline: 20 });
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.race!.detectionRate).toBeGreaterThanOrEqual(0.9);
    expect(invariant(doc, 'U1')).toMatchObject({ verdict: 'fail' });
    expect(invariant(doc, 'U1').violations).toBe(doc.race!.reproduced);
    expect(invariant(doc, 'U2').violations).toBe(0);
    expect(doc.verdict).toBe('fail');
    console.log(`racy handler, last-byte with naive baseline:\n${printed(doc)}\n${formatRaceSummary(doc, undefined).split('\n').find((l) => l.includes('naive baseline'))}`);
  }, 120_000);
});

describe('serializable: SELECT then INSERT in SERIALIZABLE, 503 on a serialization failure', () => {
  it.each(['last-byte', 'naive'] as const)('%s, 20 bursts of 32: no U1 violation, every 503 indeterminate, verdict pass or unknown (never fail)', async (sync) => {
    const doc = await race('serializable', { sync, bursts: 20, width: 32, seed: sync === 'naive' ? 29 : 19 });
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(invariant(doc, 'U1')).toMatchObject({ verdict: 'pass', violations: 0 });
    expect(invariant(doc, 'U2').violations).toBe(0);
    expect(doc.race!.bursts.every((b) => b.successes <= 1)).toBe(true);
    const unavailable = doc.statuses['503'] ?? 0;
    expect(doc.totals.indeterminate).toBe(unavailable);
    expect(doc.totals.fail).toBe(0);
    expect(['pass', 'unknown']).toContain(doc.verdict);
    console.log(`serializable handler, ${sync} (${unavailable} × 503):\n${printed(doc)}`);
  }, 120_000);
});
