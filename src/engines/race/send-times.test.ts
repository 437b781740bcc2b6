// Each attempt of a burst carries its own send time (the write of its final byte, or of the socket write carrying its
// final DATA frame), the spread is computed from those times, and a conflict that overtakes the 201 it depends on is
// judged against every attempt of its burst: a correct service whose 201 leaves last is never accused of a false U2.
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRaceOptions } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { lastByteBurst } from './last-byte-burst.ts';
import { planRace } from './race-plan.ts';
import { runRace } from './race-run.ts';

describe('per-attempt send times', () => {
  let racy: RunningService;
  let racyH2: RunningService;
  beforeAll(async () => {
    [racy, racyH2] = await Promise.all([startService({ faults: ['race:tick'] }), startService({ faults: ['race:tick'], http2: true })]);
  });
  afterAll(() => Promise.all([racy.close(), racyH2.close()]));

  it('last-byte: one send time per request, in release order, and the spread is their first-to-last distance', async () => {
    const url = new URL(racy.url);
    const plan = planRace({ seed: 8, sync: 'last-byte', bursts: 3, width: 16, ids: 'same', warmup: false, host: url.host, headers: [] });
    for (const burst of plan.bursts) {
      const result = await lastByteBurst({ host: url.hostname, port: Number(url.port) }, burst.requests);
      expect(result.sentAt).toHaveLength(16);
      for (let i = 1; i < 16; i++) expect(result.sentAt[i]!).toBeGreaterThan(result.sentAt[i - 1]!);
      expect(result.releasedAt).toBe(result.sentAt[0]);
      expect(result.releaseSpreadNs).toBe(Math.round((result.sentAt[15]! - result.sentAt[0]!) * 1e6));
      // Every answer came after its own request's final byte.
      result.outcomes.forEach((o, i) => expect(o.at).toBeGreaterThan(result.sentAt[i]!));
    }
  });

  it('the example timelines show each attempt at its own send time, within the burst spread (last-byte); one instant for single-packet', async () => {
    const lastByte = await runRace(resolveRaceOptions({ target: racy.url, bursts: 10, width: 16, baseline: 0, seed: 9 }), { toolVersion: 'test' });
    const u1 = lastByte.invariants.find((i) => i.id === 'U1')!;
    expect(u1.examples.length).toBeGreaterThan(0);
    for (const example of u1.examples) {
      const sent = example.timeline.map((a) => a.sentAt);
      expect(new Set(sent).size).toBe(sent.length); // distinct: not one shared burst instant
      const burst = lastByte.race!.bursts.find((b) => b.id === example.id)!;
      expect(Math.max(...sent) - Math.min(...sent)).toBeLessThanOrEqual(burst.spreadUs / 1000 + 0.002); // ms; timelines are rounded to µs
    }

    const single = await runRace(resolveRaceOptions({ target: racyH2.url, sync: 'single-packet', bursts: 10, width: 16, baseline: 0, seed: 10 }), { toolVersion: 'test' });
    const examples = single.invariants.find((i) => i.id === 'U1')!.examples;
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(new Set(example.timeline.map((a) => a.sentAt)).size).toBe(1); // one socket write
    expect(single.race!.bursts.every((b) => b.spreadUs === 0)).toBe(true);
  });
});

describe('a correct service whose conflicts leave before its 201 (answers overtaking each other)', () => {
  /**
   * Atomic check-and-insert, but the 201 is held back 5 ms while the conflicts go at once: within each burst, the
   * first answers to arrive are 409s for an ID whose creation has not been answered yet.
   */
  function delayedCreation() {
    const ids = new Set<string>();
    const handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const id = /"userProfileId"\s*:\s*"([0-9a-fA-F-]{36})"/.exec(Buffer.concat(chunks).toString('utf8'))![1]!.toLowerCase();
        if (ids.has(id)) return void res.writeHead(409, { 'content-type': 'application/problem+json' }).end('{"status":409}');
        ids.add(id);
        setTimeout(() => res.writeHead(201).end(), 5);
      });
    };
    return handler;
  }

  it.each(['last-byte', 'naive', 'single-packet'] as const)('%s: U2 passes with every conflict checked, no violation', async (sync) => {
    const handler = delayedCreation();
    const server = sync === 'single-packet' ? createH2Server(handler) : createHttp1Server(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const doc = await runRace(resolveRaceOptions({ target: url, sync, bursts: 10, width: 16, baseline: 0, seed: 11 }), { toolVersion: 'test' });
      expect(doc.race!.bursts.every((b) => b.successes === 1)).toBe(true);
      expect(doc.invariants.map((i) => [i.id, i.verdict, i.violations])).toEqual([
        ['U1', 'pass', 0],
        ['U2', 'pass', 0],
        ['U4', 'pass', 0],
      ]);
      expect(doc.invariants.find((i) => i.id === 'U2')!.checked).toBe(150);
      expect(doc.verdict).toBe('pass');
    } finally {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
