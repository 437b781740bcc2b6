// compareRuns on documents built from a fixture: which seconds are used, like for like, invariants, limits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { comparisonDocumentViolations } from '../contract/validators.ts';
import { NotComparableError } from '../errors.ts';
import type { ResultDocument, SecondSample } from '../result/result-document.ts';
import { compareRuns } from './compare-runs.ts';
import { runSamples } from './samples.ts';

const template = JSON.parse(readFileSync(new URL('../../reports/fixtures/load-pass.json', import.meta.url), 'utf8')) as ResultDocument;

/** A run whose seconds have the given p50 (ms) and 300 answers each, then a partial last row; a ramp-up row first. */
function run(name: string, p50s: number[], patch: Partial<ResultDocument> = {}, config: Record<string, unknown> = {}) {
  const row = (t: number, p50: number, answers = 300): SecondSample => ({ t, sent: answers, ok: answers, fail: 0, indeterminate: 0, p50, p90: p50 * 2, p99: p50 * 4, p999: p50 * 6 });
  const perSecond = [row(0, 50, 120), ...p50s.map((p, i) => row(i + 1, p)), row(p50s.length + 1, 9, 4)];
  const document: ResultDocument = {
    ...template,
    engine: 'http1',
    config: { ...template.config, engine: 'http1', ...config },
    throughput: { overall: 300, durationMs: (p50s.length + 1) * 1000 + 12, perSecond },
    ...patch,
  };
  return { name, document };
}

const steady = (n: number, ms: number, step = 0.01) => Array.from({ length: n }, (_, i) => ms + i * step);

describe('the seconds a comparison uses', () => {
  it('drops the ramp-up second (no warm-up) and the partial last row; keeps the first second after a warm-up', () => {
    const plain = runSamples(run('a', [1, 2, 3]).document);
    expect(plain.seconds).toEqual({ rows: 5, used: 3, lagged: 0, dropped: ['t=0 s: the ramp-up second (no --warmup ran before it)', 't=4 s: covers 12 ms of load (the run ended in it)'] });
    expect(plain.values.p50).toEqual([1, 2, 3]);
    const warmed = runSamples(run('b', [1, 2, 3], { warmup: { durationMs: 500, totals: { sent: 1, ok: 1, fail: 0, indeterminate: 0 } } }).document);
    expect(warmed.seconds.used).toBe(4);
    expect(warmed.values.p50).toEqual([50, 1, 2, 3]);
  });

  it("leaves out the latency of a second whose stampede lag p99 went over the run's --max-lag, keeping its answers", () => {
    const { document } = run('a', [1, 2, 3], {}, { maxLag: 'p99=5ms' });
    document.throughput.perSecond.forEach((row, i) => (row.lagP99 = i === 2 ? 12.5 : 0.4));
    const samples = runSamples(document);
    expect(samples.values.p50).toEqual([1, 3]);
    expect(samples.values.throughput).toEqual([300, 300, 300]);
    expect(samples.values['lag-p99']).toEqual([0.4, 12.5, 0.4]);
    expect(samples.seconds).toMatchObject({ used: 3, lagged: 1 });
    expect(samples.seconds.dropped).toContain("t=2 s: latency left out, stampede's own lag p99 was 12.5 ms (over 5 ms)");
    // --max-lag off: nothing is left out.
    expect(runSamples(run('b', [1, 2, 3], {}, { maxLag: 'off' }).document).values.p50).toEqual([1, 2, 3]);
  });
});

describe('compareRuns', () => {
  it('a clear slowdown is a significant p50 regression with its interval; equal throughput is ~; the document fits its schema', () => {
    const doc = compareRuns({ base: [run('a', steady(8, 1))], new: [run('b', steady(8, 2))], alpha: 0.05, toolVersion: 'test' });
    expect(comparisonDocumentViolations(doc)).toEqual([]);
    const p50 = doc.figures.find((f) => f.id === 'p50')!;
    expect(p50.change).toBe('regression');
    expect(p50.relative!.estimate).toBeCloseTo(1, 1);
    expect(p50.shift!.low).toBeGreaterThan(0);
    expect(doc.figures.find((f) => f.id === 'throughput')!.change).toBe('none');
    expect(doc.likeForLike).toBe(true);
    expect(doc.verdict).toBe('pass');
  });

  it('with several runs a side, a difference no larger than the swing between its runs is no change (~), a larger one is', () => {
    const swing = compareRuns({ base: [run('a1', steady(16, 1, 0.001)), run('a2', steady(16, 1.3, 0.001))], new: [run('b1', steady(16, 1.1, 0.001)), run('b2', steady(16, 1.4, 0.001))], alpha: 0.05, toolVersion: 'test' });
    const p50 = swing.figures.find((f) => f.id === 'p50')!;
    expect(p50.test!.adjustedP).toBeLessThan(0.05); // the seconds alone would call it significant
    expect(p50.runTest).toMatchObject({ runs: [2, 2], df: 2 });
    expect(p50.runTest!.adjustedP).toBeGreaterThan(0.05);
    expect(p50.change).toBe('none');
    expect(p50.note).toMatch(/^the seconds differ \(p=.*\), but no more than runs of one side differ among themselves \(run-to-run p=/);
    const slower = compareRuns({ base: [run('a1', steady(8, 1, 0.001)), run('a2', steady(8, 1.05, 0.001))], new: [run('b1', steady(8, 2, 0.001)), run('b2', steady(8, 2.1, 0.001))], alpha: 0.05, toolVersion: 'test' });
    expect(slower.figures.find((f) => f.id === 'p50')!.change).toBe('regression');
  });

  it('lists what is not like for like (connections, body mix, tool version), and refuses a closed model against an open one', () => {
    const other = run('b', steady(8, 1), { tool: { name: 'stampede', version: '9.9.9' } }, { model: { kind: 'closed', connections: 64 }, dupRatio: 0.2 });
    const doc = compareRuns({ base: [run('a', steady(8, 1))], new: [other], alpha: 0.05, toolVersion: 'test' });
    expect(doc.likeForLike).toBe(false);
    expect(doc.differences).toEqual([
      { fact: 'connections', base: '32', new: '64' },
      { fact: 'dup-ratio', base: '0.05', new: '0.2' },
      { fact: 'tool-version', base: '0.1.0', new: '9.9.9' },
    ]);
    const open = run('c', steady(8, 1), {}, { model: { kind: 'open', rate: 300, maxConnections: 256 } });
    expect(() => compareRuns({ base: [run('a', steady(8, 1))], new: [open], alpha: 0.05, toolVersion: 'test' })).toThrow(NotComparableError);
    expect(() => compareRuns({ base: [run('a', steady(8, 1))], new: [open], alpha: 0.05, toolVersion: 'test' })).toThrow(/BASE is the closed model \(32 connections\), NEW the open model \(300 req\/s\)/);
  });

  it('limits: a significant regression beyond its limit fails, within it passes, an improvement never fails, too few seconds is unknown', () => {
    const limits = [
      { figure: 'p50', text: '10%', kind: 'relative', value: 0.1 },
      { figure: 'p99', text: '200%', kind: 'relative', value: 2 },
    ] as const;
    const slower = compareRuns({ base: [run('a', steady(8, 1))], new: [run('b', steady(8, 2))], alpha: 0.05, limits: [...limits], toolVersion: 'test' });
    expect(slower.limits!.map((l) => [l.figure, l.verdict])).toEqual([['p50', 'fail'], ['p99', 'pass']]);
    expect(slower.verdict).toBe('fail');
    expect(slower.verdictReasons[0]).toMatch(/^latency p50: a significant regression beyond the allowed 10%: \+\d+(\.\d+)?% \(9\d(\.\d+)?% CI .* p[=<]/);
    const faster = compareRuns({ base: [run('a', steady(8, 2))], new: [run('b', steady(8, 1))], alpha: 0.05, limits: [...limits], toolVersion: 'test' });
    expect(faster.figures.find((f) => f.id === 'p50')!.change).toBe('improvement');
    expect(faster.verdict).toBe('pass');
    const short = compareRuns({ base: [run('a', steady(2, 1))], new: [run('b', steady(2, 2))], alpha: 0.05, limits: [...limits], toolVersion: 'test' });
    expect(short.figures.find((f) => f.id === 'p50')!.change).toBe('undecidable');
    expect(short.limits![0]).toMatchObject({ verdict: 'unknown', observed: expect.stringMatching(/^\? \(too few seconds to detect any change at alpha 0.05: 2 \+ 2/) });
    expect(short.verdict).toBe('unknown');
  });

  it('a generator-bound run without per-second lag makes its latency and throughput undecidable; invariant verdicts are compared', () => {
    const bound = run('b', steady(8, 2), {
      latency: { ...template.latency, generatorBound: { limit: 'p99=5ms', observed: 9, lateShare: 0.3, reason: 'lag p99 9 ms over 5 ms' } },
      invariants: template.invariants.map((i) => (i.id === 'U1' ? { ...i, verdict: 'fail', violations: 3 } : i)),
    });
    const doc = compareRuns({ base: [run('a', steady(8, 1))], new: [bound], alpha: 0.05, toolVersion: 'test' });
    expect(doc.figures.find((f) => f.id === 'p50')).toMatchObject({ change: 'undecidable', note: expect.stringContaining('generator-bound: b: lag p99 9 ms over 5 ms') });
    expect(doc.figures.find((f) => f.id === 'error-rate')!.change).toBe('none');
    expect(doc.invariants.find((i) => i.id === 'U1')).toMatchObject({ base: { verdict: 'pass', violations: 0 }, new: { verdict: 'fail', violations: 3 }, change: 'worse' });
  });
});
