// The figures a comparison tests, each read from one per-second row of a run: what it is, its unit, which way is better.

import type { SecondSample } from '../result/result-document.ts';
import type { FigureComparison, FigureId } from './comparison-document.ts';

export interface FigureSpec extends Pick<FigureComparison, 'id' | 'title' | 'unit' | 'better' | 'delta'> {
  /**
   * latency: left out of a second whose stampede lag went over --max-lag; latency and rate: undecidable for a
   * generator-bound run without per-second lag (they describe stampede then); errors and lag: always compared.
   */
  kind: 'rate' | 'latency' | 'errors' | 'lag';
  /** The value of one second, or undefined when that second has none (no answers, or not measured by the engine). */
  sample: (row: SecondSample) => number | undefined;
}

const answers = (row: SecondSample) => row.ok + row.fail + row.indeterminate;

export const FIGURES: readonly FigureSpec[] = [
  // Answers per second: outcomes are counted in the second they arrive.
  { id: 'throughput', title: 'throughput', unit: 'req/s', better: 'higher', delta: 'relative', kind: 'rate', sample: answers },
  { id: 'p50', title: 'latency p50', unit: 'ms', better: 'lower', delta: 'relative', kind: 'latency', sample: (r) => r.p50 },
  { id: 'p90', title: 'latency p90', unit: 'ms', better: 'lower', delta: 'relative', kind: 'latency', sample: (r) => r.p90 },
  { id: 'p99', title: 'latency p99', unit: 'ms', better: 'lower', delta: 'relative', kind: 'latency', sample: (r) => r.p99 },
  { id: 'p999', title: 'latency p99.9', unit: 'ms', better: 'lower', delta: 'relative', kind: 'latency', sample: (r) => r.p999 },
  // Wrong and indeterminate answers over all answers of the second; a relative change of a rate near 0 means little.
  { id: 'error-rate', title: 'error rate', unit: 'share', better: 'lower', delta: 'absolute', kind: 'errors', sample: (r) => (answers(r) > 0 ? (r.fail + r.indeterminate) / answers(r) : undefined) },
  { id: 'lag-p99', title: "stampede's lag p99", unit: 'ms', better: 'lower', delta: 'relative', kind: 'lag', sample: (r) => r.lagP99 },
];

/** The names --max-regression accepts for each figure. */
export const FIGURE_NAMES: Record<string, FigureId> = {
  throughput: 'throughput',
  p50: 'p50',
  p90: 'p90',
  p99: 'p99',
  p999: 'p999',
  'p99.9': 'p999',
  'error-rate': 'error-rate',
  'lag-p99': 'lag-p99',
};

export function figureSpec(id: FigureId): FigureSpec {
  return FIGURES.find((f) => f.id === id)!;
}
