// Bad `-e` values: each scenario refuses them at init (k6 then exits non-zero) naming the variable, the rule and a fix.

import { afterEach, describe, expect, it } from 'vitest';
import { K6_SCENARIO_DEFAULTS } from './lib/defaults.ts';
import { TOOL_VERSION } from './lib/result.ts';
import { LOAD_DEFAULTS, RACE_DEFAULTS, SERVICE_DEFAULTS, GENERATOR_DEFAULTS } from '../../src/defaults.ts';
import { loadScenario, unloadScenario, type ScenarioName } from './stand-ins/harness.ts';
import { readFileSync } from 'node:fs';

afterEach(unloadScenario);

const cases: Array<[ScenarioName, Record<string, string>, RegExp]> = [
  ['throughput', { RATE: 'abc' }, /^RATE must be a positive integer \(requests per second\), got "abc"; e\.g\. -e RATE=200$/],
  ['throughput', { RATE: '0' }, /^RATE must be a positive integer/],
  ['throughput', { DURATION: '10' }, /^DURATION must be a positive duration with a unit \(ms, s, m, h\), got "10"; e\.g\. -e DURATION=1m$/],
  ['throughput', { VUS: '50', MAX_VUS: '10' }, /^MAX_VUS must be at least VUS \(50\), got "10"/],
  ['throughput', { DUP_RATIO: '1.5' }, /^DUP_RATIO must be a share from 0 to below 1 \(e\.g\. 0\.05 for 5%\), got "1\.5"; e\.g\. -e DUP_RATIO=0\.05$/],
  ['throughput', { DUP_RATIO: '1' }, /^DUP_RATIO must be a share from 0 to below 1/],
  ['throughput', { CONFLICT_STATUS: '200' }, /^CONFLICT_STATUS must be a 4xx HTTP status .*got "200"; e\.g\. -e CONFLICT_STATUS=409$/],
  ['throughput', { TARGET_URL: 'localhost:8080' }, /^TARGET_URL must be an http:\/\/ or https:\/\/ base URL/],
  ['throughput', { HEADERS: 'Authorization: Bearer x' }, /^HEADERS must be a JSON object of header names to string values, got "Authorization: Bearer x"/],
  ['throughput', { HEADERS: '{"X-Count": 3}' }, /^HEADERS must be a JSON object of header names \(tokens\) to string values/],
  ['throughput', { INSECURE: 'maybe' }, /^INSECURE must be true or false, got "maybe"; e\.g\. -e INSECURE=true$/],
  ['throughput', { RUN_ID: 'has space' }, /^RUN_ID must be 1 to 64 letters, digits/],
  ['throughput', { MAX_ERROR_RATE: '2' }, /^MAX_ERROR_RATE must be a share from 0 to 1 inclusive/],
  ['throughput', { CORPUS: 'corpus.ndjson.gz' }, /^CORPUS must be an uncompressed NDJSON corpus \(k6 cannot gunzip/],
  ['ramp', { START_RATE: '100', END_RATE: '50' }, /^END_RATE must be at least START_RATE \(100\), got "50"/],
  ['ramp', { STAGES: '50:30s,fast' }, /^STAGES must be a comma-separated list of <rate per second>:<duration> steps, got "50:30s,fast"; e\.g\. -e STAGES=50:30s,100:30s,200:1m$/],
  ['ramp', { START_RATE: '1', END_RATE: '1000', STEP: '1' }, /^STEP must be at most 250 steps/],
  ['soak', { DURATION: '10h', WINDOW: '1m' }, /^WINDOW must be at least DURATION \/ 250/],
  ['soak', { MAX_DRIFT: '-1' }, /^MAX_DRIFT must be a positive number/],
  ['race', { ROUNDS: '1000' }, /^ROUNDS must be a positive integer ≤ 500 \(rounds, each on a fresh ID\)/],
  ['race', { START_AT: 'soon' }, /^START_AT must be epoch milliseconds or an ISO 8601 date-time with offset, got "soon"/],
  ['race', { WIDTH: '-3' }, /^WIDTH must be a positive integer/],
  ['smoke', { TIMEOUT: 'forever' }, /^TIMEOUT must be a positive duration/],
];

describe('-e validation', () => {
  it.each(cases)('%s refuses %j at init', async (scenario, env, message) => {
    await expect(loadScenario(scenario, { env })).rejects.toThrow(message);
  });

  it('a missing corpus file is named with the rule', async () => {
    await expect(loadScenario('throughput', { env: { CORPUS: '/nonexistent/corpus.ndjson' } })).rejects.toThrow(
      /^CORPUS must be a readable NDJSON file from `stampede generate` \(.*ENOENT.*\), got "\/nonexistent\/corpus\.ndjson"/,
    );
  });

  it('an execution segment without RUN_ID is refused in setup (instances would derive different IDs)', async () => {
    const k6 = await loadScenario('throughput', {});
    k6.state.exec.test.options = { executionSegment: '0:1/2' };
    expect(() => k6.module.setup()).toThrow(/^RUN_ID must be set when k6 runs an execution segment \(0:1\/2\)/);
    k6.state.exec.test.options = {};
    expect(k6.module.setup().runId).toBe('k6-20300101T000000000Z'); // derived from the start time, and printed
    expect(k6.state.logs.join('\n')).toContain('RUN_ID=k6-20300101T000000000Z');
  });

  it('the defaults agree with src/defaults.ts and the tool version with package.json', () => {
    expect(K6_SCENARIO_DEFAULTS.conflictStatus).toBe(SERVICE_DEFAULTS.conflictStatus);
    expect(K6_SCENARIO_DEFAULTS.dupRatio).toBe(LOAD_DEFAULTS.dupRatio);
    expect(K6_SCENARIO_DEFAULTS.dupWindow).toBe(GENERATOR_DEFAULTS.maxDelay);
    expect(K6_SCENARIO_DEFAULTS.timeout).toBe(`${LOAD_DEFAULTS.timeoutMs / 1000}s`);
    expect(K6_SCENARIO_DEFAULTS.race.width).toBe(RACE_DEFAULTS.width);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});
