// Every row of DESIGN.md's contract table, answered by the reference service over real HTTP on loopback.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { postJson, send } from '../testing/http-client.ts';
import { startService, type RunningService } from './start-service.ts';

let service: RunningService;
beforeAll(async () => {
  service = await startService({ maxBody: '64kb' });
});
afterAll(() => service.close());

const body = (id: string = randomUUID()) => JSON.stringify(specExample(id));

function expectProblem(answer: { status: number; headers: Record<string, unknown>; body: string }, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  const problem = JSON.parse(answer.body);
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:stampede:problem:/), title: expect.any(String), detail: expect.any(String) });
  return problem;
}

describe('contract table (reference service)', () => {
  it('valid payload, new ID → 201 Created with an empty body', async () => {
    const answer = await postJson(service.url, body());
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('');
    expect(answer.headers['content-length']).toBe('0');
  });

  it('valid payload, ID already registered → 409 problem+json naming the ID', async () => {
    const id = randomUUID();
    expect((await postJson(service.url, body(id))).status).toBe(201);
    const problem = expectProblem(await postJson(service.url, body(id)), 409);
    expect(problem.detail).toContain(id);
  });

  it('the upper-case form of a registered UUID is the same profile → 409', async () => {
    const id = randomUUID();
    expect((await postJson(service.url, body(id))).status).toBe(201);
    expectProblem(await postJson(service.url, body(id.toUpperCase())), 409);
    // and the other way round
    const upper = randomUUID().toUpperCase();
    expect((await postJson(service.url, body(upper))).status).toBe(201);
    expectProblem(await postJson(service.url, body(upper.toLowerCase())), 409);
  });

  it('malformed JSON → 400 problem+json', async () => {
    const problem = expectProblem(await postJson(service.url, '{"userProfileId": '), 400);
    expect(problem.type).toBe('urn:stampede:problem:malformed-json');
  });

  it('schema violation → 400 problem+json listing the failing JSON pointers', async () => {
    const problem = expectProblem(await postJson(service.url, { userProfileId: 'not-a-uuid', countryCode: 'XX', extra: 1 }), 400);
    expect(problem.type).toBe('urn:stampede:problem:invalid-body');
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/countryCode', '/extra', '/userProfileId']);
    expect(problem.errors).toContainEqual({ pointer: '/countryCode', rule: 'enum', detail: expect.any(String) });
  });

  it('a rejected body registers nothing: the same ID with a valid body is then 201', async () => {
    const id = randomUUID();
    expectProblem(await postJson(service.url, { userProfileId: id, countryCode: 'XX' }), 400);
    expect((await postJson(service.url, body(id))).status).toBe(201);
  });

  it.each([
    ['missing', undefined],
    ['text/plain', 'text/plain'],
    ['form', 'application/x-www-form-urlencoded'],
    ['JSON in Latin-1', 'application/json; charset=iso-8859-1'],
  ])('Content-Type %s → 415', async (_name, contentType) => {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    expectProblem(await send(service.url, { headers, body: body() }), 415);
  });

  it('Content-Type application/json; charset=utf-8 is accepted', async () => {
    expect((await send(service.url, { headers: { 'content-type': 'application/json; charset=utf-8' }, body: body() })).status).toBe(201);
  });

  it('body over the limit → 413 problem+json and the connection is closed', async () => {
    const answer = await postJson(service.url, { userProfileId: randomUUID(), countryCode: 'US', sdkVersion: 'x'.repeat(70_000) });
    expectProblem(answer, 413);
    expect(answer.headers.connection).toBe('close');
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s /user-profiles → 405 with Allow: POST', async (method) => {
    const answer = await send(service.url, { method });
    expectProblem(answer, 405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('HEAD /user-profiles → 405 with Allow: POST and no body', async () => {
    const answer = await send(service.url, { method: 'HEAD' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
    expect(answer.body).toBe('');
  });

  it('a query string does not change the route; other paths → 404 problem+json', async () => {
    expect((await send(service.url, { path: '/user-profiles?source=test', headers: { 'content-type': 'application/json' }, body: body() })).status).toBe(201);
    expectProblem(await send(service.url, { path: '/user-profiles/', headers: { 'content-type': 'application/json' }, body: body() }), 404);
    expectProblem(await send(service.url, { path: '/', method: 'GET' }), 404);
  });

  it('GET /healthz → 200', async () => {
    const answer = await send(service.url, { path: '/healthz', method: 'GET' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
  });

  it('stats() counts answers by status and the profiles stored', async () => {
    const before = service.stats();
    await postJson(service.url, body());
    await postJson(service.url, '{');
    const after = service.stats();
    expect(after.byStatus['201']).toBe((before.byStatus['201'] ?? 0) + 1);
    expect(after.byStatus['400']).toBe((before.byStatus['400'] ?? 0) + 1);
    expect(after.profiles).toBe(before.profiles + 1);
    expect(after.responses).toBe(before.responses + 2);
  });
});
