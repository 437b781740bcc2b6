// Load runs with verdicts, end to end over loopback HTTP, against the reference service and its faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../contract/validators.ts';
import { resolveLoadOptions, type LoadOptionsInput } from '../options/load-options.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { startService, type RunningService } from '../service/start-service.ts';
import { runLoad } from './load-run.ts';

const REQUESTS = 3000;

async function load(input: LoadOptionsInput): Promise<ResultDocument> {
  const doc = await runLoad(resolveLoadOptions({ requests: REQUESTS, connections: 16, seed: 11, ...input }), { toolVersion: 'test' });
  // Every run: sent = ok + fail + indeterminate (in total and per kind), and the document matches its schema.
  for (const counts of [doc.totals, ...Object.values(doc.totals.byKind)]) {
    expect(counts!.sent).toBe(counts!.ok + counts!.fail + counts!.indeterminate);
  }
  expect(resultDocumentViolations(JSON.parse(JSON.stringify(doc)))).toEqual([]);
  return doc;
}

const invariant = (doc: ResultDocument, id: string) => doc.invariants.find((i) => i.id === id)!;

describe('stampede load against the reference service', () => {
  let correct: RunningService;
  beforeAll(async () => {
    correct = await startService();
  });
  afterAll(() => correct.close());

  it('correct service → pass, zero violations, zero lost writes (closed model, duplicates included)', async () => {
    const doc = await load({ target: correct.url });
    expect(doc.verdict).toBe('pass');
    expect(doc.totals.byKind.first!.sent + doc.totals.byKind.duplicate!.sent).toBe(REQUESTS);
    expect(doc.totals.byKind.duplicate!.sent).toBeGreaterThan(0);
    expect(doc.invariants.map((i) => [i.id, i.verdict, i.violations])).toEqual([
      ['U1', 'pass', 0],
      ['U2', 'pass', 0],
      ['U3', 'pass', 0],
      ['U4', 'pass', 0],
    ]);
    expect(doc.probe).toMatchObject({ mode: 'all', lostWrites: 0 });
    expect(doc.probe!.probed).toBe(doc.probe!.acknowledged);
    expect(doc.statuses['201']).toBe(doc.probe!.acknowledged);
    expect(doc.totals.fail + doc.totals.indeterminate).toBe(0);
  });

  it('the embedded reference service (worker thread) passes too, and the open model counts exactly', async () => {
    const doc = await load({ rate: 1500, requests: undefined, duration: '1s', connections: undefined, warmup: 0 });
    expect(doc.target.embedded).toBe(true);
    expect(doc.engine).toBe('http1');
    expect(doc.latency.model).toBe('open');
    expect(doc.totals.byKind.first!.sent + doc.totals.byKind.duplicate!.sent).toBe(1500);
    expect(doc.verdict).toBe('pass');
  });

  it('lose-writes:0.02 with duplicates → U1 and/or U3 violations with timelines, verdict fail', async () => {
    const doc = await load({ fault: ['lose-writes:0.02'], dupRatio: 0.2 });
    expect(doc.verdict).toBe('fail');
    const u1 = invariant(doc, 'U1');
    const u3 = invariant(doc, 'U3');
    expect(u1.violations + u3.violations).toBeGreaterThan(0);
    expect(u3.verdict).toBe('fail');
    expect(doc.probe!.lostWrites).toBe(u3.violations);
    const example = u3.examples[0]!;
    expect(example.timeline.some((a) => a.kind === 'probe' && a.status === 201)).toBe(true);
    expect(example.timeline[0]!.status).toBe(201);
  });

  it('false-conflict:0.01 → U2 violations (a conflict for an ID never sent before)', async () => {
    const doc = await load({ fault: ['false-conflict:0.01'], dupRatio: 0 });
    const u2 = invariant(doc, 'U2');
    expect(u2.verdict).toBe('fail');
    expect(u2.violations).toBeGreaterThan(5);
    expect(u2.examples[0]!.timeline).toEqual([expect.objectContaining({ kind: 'first', status: 409 })]);
    expect(doc.verdict).toBe('fail');
  });

  it('errors:0.05 → indeterminate outcomes are counted, never as ok; too many make the verdict unknown', async () => {
    const doc = await load({ fault: ['errors:0.05'] });
    const errors = doc.statuses['503']!;
    expect(errors).toBeGreaterThan(REQUESTS * 0.02);
    expect(doc.totals.byKind.first!.indeterminate + doc.totals.byKind.duplicate!.indeterminate).toBe(errors);
    expect(doc.totals.byKind.first!.ok + doc.totals.byKind.duplicate!.ok).toBe(REQUESTS - errors);
    expect(doc.verdict).toBe('unknown');
    expect(doc.verdictReasons.join(' ')).toContain('indeterminate');
  });

  it('wrong-status:200 → every first attempt is a definite wrong answer, verdict fail', async () => {
    const doc = await load({ fault: ['wrong-status:200'], requests: 500, dupRatio: 0 });
    expect(doc.totals.byKind.first!.fail).toBe(500);
    expect(doc.verdict).toBe('fail');
  });
});
