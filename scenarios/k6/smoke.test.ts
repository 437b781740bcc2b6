// smoke.ts under the k6 stand-ins: four conformance checks as a pre-flight, failing the run when one fails.

import { afterEach, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../src/contract/validators.ts';
import { loadScenario, unloadScenario } from './stand-ins/harness.ts';
import type { Responder } from './stand-ins/state.ts';

afterEach(unloadScenario);

describe('smoke.ts', () => {
  it('checks 201, duplicate → conflict, malformed → 400 and wrong Content-Type → 415 against a correct service', async () => {
    const k6 = await loadScenario('smoke', { env: { RUN_ID: 'smoke-run', CONFLICT_STATUS: '409' } });
    const data = k6.module.setup();
    k6.iterate(data, { vu: 1, iterationInScenario: 0, iterationInTest: 0 });
    const [created, again, malformed, mediaType] = k6.state.requests;
    expect(k6.state.requests.map((r) => r.response.status)).toEqual([201, 409, 400, 415]);
    expect(again!.body).toBe(created!.body);
    expect([created!.metadata.attempt, again!.metadata.attempt]).toEqual(['first', 'duplicate']);
    expect([created!.metadata.request_id, again!.metadata.request_id]).toEqual(['1:0:1', '1:0:2']);
    expect(malformed!.metadata).toEqual({}); // not a registration: `stampede merge` leaves it out
    expect(mediaType!.metadata).toEqual({});
    expect(mediaType!.headers['Content-Type']).toBe('text/plain');
    expect(() => JSON.parse(malformed!.body)).toThrow();
    expect(k6.state.checks.map((c) => [c.name, c.passed])).toEqual([
      ['first attempt → 201', true], ['duplicate → 409', true], ['malformed JSON → 400', true], ['wrong Content-Type → 415', true],
    ]);
    expect(Object.values(k6.module.SMOKE_CHECKS)).toEqual(k6.state.checks.map((c) => c.name));
    const { failed, outputs, document } = k6.finish(data);
    expect(failed).toEqual([]);
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.verdict).toBe('pass');
    expect(outputs.stdout).toContain('✓ wrong Content-Type → 415 (1 passed, 0 failed)');
  });

  it('fails the checks threshold against a service that accepts anything', async () => {
    const lenient: Responder = () => ({ status: 201, durationMs: 2 });
    const k6 = await loadScenario('smoke', { env: { RUN_ID: 'smoke-run' }, responder: lenient });
    const data = k6.module.setup();
    k6.iterate(data, { vu: 1, iterationInScenario: 0, iterationInTest: 0 });
    expect(k6.state.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['duplicate → 409', 'malformed JSON → 400', 'wrong Content-Type → 415']);
    const { failed, document } = k6.finish(data);
    expect(failed).toEqual(['checks rate==1']);
    expect(document.verdict).toBe('fail');
  });
});
