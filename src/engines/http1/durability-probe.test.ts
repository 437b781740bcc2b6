// The durability probe against the real reference service over loopback: lost writes show as 2xx, kept ones as 409.

import { describe, expect, it } from 'vitest';
import { createPayloadPool } from '../../../generators/pool.ts';
import type { RunningService } from '../../service/start-service.ts';
import { useServices } from '../../testing/services.ts';
import { postJson } from '../../testing/http-client.ts';
import { runDurabilityProbe, type DurabilityProbeOptions } from './durability-probe.ts';

const start = useServices();
const service = (...faults: string[]): Promise<RunningService> => start({ faults });

const pool = createPayloadPool({ seed: 3, templates: 4 });

/** Registers `n` fresh IDs (each answered 201) and returns them. */
async function register(url: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { id, body } = pool.next();
    const answer = await postJson(url, body.toString('utf8'));
    expect(answer.status).toBe(201);
    ids.push(id);
  }
  return ids;
}

interface Probed {
  id: string;
  sentAt: number;
  answeredAt: number;
  status: number | undefined;
  error?: string;
}

/** Options recording every onResult call, and how many probes were between bodyFor (just before sending) and onResult. */
function probeOptions(url: string, ids: readonly string[], overrides: Partial<DurabilityProbeOptions> = {}) {
  const results: Probed[] = [];
  let open = 0;
  let maxOpen = 0;
  const t0 = performance.now();
  const options: DurabilityProbeOptions = {
    url,
    ids,
    bodyFor: (id) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      return pool.withId(id).body;
    },
    concurrency: 4,
    timeoutMs: 5000,
    headers: {},
    clock: () => performance.now() - t0,
    onResult: (id, sentAt, answeredAt, status, error) => {
      open--;
      results.push({ id, sentAt, answeredAt, status, ...(error === undefined ? {} : { error }) });
    },
    ...overrides,
  };
  return { options, results, maxOpen: () => maxOpen };
}

function expectEachOnce(results: readonly Probed[], ids: readonly string[]) {
  expect(results.map((r) => r.id).sort()).toEqual([...ids].sort());
}

describe('runDurabilityProbe', () => {
  it('lose-writes:1: registered IDs probe as 2xx (lost acknowledged writes), each reported once', async () => {
    const target = await service('lose-writes:1');
    const ids = await register(target.url, 20);
    const { options, results } = probeOptions(target.url, ids);
    const outcome = await runDurabilityProbe(options);

    expect(outcome).toEqual({ probed: 20, interrupted: false });
    expectEachOnce(results, ids);
    for (const r of results) {
      expect(r.status).toBe(201);
      expect(r.answeredAt).toBeGreaterThanOrEqual(r.sentAt);
    }
  });

  it('a correct service: every ID probes as 409, exactly once, never more than `concurrency` at a time', async () => {
    const target = await service('latency:30ms');
    const ids = await register(target.url, 24);
    const { options, results, maxOpen } = probeOptions(target.url, ids, { concurrency: 4 });
    const began = performance.now();
    const outcome = await runDurabilityProbe(options);
    const elapsed = performance.now() - began;

    expect(outcome).toEqual({ probed: 24, interrupted: false });
    expectEachOnce(results, ids);
    for (const r of results) expect(r).toMatchObject({ status: 409 });
    expect(maxOpen()).toBe(4);
    // 24 probes, 4 at a time, 30 ms each: at least 6 rounds.
    expect(elapsed).toBeGreaterThanOrEqual(6 * 30 * 0.95);
    expect(target.stats().byStatus).toMatchObject({ '409': 24 });
  });

  it('an abort stops further probes; the ones sent are reported once', async () => {
    const target = await service('latency:30ms');
    const ids = await register(target.url, 40);
    const controller = new AbortController();
    const { options, results } = probeOptions(target.url, ids, { concurrency: 2, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const outcome = await runDurabilityProbe(options);

    expect(outcome.interrupted).toBe(true);
    expect(outcome.probed).toBeGreaterThan(0);
    expect(outcome.probed).toBeLessThan(40);
    expect(results).toHaveLength(outcome.probed);
    expect(new Set(results.map((r) => r.id)).size).toBe(outcome.probed);
    // In order from one cursor: the probed IDs are the first ones.
    expect(results.map((r) => r.id).sort()).toEqual(ids.slice(0, outcome.probed).sort());
  });

  it('after an abort, probes in flight get abortDrainMs, then are reported as interrupted', async () => {
    const target = await service('latency:2s');
    const ids = [pool.next().id, pool.next().id, pool.next().id, pool.next().id, pool.next().id];
    const controller = new AbortController();
    const { options, results } = probeOptions(target.url, ids, { concurrency: 3, signal: controller.signal, abortDrainMs: 100 });
    setTimeout(() => controller.abort(), 100);
    const began = performance.now();
    const outcome = await runDurabilityProbe(options);

    expect(performance.now() - began).toBeLessThan(1000);
    expect(outcome).toEqual({ probed: 3, interrupted: true });
    expectEachOnce(results, ids.slice(0, 3));
    for (const r of results) expect(r).toMatchObject({ status: undefined, error: 'interrupted' });
  });

  it('an unreachable target: every ID reported with an error, nothing thrown', async () => {
    const target = await service();
    const url = target.url;
    await target.close(0);
    const ids = [pool.next().id, pool.next().id, pool.next().id];
    const { options, results } = probeOptions(url, ids, { concurrency: 2 });
    const outcome = await runDurabilityProbe(options);

    expect(outcome).toEqual({ probed: 3, interrupted: false });
    expectEachOnce(results, ids);
    for (const r of results) expect(r).toMatchObject({ status: undefined, error: 'ECONNREFUSED' });
  });
});
