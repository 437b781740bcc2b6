// The embedded service in a worker thread behaves as the in-process one, and bad options fail in the caller.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { InvalidFaultError } from '../errors.ts';
import { postJson } from '../testing/http-client.ts';
import { startServiceInWorker } from './worker-service.ts';

describe('startServiceInWorker', () => {
  it('serves the contract from a worker thread, reports stats and closes', async () => {
    const service = await startServiceInWorker({ faults: ['wrong-status:202'] });
    const id = randomUUID();
    expect((await postJson(service.url, specExample(id))).status).toBe(202);
    expect((await postJson(service.url, specExample(id))).status).toBe(409);
    expect(await service.stats()).toMatchObject({ byStatus: { '202': 1, '409': 1 }, profiles: 1 });
    const final = await service.close();
    expect(final?.responses).toBe(2);
    await expect(postJson(service.url, specExample(randomUUID()))).rejects.toThrow();
  });

  it('rejects bad options before starting a worker', async () => {
    await expect(startServiceInWorker({ faults: ['nope'] })).rejects.toThrow(InvalidFaultError);
  });
});
