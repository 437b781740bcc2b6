// HTTP/2 single-packet bursts against `stampede serve --http2` (h2c): the final frames of every stream leave in one
// socket write; correct service → one 201 per burst; race:tick → the race in ≥ 99 % of bursts. And 413 over HTTP/2.
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Output } from '../../cli/output.ts';
import { specExample } from '../../contract/example.ts';
import { resolveRaceOptions } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { planRace } from './race-plan.ts';
import { runRace } from './race-run.ts';
import { singlePacketBurst } from './single-packet-burst.ts';

describe('single-packet (HTTP/2) against the reference service with --http2', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService({ http2: true }), startService({ http2: true, faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('every final DATA frame (END_STREAM) of a burst leaves in exactly one socket write', async () => {
    const url = new URL(correct.url);
    const plan = planRace({ seed: 5, sync: 'single-packet', bursts: 5, width: 32, ids: 'same', warmup: false, host: url.host, headers: [] });
    for (const burst of plan.bursts) {
      const result = await singlePacketBurst({ host: url.hostname, port: Number(url.port) }, burst.requests);
      expect(result.releaseWrites).toBe(1);
      expect(result.releaseSpreadNs).toBe(0);
      expect(result.outcomes.map((o) => ('response' in o ? o.response.status : 0)).sort()).toEqual([201, ...Array(31).fill(409)]);
    }
  });

  it('correct service: zero bursts with more than one success in 100 bursts of 32', async () => {
    const doc = await runRace(resolveRaceOptions({ target: correct.url, sync: 'single-packet', bursts: 100, width: 32, seed: 1, baseline: 0 }), { toolVersion: 'test' });
    expect(doc.race!.sync).toBe('single-packet');
    expect(doc.race!.reproduced).toBe(0);
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 31)).toBe(true);
    expect(doc.verdictReasons.join(' ')).not.toContain('more than one socket write');
    expect(doc.verdict).toBe('pass');
  });

  it('race:tick: more than one success in ≥ 99 % of 100 bursts of 32', async () => {
    const doc = await runRace(resolveRaceOptions({ target: racy.url, sync: 'single-packet', bursts: 100, width: 32, seed: 2, baseline: 10 }), { toolVersion: 'test' });
    expect(doc.race!.detectionRate).toBeGreaterThanOrEqual(0.99);
    expect(doc.race!.baseline).toMatchObject({ sync: 'naive', bursts: 10 }); // naive HTTP/2: one session per request
    console.log(`single-packet detection ${doc.race!.detectionRate * 100}%, naive HTTP/2 ${doc.race!.baseline!.detectionRate * 100}%`);
  });

  it('--warmup: one GET /healthz stream answered on the connection before each burst; the burst still one 201', async () => {
    const before = correct.stats();
    const doc = await runRace(resolveRaceOptions({ target: correct.url, sync: 'single-packet', bursts: 5, width: 8, seed: 6, warmup: true, baseline: 0 }), { toolVersion: 'test' });
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 7)).toBe(true);
    expect(doc.config).toMatchObject({ warmup: true });
    const after = correct.stats();
    expect((after.byStatus['200'] ?? 0) - (before.byStatus['200'] ?? 0)).toBe(5);
  });

  it('413 over HTTP/2 answers the stream without lingering on the shared connection', async () => {
    const small = await startService({ http2: true, maxBody: 4096 });
    const session = connect(small.url);
    try {
      const ask = (body: string) =>
        new Promise<number>((resolve, reject) => {
          const stream = session.request({ ':method': 'POST', ':path': '/user-profiles', 'content-type': 'application/json' });
          stream.on('response', (h) => resolve(Number(h[':status'])));
          stream.on('error', reject);
          stream.end(body);
        });
      expect(await ask('x'.repeat(10_000))).toBe(413);
      expect(await ask(JSON.stringify(specExample('6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b')))).toBe(201);
    } finally {
      session.close();
      await small.close();
    }
  });
});

describe('stampede race --sync single-packet (CLI, embedded h2c service)', () => {
  it('exit 1 with --fault race:tick, exit 0 without', async () => {
    const output: Output = { out: () => {}, err: () => {}, version: 'test' };
    const dir = `/tmp/stampede-sp-${process.pid}`;
    expect(await main(['race', '--sync', 'single-packet', '--bursts', '10', '--baseline', '0', '--fault', 'race:tick', '--out', `${dir}/a`], output)).toBe(1);
    expect(await main(['race', '--sync', 'single-packet', '--bursts', '10', '--baseline', '0', '--out', `${dir}/b`], output)).toBe(0);
  });
});
