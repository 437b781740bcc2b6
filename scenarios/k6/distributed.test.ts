// Several k6 instances of one run (execution segments): disjoint fresh IDs, planned duplicates across instances.

import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, range, unloadScenario } from './stand-ins/harness.ts';

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
