// --workers (issue 15): the load split over threads by ID, the same requests as one thread sends, one verdict from the
// merged ledgers, faults still caught, Ctrl-C and a dying worker handled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../../contract/validators.ts';
import { resolveLoadOptions, type LoadOptionsInput } from '../../options/load-options.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { startFrontServer, type FrontServer } from '../../testing/front-server.ts';
import { loadDocument, runLoad } from '../load-run.ts';
import { startLoadWorkers } from './load-workers.ts';
import { ownerOf } from './partition.ts';
import { createDuplicateStream } from '../../../generators/duplicates.ts';

let reference: RunningService;
beforeAll(async () => {
  reference = await startService();
});
afterAll(() => reference.close(0));

async function load(input: LoadOptionsInput): Promise<ResultDocument> {
  const doc = await runLoad(resolveLoadOptions({ connections: 8, ...input }), { toolVersion: 'test' });
  expect(resultDocumentViolations(JSON.parse(JSON.stringify(doc)))).toEqual([]);
  return doc;
}

describe('the partition', () => {
  it('gives every attempt of an ID (duplicates, other-case spellings) to one worker, and splits the IDs evenly', () => {
    const stream = createDuplicateStream({ seed: 3, dupRatio: 0.3, variantRatio: 0.5, recycle: true });
    const owners = new Map<string, number>();
    const perWorker = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const item = stream.next();
      const owner = ownerOf(item.canonicalId, 4);
      // A variant spelling is written in the body, but the owner comes from the canonical ID.
      expect(item.id.toLowerCase()).toBe(item.canonicalId);
      if (owners.has(item.canonicalId)) expect(owners.get(item.canonicalId)).toBe(owner);
      else {
        owners.set(item.canonicalId, owner);
        perWorker[owner]!++;
      }
    }
    const ids = owners.size;
    for (const n of perWorker) expect(Math.abs(n - ids / 4)).toBeLessThan(ids * 0.02);
    expect(ownerOf('0b4f3a3e-8ab1-4d6b-9c3e-1f2a3b4c5d6e', 1)).toBe(0);
  });
});

describe('stampede load --workers 2', () => {
  it('sends the same multiset of bodies as one worker for the same seed, and gives the same verdict', async () => {
    const sent: Record<string, string[]> = { '1': [], '2': [] };
    for (const workers of [1, 2] as const) {
      const front: FrontServer = await startFrontServer(reference.url, { kind: 'none' }, (body) => sent[String(workers)]!.push(body.toString('latin1')));
      try {
        // No probe: its bodies are drawn afresh; the load's own are the comparison.
        const doc = await load({ target: front.url, requests: 1500, dupRatio: 0.2, seed: 71, workers, probe: 'off' });
        expect(doc.totals.sent).toBe(1500);
      } finally {
        await front.close();
      }
    }
    expect(sent['2']!.length).toBe(1500);
    expect([...sent['2']!].sort()).toEqual([...sent['1']!].sort());
    // The same run with the durability check: the same verdict (pass) either way.
    const one = await load({ target: reference.url, requests: 1000, dupRatio: 0.2, seed: 72, workers: 1 });
    const two = await load({ target: reference.url, requests: 1000, dupRatio: 0.2, seed: 73, workers: 2 });
    expect([one.verdict, two.verdict]).toEqual(['pass', 'pass']);
    expect(two.invariants.map((i) => [i.id, i.verdict])).toEqual(one.invariants.map((i) => [i.id, i.verdict]));
    expect(two.config).toMatchObject({ workers: 2 });
    expect(two.latency.overall.count).toBe(1000);
  });

  it('catches lose-writes (confirmed U3) and race:tick (U1) as one worker does', async () => {
    const lost = await load({ fault: ['lose-writes:0.05'], requests: 2000, dupRatio: 0.2, workers: 2, seed: 74 });
    expect(lost.verdict).toBe('fail');
    expect(lost.invariants.find((i) => i.id === 'U3')!.violations + lost.invariants.find((i) => i.id === 'U1')!.violations).toBeGreaterThan(0);
    const racy = await load({ fault: ['race:tick'], requests: 2000, dupRatio: 0.3, workers: 2, connections: 32, seed: 75 });
    expect(racy.invariants.find((i) => i.id === 'U1')!.verdict).toBe('fail');
  });

  it('Ctrl-C stops every worker: one partial result with what each had sent', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 600);
    const doc = await runLoad(resolveLoadOptions({ target: reference.url, connections: 8, duration: '30s', workers: 2, seed: 76 }), { toolVersion: 'test', signal: controller.signal });
    expect(doc.partial).toBe(true);
    expect(doc.totals.sent).toBeGreaterThan(0);
    expect(doc.totals.sent).toBe(doc.totals.ok + doc.totals.fail + doc.totals.indeterminate);
    expect(doc.durationMs).toBeLessThan(10_000);
  });

  it('a worker that dies is reported: its IDs are missing, the others\' part is kept, the verdict is unknown', async () => {
    const options = resolveLoadOptions({ target: reference.url, connections: 8, duration: '1s', workers: 2, seed: 77, probe: 'off' });
    const run = startLoadWorkers(options, { url: reference.url, workers: 2, startedAt: performance.timeOrigin + performance.now(), progressEveryMs: 100 });
    setTimeout(() => void run.threads[1]!.terminate(), 300);
    const part = await run.done;
    expect(run.failures).toEqual([expect.stringMatching(/^worker 2 of 2 ended without its result \(exit code 1\): the IDs it owned are missing from the result$/)]);
    expect(part.counts.load.sent).toBeGreaterThan(0);
    const target = { url: reference.url, embedded: undefined, describe: () => ({ url: reference.url, embedded: false }), release: async () => {} };
    const doc = loadDocument(options, part, { target, started: new Date(), ended: new Date(), toolVersion: 'test', failures: run.failures, interrupted: false });
    expect(doc.verdict).toBe('unknown');
    expect(doc.verdictReasons[0]).toMatch(/^worker 2 of 2 ended without its result/);
    expect(doc.partial).toBe(true);
  });
});
