// Each injected fault does what it says, over real HTTP; fault specs are parsed strictly.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { InvalidFaultError } from '../errors.ts';
import { postJson, send, syncBurst } from '../testing/http-client.ts';
import { FaultInjector, parseFaults } from './faults.ts';
import { useServices } from '../testing/services.ts';
import type { RunningService } from './start-service.ts';

const start = useServices();
const serviceWith = (...faults: string[]): Promise<RunningService> => start({ faults, seed: 7 });

const body = (id: string = randomUUID()) => specExample(id);

/** Register `count` new IDs, then re-submit each; returns how many re-submissions were answered 201. */
async function resubmittedAsNew(service: RunningService, ids: string[]): Promise<number> {
  for (const id of ids) expect((await postJson(service.url, body(id))).status).toBe(201);
  let again = 0;
  for (const id of ids) if ((await postJson(service.url, body(id))).status === 201) again++;
  return again;
}

describe('faults over HTTP', () => {
  it('race:5ms lets synchronised duplicates both get 201', async () => {
    const service = await serviceWith('race:5ms');
    const statuses = await syncBurst(service.url, JSON.stringify(body()), 16);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(1);
  });

  it('lose-writes:1 → the first write of each ID is lost: a second POST gets 201 again (re-created, kept), a third 409', async () => {
    const service = await serviceWith('lose-writes:1');
    const ids = Array.from({ length: 5 }, () => randomUUID());
    expect(await resubmittedAsNew(service, ids)).toBe(5);
    expect(service.stats().profiles).toBe(5);
    for (const id of ids) expect((await postJson(service.url, body(id))).status).toBe(409);
  });

  it('lose-writes:0.3 forgets about 30% of IDs, the same ones for the same seed', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const first = await resubmittedAsNew(await serviceWith('lose-writes:0.3'), ids);
    expect(first).toBeGreaterThan(400 * 0.2);
    expect(first).toBeLessThan(400 * 0.4);
    expect(await resubmittedAsNew(await serviceWith('lose-writes:0.3'), ids)).toBe(first);
  });

  it('errors:1 → every POST gets 503 problem+json and nothing is stored', async () => {
    const service = await serviceWith('errors:1');
    const answer = await postJson(service.url, body());
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body).status).toBe(503);
    expect(service.stats().profiles).toBe(0);
  });

  it('errors:0.5:500 → about half the requests get 500, the rest are processed normally', async () => {
    const service = await serviceWith('errors:0.5:500');
    const statuses = [];
    for (let i = 0; i < 200; i++) statuses.push((await postJson(service.url, body())).status);
    const errors = statuses.filter((s) => s === 500).length;
    expect(errors).toBeGreaterThan(60);
    expect(errors).toBeLessThan(140);
    expect(statuses.filter((s) => s === 201)).toHaveLength(200 - errors);
    expect(service.stats().profiles).toBe(200 - errors);
  });

  it('latency:… delays but still answers correctly (the delay distribution itself is tested below)', async () => {
    const service = await serviceWith('latency:uniform:1ms:5ms');
    const id = randomUUID();
    expect((await postJson(service.url, body(id))).status).toBe(201);
    expect((await postJson(service.url, body(id))).status).toBe(409);
  });

  it('false-conflict:1 → 409 for a never-registered ID, which is not stored', async () => {
    const service = await serviceWith('false-conflict:1');
    const answer = await postJson(service.url, body());
    expect(answer.status).toBe(409);
    expect(service.stats().profiles).toBe(0);
  });

  it('false-conflict:0.25 → about a quarter of new IDs get 409', async () => {
    const service = await serviceWith('false-conflict:0.25');
    let conflicts = 0;
    for (let i = 0; i < 200; i++) if ((await postJson(service.url, body())).status === 409) conflicts++;
    expect(conflicts).toBeGreaterThan(25);
    expect(conflicts).toBeLessThan(75);
  });

  it('wrong-status:200 → 200 instead of 201; the profile is stored (the next POST is 409)', async () => {
    const service = await serviceWith('wrong-status:200');
    const id = randomUUID();
    expect((await postJson(service.url, body(id))).status).toBe(200);
    expect((await postJson(service.url, body(id))).status).toBe(409);
  });

  it('no-validation → any body is accepted, but Content-Type is still checked and IDs stay unique', async () => {
    const service = await serviceWith('no-validation');
    expect((await postJson(service.url, '{not json')).status).toBe(201);
    expect((await postJson(service.url, { userProfileId: 'not-a-uuid', countryCode: 'XX', extra: [1] })).status).toBe(201);
    expect((await postJson(service.url, { userProfileId: 'not-a-uuid' })).status).toBe(409);
    expect((await send(service.url, { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('several faults combine: latency and wrong-status', async () => {
    const service = await serviceWith('latency:1ms', 'wrong-status:202');
    expect((await postJson(service.url, body())).status).toBe(202);
  });
});

describe('fault injector decisions', () => {
  it('latency: fixed, uniform and normal delays follow their distributions', () => {
    const fixed = new FaultInjector(parseFaults(['latency:50ms']), 1);
    expect(fixed.delayMs()).toBe(50);
    const draws = (spec: string) => {
      const injector = new FaultInjector(parseFaults([spec]), 1);
      return Array.from({ length: 20_000 }, () => injector.delayMs());
    };
    const uniform = draws('latency:uniform:20ms:80ms');
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(80);
    expect(mean(uniform)).toBeCloseTo(50, 0);
    const normal = draws('latency:normal:50ms:10ms');
    expect(mean(normal)).toBeCloseTo(50, 0);
    expect(Math.sqrt(mean(normal.map((x) => (x - 50) ** 2)))).toBeCloseTo(10, 0);
    expect(Math.min(...draws('latency:normal:1ms:10ms'))).toBe(0); // clamped: no negative delay
  });

  it('the same seed makes the same choices; another seed makes others', () => {
    const sequence = (seed: number) => {
      const injector = new FaultInjector(parseFaults(['errors:0.5']), seed);
      return Array.from({ length: 64 }, () => injector.injectedError());
    };
    expect(sequence(3)).toEqual(sequence(3));
    expect(sequence(3)).not.toEqual(sequence(4));
  });
});

describe('parseFaults', () => {
  it('parses every fault of the catalogue', () => {
    expect(
      parseFaults(['race:tick', 'lose-writes:0.02', 'errors:5%:502', 'latency:normal:50ms:10ms', 'false-conflict:0.01', 'wrong-status:200', 'no-validation']),
    ).toEqual({
      race: 'tick',
      loseWrites: 0.02,
      errors: { fraction: 0.05, status: 502 },
      latency: { kind: 'normal', meanMs: 50, sdMs: 10 },
      falseConflict: 0.01,
      wrongStatus: 200,
      noValidation: true,
    });
    expect(parseFaults(['race:2ms', 'errors:0.1'])).toEqual({ race: 2, errors: { fraction: 0.1, status: 503 } });
  });

  it.each([
    ['explode', /unknown fault "explode"/],
    ['race', /expected race:tick or race:<duration>/],
    ['race:soon', /not a duration/],
    ['lose-writes:2', /not a fraction/],
    ['errors:0.1:404', /at least 500/],
    ['latency:50', /not a duration; write a number with a unit/],
    ['latency:uniform:80ms:20ms', /maximum .* below the minimum/],
    ['wrong-status:abc', /not a whole number/],
    ['no-validation:yes', /no parameter/],
  ])('rejects %s with a message that says how to fix it', (spec, message) => {
    expect(() => parseFaults([spec])).toThrow(InvalidFaultError);
    expect(() => parseFaults([spec])).toThrow(message);
  });

  it('rejects the same fault given twice', () => {
    expect(() => parseFaults(['latency:1ms', 'latency:2ms'])).toThrow(/given twice/);
  });
});

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
