// race.ts under the k6 stand-ins: a round's VUs meet at one instant on one ID; more than one 2xx in a round fails the run.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { resultDocumentViolations } from '../../src/contract/validators.ts';
import { correctService, loadScenario, unloadScenario } from './stand-ins/harness.ts';
import type { Responder } from './stand-ins/state.ts';

afterEach(unloadScenario);

const ENV = { RUN_ID: 'race-run', ROUNDS: '3', WIDTH: '4', INTERVAL: '2s' };
type RaceLoad = Awaited<ReturnType<typeof loadScenario<'race'>>>;

/** Every VU runs every round, arriving at a different time before the round's instant (VU v is v × 37 ms early). */
function runRounds(k6: RaceLoad, data: ReturnType<RaceLoad['module']['setup']>, rounds: number, vus: number): void {
  for (let round = 0; round < rounds; round++) {
    for (let vu = 1; vu <= vus; vu++) {
      vi.setSystemTime(data.startAt + round * data.intervalMs - vu * 37);
      k6.iterate(data, { vu, iterationInScenario: round, iterationInTest: round * vus + vu - 1 });
    }
  }
}

describe('race.ts', () => {
  it('sends every VU of a round at the same instant with the same ID and body; rounds use fresh IDs', async () => {
    const k6 = await loadScenario('race', { env: ENV });
    const data = k6.module.setup();
    expect(data.startAt % 1000).toBe(0);
    expect(data.startAt).toBeGreaterThanOrEqual(Date.now() + 2000);
    runRounds(k6, data, 3, 4);
    const requests = k6.state.requests;
    expect(requests).toHaveLength(12);
    const roundIds: string[] = [];
    for (let round = 0; round < 3; round++) {
      const inRound = requests.slice(round * 4, round * 4 + 4);
      expect(new Set(inRound.map((r) => r.sentAt))).toEqual(new Set([data.startAt + round * 2000]));
      expect(new Set(inRound.map((r) => r.metadata.sent_at))).toEqual(new Set([String(data.startAt + round * 2000)]));
      expect(new Set(inRound.map((r) => r.body)).size).toBe(1);
      const id = (JSON.parse(inRound[0]!.body) as { userProfileId: string }).userProfileId;
      expect(inRound.map((r) => r.metadata.profile_id)).toEqual([id, id, id, id]);
      // VU 1 is the ground-truth "first"; the others are its concurrent duplicates.
      expect(inRound.map((r) => r.metadata.attempt)).toEqual(['first', 'duplicate', 'duplicate', 'duplicate']);
      roundIds.push(id);
    }
    expect(new Set(roundIds).size).toBe(3);
    // They got there by sleeping different amounts (VU v was v × 37 ms early).
    expect(k6.state.sleeps.slice(0, 4)).toEqual([0.037, 0.074, 0.111, 0.148]);
  });

  it('passes against a correct service: one 201 per round, the rest the conflict status', async () => {
    const k6 = await loadScenario('race', { env: ENV });
    const data = k6.module.setup();
    runRounds(k6, data, 3, 4);
    expect(k6.state.requests.map((r) => r.response.status)).toEqual([201, 409, 409, 409, 201, 409, 409, 409, 201, 409, 409, 409]);
    const { failed, outputs, document } = k6.finish(data);
    expect(failed).toEqual([]);
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.verdict).toBe('pass');
    expect(document.latency.model).toBe('closed');
    expect(document.totals).toMatchObject({ sent: 12, ok: 12, fail: 0 });
  });

  it('fails the per-round threshold when a round has more than one 2xx (the race reproduced)', async () => {
    const correct = correctService();
    let seen = 0;
    // Round 1's second request wins too: a check-then-insert race.
    const racy: Responder = (request) => {
      const answer = correct(request);
      return ++seen === 6 ? { status: 201, durationMs: 4 } : answer;
    };
    const k6 = await loadScenario('race', { env: ENV, responder: racy });
    const data = k6.module.setup();
    runRounds(k6, data, 3, 4);
    const { failed, outputs, document } = k6.finish(data);
    expect(failed).toEqual(['stampede_race_successes{round:1} count<=1']);
    expect(Object.keys(k6.module.options.thresholds ?? {}).filter((key) => key.startsWith('stampede_race_successes'))).toEqual([
      'stampede_race_successes{round:0}', 'stampede_race_successes{round:1}', 'stampede_race_successes{round:2}',
    ]);
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.verdict).toBe('fail');
    expect(document.thresholds).toContainEqual(expect.objectContaining({ id: 'race-rounds-reproduced', observed: '1 round(s)', verdict: 'fail' }));
    expect(outputs.stdout).toContain('rounds with more than one 2xx: 1 (round 1: 2)');
  });

  it('derives round IDs from RUN_ID and the round only, so instances on other machines race on the same IDs', async () => {
    const a = await loadScenario('race', { env: ENV });
    const idsA = [0, 1, 2].map((round) => a.module.roundRequest({ runId: 'race-run', startedAt: 0 }, round).profileId);
    const b = await loadScenario('race', { env: { ...ENV, WIDTH: '64' } });
    const idsB = [0, 1, 2].map((round) => b.module.roundRequest({ runId: 'race-run', startedAt: 123 }, round).profileId);
    const idsC = [0, 1, 2].map((round) => b.module.roundRequest({ runId: 'other-run', startedAt: 0 }, round).profileId);
    expect(idsB).toEqual(idsA);
    expect(idsC.filter((id) => idsA.includes(id))).toEqual([]);
  });

  it('takes START_AT as the shared schedule, and requires it with an execution segment', async () => {
    const k6 = await loadScenario('race', { env: { ...ENV, START_AT: '2030-01-01T00:00:30Z' } });
    expect(k6.module.setup().startAt).toBe(Date.parse('2030-01-01T00:00:30Z'));
    const segmented = await loadScenario('race', { env: ENV });
    segmented.state.exec.test.options = { executionSegment: '1/2:1' };
    expect(() => segmented.module.setup()).toThrow(/^START_AT must be set when k6 runs an execution segment/);
    // Without a segment k6 v1.3 gives null (not undefined): a single instance needs no START_AT.
    const single = await loadScenario('race', { env: ENV });
    single.state.exec.test.options = { executionSegment: null };
    expect(single.module.setup().startAt).toBeGreaterThan(Date.now());
  });
});
