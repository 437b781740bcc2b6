// Honest latency (issue 14): the generator's own lag measured apart from the target's service time, flagged when it
// goes over --max-lag (and then no gate latency threshold is judged on it), and the warm-up kept out of the figures
// while the ledger still judges it.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../contract/validators.ts';
import { runGate } from '../gate/run-gate.ts';
import { resolveGateOptions } from '../options/gate-options.ts';
import { resolveLoadOptions } from '../options/load-options.ts';
import { startServiceInWorker, type WorkerService } from '../service/worker-service.ts';
import { runLoad } from './load-run.ts';

/** Blocks this thread (the generator's, in these tests) for `ms` after `afterMs`: a GC pause, a saturated core. */
function blockLoopAt(afterMs: number, ms: number): void {
  setTimeout(() => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  }, afterMs);
}

let worker: WorkerService;
beforeAll(async () => {
  // The target in its own thread: blocking the generator's loop must not block the target too.
  worker = await startServiceInWorker({});
});
afterAll(() => worker.close());

describe('the generator\'s own lag', () => {
  it('a 50 ms stall of the generator mid-run is seen as lag, reported apart from the service time, and flagged', async () => {
    blockLoopAt(700, 50);
    const doc = await runLoad(resolveLoadOptions({ target: worker.url, rate: 1000, duration: '1500ms', warmup: 0, probe: 'all', seed: 21 }), { toolVersion: 'test' });
    expect(resultDocumentViolations(JSON.parse(JSON.stringify(doc)))).toEqual([]);
    const { lag, service, overall, generatorBound } = doc.latency;
    // The stall delayed the requests due during it: tens of ms of lag, while the target answered as fast as ever.
    expect(lag!.max).toBeGreaterThan(40);
    expect(lag!.p99).toBeGreaterThan(5);
    expect(lag!.lateShare).toBeGreaterThan(0.02);
    // The headline is lag + service: never below either part.
    expect(overall.max).toBeGreaterThanOrEqual(lag!.max);
    expect(overall.count).toBe(service!.count);
    expect(generatorBound).toMatchObject({ limit: 'p99=5ms' });
    expect(doc.verdictReasons.join('\n')).toMatch(/generator-bound: stampede's own lag p99 was .* ms \(limit p99=5ms\), .*% of requests left more than 1 ms late.*--workers/);
    // Per second: the lag p99 of the second of the stall stands out.
    expect(Math.max(...doc.throughput.perSecond.map((row) => row.lagP99 ?? 0))).toBeGreaterThan(5);
    // The correctness verdict is untouched: the figures are flagged, the answers are still judged.
    expect(doc.verdict).toBe('pass');
  });

  it('the closed model measures its event loop\'s delay as the lag: a stall delays one request per connection, flagged at p99.9', async () => {
    blockLoopAt(400, 60);
    const doc = await runLoad(resolveLoadOptions({ target: worker.url, connections: 32, duration: '1s', probe: 'off', seed: 22, maxLag: 'p99.9=20ms' }), { toolVersion: 'test' });
    expect(doc.latency.lag!.max).toBeGreaterThan(40);
    expect(doc.latency.generatorBound).toMatchObject({ limit: 'p99.9=20ms' });
  });

  it('the gate: a latency threshold the stall would fail is unknown, never failed, and the gate exits unknown', async () => {
    // A 200 ms stall at 1,000 req/s delays more than 1 % of the requests by well over 100 ms: the p99 goes over the
    // limit, and nearly all of it is stampede's own lag.
    blockLoopAt(700, 200);
    const options = resolveGateOptions({ target: worker.url, rate: 1000, duration: '1500ms', warmup: '0', maxP99: '100ms', bursts: 0, fuzz: 0, probe: 'off', minThroughput: 0, seed: 23 });
    const { document } = await runGate(options, { toolVersion: 'test', outDir: '/tmp/stampede-lag-gate' });
    const p99 = document.thresholds!.find((t) => t.id === 'max-p99')!;
    expect(Number.parseFloat(p99.observed!)).toBeGreaterThan(100);
    expect(p99.verdict).toBe('unknown');
    expect(p99.detail).toMatch(/^undecidable: generator-bound: /);
    expect(document.verdict).toBe('unknown');
  });

});

describe('warm-up', () => {
  let accepting: Server;
  let url: string;
  beforeAll(async () => {
    // Accepts every body, duplicates included: a duplicate answered 2xx is a U1 violation wherever it happens.
    accepting = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-length': '0' }).end());
    });
    await new Promise<void>((resolve) => accepting.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(accepting.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => accepting.close(() => resolve())));

  it('warm-up requests are judged by the ledger (a 2xx duplicate during warm-up fails U1) but kept out of throughput and latency', async () => {
    // Duplicates only in the warm-up: the first 600 ms at 500 req/s, then 400 ms more.
    const doc = await runLoad(resolveLoadOptions({ target: url, rate: 500, duration: '400ms', warmup: '600ms', dupRatio: 0.3, probe: 'off', seed: 25 }), { toolVersion: 'test' });
    expect(doc.warmup).toMatchObject({ durationMs: 600 });
    expect(doc.warmup!.totals.sent).toBeGreaterThan(150);
    const u1 = doc.invariants.find((i) => i.id === 'U1')!;
    expect(u1.verdict).toBe('fail');
    // Some U1 examples are IDs first acknowledged during the warm-up.
    expect(u1.examples.some((e) => e.timeline.some((a) => a.sentAt < 600))).toBe(true);
    // The ledger counts every request; the figures only those sent after the warm-up.
    const measured = doc.throughput.perSecond.reduce((sum, row) => sum + row.sent, 0);
    expect(measured + doc.warmup!.totals.sent).toBe(doc.totals.sent);
    expect(doc.latency.overall.count).toBe(doc.totals.sent - doc.warmup!.totals.sent);
    expect(doc.throughput.overall).toBeGreaterThan(300);
    expect(doc.throughput.overall).toBeLessThan(700);
    expect(doc.throughput.durationMs).toBeLessThan(600);
  });
});
