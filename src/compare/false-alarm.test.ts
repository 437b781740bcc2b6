// The statistics do not cry wolf: over thousands of synthetic A/A pairs drawn from one distribution, a figure is
// called significant at most as often as alpha allows; over A/B pairs, a real shift is found.
//
// Tolerance: with N pairs and a true false-alarm rate of at most 5%, the observed rate is Binomial(N, 0.05)/N; three
// standard deviations, 3·sqrt(0.05·0.95/N), bound it with 99.87% probability (2,000 pairs: +1.5 points, so ≤ 6.5%).
// The draws are seeded, so the check is deterministic; the tolerance only keeps a lucky seed from hiding an excess.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRandom, type Random } from '../random.ts';
import type { ResultDocument, SecondSample } from '../result/result-document.ts';
import type { FigureId } from './comparison-document.ts';
import { compareFigures, median, type SideSamples } from './compare-figures.ts';
import { compareRuns } from './compare-runs.ts';
import { FIGURES } from './figures.ts';

const ALPHA = 0.05;
const tolerance = (pairs: number) => 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / pairs);

/** One second of a steady run: counts around 300 req/s, latency from a lognormal whose scale drifts a little per second. */
function second(random: Random, t: number, slower = 1): SecondSample {
  const answers = Math.round(random.normal(300, 17));
  const errors = random.next() < 0.9 ? 0 : 1 + Math.floor(random.next() * 3);
  const scale = Math.exp(random.normal(0, 0.15)) * slower; // shared by the percentiles of this second
  const ms = (median: number, spread: number) => Math.round(median * scale * Math.exp(random.normal(0, spread)) * 1000) / 1000;
  return { t, sent: answers, ok: answers - errors, fail: errors, indeterminate: 0, p50: ms(0.5, 0.05), p90: ms(1.5, 0.1), p99: ms(4, 0.3), p999: ms(7, 0.4), lagP99: ms(3, 0.3) };
}

function side(random: Random, n: number, slower = 1): SideSamples {
  const rows = Array.from({ length: n }, (_, t) => second(random, t, slower));
  const values = Object.fromEntries(FIGURES.map((f) => [f.id, rows.map(f.sample).filter((v): v is number => v !== undefined)])) as Record<FigureId, number[]>;
  // One run per side: the rank test over its seconds decides alone (no run-to-run check).
  return { values, runMedians: Object.fromEntries(FIGURES.map((f) => [f.id, [median(values[f.id])]])) as Record<FigureId, number[]> };
}

const size = (random: Random) => 5 + Math.floor(random.next() * 10); // 5..14 seconds per side, as short runs give

describe('false alarms over synthetic A/A pairs (alpha 0.05)', () => {
  const pairs = 2000;
  const random = createRandom('a-a-pairs');
  const raw: Record<string, number> = {};
  const significant: Record<string, number> = {};
  let anyFigure = 0;
  let covered = 0;
  let intervals = 0;
  for (let i = 0; i < pairs; i++) {
    const { figures } = compareFigures(side(random, size(random)), side(random, size(random)), ALPHA);
    let any = false;
    for (const f of figures) {
      if (f.test && f.test.pValue < ALPHA) raw[f.id] = (raw[f.id] ?? 0) + 1;
      if (f.change === 'regression' || f.change === 'improvement') {
        significant[f.id] = (significant[f.id] ?? 0) + 1;
        any = true;
      }
      if (f.id === 'p50' && f.shift) {
        intervals++;
        if (f.shift.low <= 0 && f.shift.high >= 0) covered++;
      }
    }
    if (any) anyFigure++;
  }
  const bound = ALPHA + tolerance(pairs);

  it.each(FIGURES.map((f) => f.id))('%s: the rank test alone is significant in at most 5% (+ tolerance) of the pairs', (id) => {
    expect((raw[id] ?? 0) / pairs).toBeLessThanOrEqual(bound);
  });

  it('after Holm, "any figure significant" (what the A/A run test asserts never happens) stays within 5% (+ tolerance)', () => {
    expect(anyFigure / pairs).toBeLessThanOrEqual(bound);
    for (const f of FIGURES) expect((significant[f.id] ?? 0) / pairs).toBeLessThanOrEqual(bound);
  });

  it('the shift interval holds the true shift (0) in at least 95% (− tolerance) of the pairs', () => {
    expect(intervals).toBeGreaterThan(pairs * 0.9);
    expect(covered / intervals).toBeGreaterThanOrEqual(1 - ALPHA - tolerance(intervals));
  });
});

describe('the same statistics find a real change', () => {
  it('latency 1.5× slower is a significant p50 regression in most A/B pairs, throughput unchanged in most', () => {
    const random = createRandom('a-b-pairs');
    const pairs = 300;
    let found = 0;
    let throughputChanged = 0;
    for (let i = 0; i < pairs; i++) {
      const { figures } = compareFigures(side(random, 10), side(random, 10, 1.5), ALPHA);
      if (figures.find((f) => f.id === 'p50')!.change === 'regression') found++;
      if (figures.find((f) => f.id === 'throughput')!.change !== 'none') throughputChanged++;
    }
    expect(found / pairs).toBeGreaterThan(0.9);
    expect(throughputChanged / pairs).toBeLessThanOrEqual(ALPHA + tolerance(pairs));
  });
});

describe('whole documents: A/A pairs of two runs per side through compareRuns', () => {
  const template = JSON.parse(readFileSync(new URL('../../reports/fixtures/load-pass.json', import.meta.url), 'utf8')) as ResultDocument;
  const run = (random: Random, seconds: number, name: string, swing = 0) => {
    // The fixture's first second is the ramp-up (no warm-up) and a last partial row follows the whole seconds. A run's
    // own conditions move all its seconds alike: its latency scaled by exp(N(0, swing)).
    const level = Math.exp(random.normal(0, swing));
    const rows = Array.from({ length: seconds + 2 }, (_, t) => second(random, t, level));
    return { name, document: { ...template, throughput: { overall: 300, durationMs: (seconds + 1) * 1000 + 40, perSecond: rows } } };
  };

  it('over 400 pairs, no figure is significant in more than 5% (+ tolerance) of them', () => {
    const random = createRandom('a-a-documents');
    const pairs = 400;
    let alarms = 0;
    for (let i = 0; i < pairs; i++) {
      const comparison = compareRuns({ base: [run(random, 4, 'a1'), run(random, 4, 'a2')], new: [run(random, 4, 'b1'), run(random, 4, 'b2')], alpha: ALPHA, toolVersion: 'test' });
      expect(comparison.figures.find((f) => f.id === 'p50')!.base.n).toBe(8);
      if (comparison.figures.some((f) => f.change === 'regression' || f.change === 'improvement')) alarms++;
    }
    expect(alarms / pairs).toBeLessThanOrEqual(ALPHA + tolerance(pairs));
  });

  it('runs that swing ±15% among themselves: the run-to-run check keeps false alarms within 5% (+ tolerance); the seconds alone would not', () => {
    const random = createRandom('a-a-swinging-runs');
    const pairs = 400;
    let alarms = 0;
    let secondsAlone = 0;
    for (let i = 0; i < pairs; i++) {
      const comparison = compareRuns({ base: [run(random, 6, 'a1', 0.15), run(random, 6, 'a2', 0.15)], new: [run(random, 6, 'b1', 0.15), run(random, 6, 'b2', 0.15)], alpha: ALPHA, toolVersion: 'test' });
      if (comparison.figures.some((f) => f.change === 'regression' || f.change === 'improvement')) alarms++;
      if (comparison.figures.some((f) => f.test !== undefined && f.test.adjustedP < ALPHA)) secondsAlone++;
    }
    expect(alarms / pairs).toBeLessThanOrEqual(ALPHA + tolerance(pairs));
    expect(secondsAlone / pairs).toBeGreaterThan(0.15); // about one pair in five here
  });
});
