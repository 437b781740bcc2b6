// Honest latency (issue 14), the figure itself: against a target that answers in 50 ms, the reported p50 is 50 ms
// (±3 %) and stampede's own lag next to nothing. A latency figure: this file runs in the quiet group (vitest.config.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLoadOptions } from '../options/load-options.ts';
import { startServiceInWorker, type WorkerService } from '../service/worker-service.ts';
import { runLoad } from './load-run.ts';

let slow: WorkerService;
beforeAll(async () => {
  slow = await startServiceInWorker({ faults: ['latency:50ms'] });
});
afterAll(() => slow.close());

describe('the generator\'s own lag', () => {
  it('latency:50ms at 200 req/s: the headline p50 is the target\'s 50 ms (±3 %), with next to no lag', async () => {
    const doc = await runLoad(resolveLoadOptions({ target: slow.url, rate: 200, duration: '2s', warmup: '500ms', probe: 'off', seed: 24, maxConnections: 64 }), { toolVersion: 'test' });
    expect(doc.latency.overall.p50).toBeGreaterThan(50 * 0.97);
    expect(doc.latency.overall.p50).toBeLessThan(50 * 1.03);
    expect(doc.latency.service!.p50).toBeGreaterThan(50 * 0.97);
    expect(doc.latency.lag!.p50).toBeLessThan(1);
  });
});
