// Check-and-insert atomicity under synchronised duplicate sends (last-byte sync), with and without the race fault.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { syncBurst } from '../testing/http-client.ts';
import { startService, type RunningService } from './start-service.ts';

const WIDTH = 64;
const ATTEMPTS = 10;

describe('64 synchronised POSTs of one new ID', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService(), startService({ faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('correct service: exactly one 201, the other 63 are 409, in every attempt', async () => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const statuses = await syncBurst(correct.url, JSON.stringify(specExample(randomUUID())), WIDTH);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(WIDTH - 1);
    }
  });

  it('race:tick: more than one 201 in most attempts (the race is reproducible)', async () => {
    let reproduced = 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const statuses = await syncBurst(racy.url, JSON.stringify(specExample(randomUUID())), WIDTH);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      if (statuses.filter((s) => s === 201).length > 1) reproduced++;
    }
    expect(reproduced).toBeGreaterThan(ATTEMPTS / 2);
  });
});
