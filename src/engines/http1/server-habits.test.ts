// The transport against servers with habits of their own (issue 13): connections closed by the server after N answers,
// a short idle timeout, HTTP/1.0, and answers of every ordinary shape. Each front server forwards to the reference
// service, so every run must judge exactly as against the reference service: no indeterminate outcome, same verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.ts';
import { resolveConformOptions } from '../../options/conform-options.ts';
import { resolveLoadOptions, type LoadOptionsInput } from '../../options/load-options.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { startFrontServer, type FrontHabit, type FrontServer } from '../../testing/front-server.ts';
import { runLoad } from '../load-run.ts';

let reference: RunningService;
beforeAll(async () => {
  reference = await startService();
});
afterAll(() => reference.close(0));

async function withFront<T>(habit: FrontHabit, body: (front: FrontServer) => Promise<T>): Promise<T> {
  const front = await startFrontServer(reference.url, habit);
  try {
    return await body(front);
  } finally {
    await front.close();
  }
}

async function load(target: string, input: LoadOptionsInput): Promise<ResultDocument> {
  return runLoad(resolveLoadOptions({ target, probe: 'all', dupRatio: 0.1, seed: seed++, ...input }), { toolVersion: 'test' });
}

/** What every run against a correct service behind a front server must show. */
function expectClean(doc: ResultDocument): void {
  expect({ indeterminate: doc.totals.indeterminate, errors: doc.errors, unsent: doc.unsent }).toEqual({ indeterminate: 0, errors: {}, unsent: undefined });
  expect(doc.totals.fail).toBe(0);
  expect(doc.verdict).toBe('pass');
}

const CLOSED: LoadOptionsInput = { connections: 16, requests: 300 };
const OPEN: LoadOptionsInput = { rate: 1000, duration: '300ms', maxConnections: 16, warmup: 0 };

let seed = 100;

describe.each<[string, FrontHabit]>([
  ['Connection: close on every answer', { kind: 'close-every', n: 1 }],
  ['Connection: close on every 2nd answer', { kind: 'close-every', n: 2 }],
  ['Connection: close on every 100th answer', { kind: 'close-every', n: 100 }],
  ['an idle keep-alive timeout of 50 ms', { kind: 'idle-timeout', ms: 50 }],
  ['an HTTP/1.0 server (no keep-alive, body delimited by the close)', { kind: 'http10' }],
])('a connection closed by the server costs no outcome: %s', (_name, habit) => {
  it('load, closed model (http1 engine) with the durability probe: 0 indeterminate, pass', async () => {
    await withFront(habit, async (front) => {
      const doc = await load(front.url, CLOSED);
      expectClean(doc);
      expect(doc.probe!.outcomes.indeterminate).toBe(0);
      expect(doc.probe!.probed).toBe(doc.probe!.acknowledged);
      if (habit.kind !== 'idle-timeout') expect(front.connections).toBeGreaterThan(16); // the server did close connections
    });
  });

  it('load, open model: 0 indeterminate, pass', async () => {
    await withFront(habit, async (front) => expectClean(await load(front.url, OPEN)));
  });

  // autocannon cannot read a body delimited by the close (its parser is never told the connection ended): the README
  // says to use the http1 engine against HTTP/1.0 servers.
  if (habit.kind !== 'http10') {
    it('load, closed model on autocannon: 0 indeterminate, pass', async () => {
      await withFront(habit, async (front) => expectClean(await load(front.url, { ...CLOSED, engine: 'autocannon' })));
    });
  }

  it('conform: the same verdict as the reference service, no check without an answer', async () => {
    await withFront(habit, async (front) => {
      const options = resolveConformOptions({ target: front.url, fuzz: 10, seed: seed++, timeout: '5s' });
      const { document } = await runConformance(options, { toolVersion: 'test', resultDirectory: '/tmp/stampede-habits' });
      expect(document.checks!.filter((c) => c.observed?.error !== undefined || c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} ${c.observed?.status} ${c.observed?.error} ${c.detail}`)).toEqual([]);
      expect(document.totals.indeterminate).toBe(0);
      expect(document.verdict).toBe('pass');
    });
  });
});

describe.each<[string, FrontHabit, (doc: ResultDocument) => void]>([
  ['a chunked 201 with a body', { kind: 'chunked-body' }, (doc) => expect(doc.statuses['201']).toBeGreaterThan(0)],
  ['a 201 echoing a 64 KiB JSON body', { kind: 'echo-64kib' }, (doc) => expect(doc.statuses['201']).toBeGreaterThan(0)],
  ['100 Continue before the final answer', { kind: 'continue' }, (doc) => expect(doc.statuses['100']).toBeUndefined()],
  ['the head split across many TCP segments (then close)', { kind: 'split-head' }, (doc) => expect(doc.statuses['201']).toBeGreaterThan(0)],
])('answers of every ordinary shape are classified like any other: %s', (_name, habit, extra) => {
  it('load (closed and open model) and the probe: every answer classified, none indeterminate, pass', async () => {
    await withFront(habit, async (front) => {
      for (const input of [CLOSED, OPEN]) {
        const doc = await load(front.url, { ...input, requests: input === CLOSED ? 300 : undefined });
        expectClean(doc);
        extra(doc);
      }
    });
  });
});

describe('204 with no body instead of 201', () => {
  it('is read as a 204: a wrong status (fail) that still acknowledges the ID, never a transport error', async () => {
    await withFront({ kind: 'no-content' }, async (front) => {
      const doc = await load(front.url, { connections: 8, requests: 200, dupRatio: 0 });
      expect(doc.statuses).toEqual({ '204': 200 });
      expect(doc.errors).toEqual({});
      expect(doc.totals.indeterminate).toBe(0);
      expect(doc.totals.byKind.first).toMatchObject({ sent: 200, fail: 200 });
      // Acknowledged: the probe re-submits every one of them and gets the reference service's 409.
      expect(doc.probe).toMatchObject({ acknowledged: 200, probed: 200, lostWrites: 0 });
    });
  });
});
