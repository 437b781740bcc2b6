// ramp.ts under the k6 stand-ins: steps as ramping-arrival-rate stages, requests tagged by step, the knee reported.

import { afterEach, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../src/contract/validators.ts';
import { CLOCK_START, correctService, loadScenario, range, unloadScenario } from './stand-ins/harness.ts';

afterEach(unloadScenario);

const ENV = { RUN_ID: 'ramp-run', STAGES: '20:10s,40:10s,80:10s', P99_MS: '50' };
// Latency breaks in the third step (from 22 s on: each step is a 1 s ramp plus its 10 s hold).
const slowAfter22s = () => correctService(409, () => (Date.now() - CLOCK_START >= 22000 ? 200 : 5));

async function runRamp(env: Record<string, string>) {
  const k6 = await loadScenario('ramp', { env, responder: slowAfter22s() });
  const data = k6.module.setup();
  k6.run(data, range(330), { stepMs: 100 }); // 33 s
  return { k6, data };
}

describe('ramp.ts', () => {
  it('turns STAGES into a 1 s ramp plus a hold per step, gating latency only up to REQUIRED_RATE', async () => {
    const k6 = await loadScenario('ramp', { env: { ...ENV, REQUIRED_RATE: '40' } });
    expect(k6.module.options.scenarios).toEqual({
      ramp: {
        executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 1000,
        stages: [
          { target: 20, duration: '1s' }, { target: 20, duration: '10s' },
          { target: 40, duration: '1s' }, { target: 40, duration: '10s' },
          { target: 80, duration: '1s' }, { target: 80, duration: '10s' },
        ],
      },
    });
    expect(k6.module.options.thresholds).toMatchObject({
      'http_req_duration{step:0}': ['p(99)<50'], 'http_req_failed{step:0}': ['rate<0.01'],
      'http_req_duration{step:1}': ['p(99)<50'], 'http_req_failed{step:1}': ['rate<0.01'],
      'http_req_duration{step:2}': ['max>=0'], 'http_req_failed{step:2}': ['rate>=0'],
      stampede_duplicate_acknowledged: ['count==0'], stampede_wrong_answers: ['count==0'],
    });
    expect(k6.module.options.thresholds).not.toHaveProperty('http_req_duration');
  });

  it('tags each request with its step and reports the last rate that held', async () => {
    const { k6, data } = await runRamp({ ...ENV, REQUIRED_RATE: '40' });
    const steps = k6.state.requests.map((r) => r.tags.step);
    expect(steps.slice(0, 110).every((s) => s === '0')).toBe(true);
    expect(steps.slice(110, 220).every((s) => s === '1')).toBe(true);
    expect(steps.slice(220).every((s) => s === '2')).toBe(true);
    const { failed, outputs, document } = k6.finish(data);
    expect(failed).toEqual([]);
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.thresholds).toContainEqual(expect.objectContaining({ id: 'ramp-last-rate-held', observed: '40 req/s', limit: '≥ 40 req/s', verdict: 'pass' }));
    expect(document.thresholds.map((t: { limit: string }) => t.limit)).not.toContain('max>=0');
    expect(document.verdict).toBe('pass');
    expect(outputs.stdout).toContain('last rate that held: 40 req/s (step 1)');
    expect(outputs.stdout).toMatch(/step 2 · 80 req\/s · 110 requests · p99 200\.0 ms · errors 0\.00% · broke/);
  });

  it('fails when the knee is below REQUIRED_RATE (and so does k6, through the step threshold)', async () => {
    const { k6, data } = await runRamp({ ...ENV, REQUIRED_RATE: '80' });
    const { failed, document } = k6.finish(data);
    expect(failed).toEqual(['http_req_duration{step:2} p(99)<50']);
    expect(document.verdict).toBe('fail');
    expect(document.thresholds).toContainEqual(expect.objectContaining({ id: 'ramp-last-rate-held', observed: '40 req/s', verdict: 'fail' }));
  });

  it('builds steps from START_RATE, END_RATE, STEP and STEP_DURATION', async () => {
    const k6 = await loadScenario('ramp', { env: { START_RATE: '100', END_RATE: '300', STEP: '100', STEP_DURATION: '20s' } });
    const scenario = k6.module.options.scenarios?.ramp as { stages: Array<{ target: number; duration: string }> };
    expect(scenario.stages.map((s) => `${s.target}/${s.duration}`)).toEqual(['100/1s', '100/20s', '200/1s', '200/20s', '300/1s', '300/20s']);
  });
});
