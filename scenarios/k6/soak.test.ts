// soak.ts under the k6 stand-ins: requests tagged by window, per-window error gates, p99 drift judged in the document.

import { afterEach, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../src/contract/validators.ts';
import { CLOCK_START, correctService, loadScenario, range, unloadScenario } from './stand-ins/harness.ts';

afterEach(unloadScenario);

const ENV = { RUN_ID: 'soak-run', RATE: '5', DURATION: '30s', WINDOW: '10s', MAX_DRIFT: '1.5' };

async function runSoak(latencyByWindow: number[]) {
  const window = () => Math.min(2, Math.floor((Date.now() - CLOCK_START) / 10000));
  const k6 = await loadScenario('soak', { env: ENV, responder: correctService(409, () => latencyByWindow[window()]!) });
  const data = k6.module.setup();
  k6.run(data, range(150), { stepMs: 200 }); // 30 s
  return { k6, data };
}

describe('soak.ts', () => {
  it('tags requests by window and gates every window on errors', async () => {
    const { k6 } = await runSoak([5, 5, 5]);
    expect(k6.module.options.scenarios).toEqual({
      soak: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20, maxVUs: 200 },
    });
    expect(k6.module.options.thresholds).toMatchObject({
      'http_req_failed{window:0}': ['rate<0.01'], 'http_req_failed{window:2}': ['rate<0.01'], 'http_req_duration{window:1}': ['max>=0'],
      http_req_duration: ['p(99)<500'],
    });
    const windows = k6.state.requests.map((r) => r.tags.window);
    expect([windows[0], windows[49], windows[50], windows[99], windows[100], windows[149]]).toEqual(['0', '0', '1', '1', '2', '2']);
  });

  it('passes when p99 stays flat and fails the document when it drifts beyond MAX_DRIFT', async () => {
    const flat = await runSoak([5, 6, 6]);
    const flatDocument = flat.k6.finish(flat.data).document;
    expect(resultDocumentViolations(flatDocument)).toEqual([]);
    expect(flatDocument.verdict).toBe('pass');
    expect(flatDocument.thresholds).toContainEqual(expect.objectContaining({ id: 'soak-p99-drift', verdict: 'pass' }));
    unloadScenario();

    const drifting = await runSoak([5, 8, 12]);
    const { failed, outputs, document } = drifting.k6.finish(drifting.data);
    expect(failed).toEqual([]); // k6 alone cannot see drift
    expect(document.verdict).toBe('fail');
    expect(document.thresholds).toContainEqual(expect.objectContaining({
      id: 'soak-p99-drift', limit: '≤ 1.5', verdict: 'fail', observed: '2.40 (window 0: 5.0 ms → window 2: 12.0 ms)',
    }));
    expect(outputs.stdout).toMatch(/window 2 · 50 requests · p99 12\.0 ms/);
  });
});
