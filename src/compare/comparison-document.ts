// The comparison document: one versioned JSON shape for "base against new", what `stampede compare` and the gate's
// --baseline compute and every comparison report renders (reports/compare-*.ts never see result documents).

import type { Engine, InvariantId, Verdict } from '../result/result-document.ts';

/** Bumped on any incompatible change of the shape. */
export const COMPARISON_SCHEMA_VERSION = 1;

/** The figures compared, each over the per-second samples of the runs (see src/compare/figures.ts). */
export type FigureId = 'throughput' | 'p50' | 'p90' | 'p99' | 'p999' | 'error-rate' | 'lag-p99';

/**
 * regression / improvement: significant after the Holm correction, worse or better; none: not significant (shown
 * as `~`); undecidable: not measured on a side, too few seconds to ever be significant, or generator-bound.
 */
export type Change = 'regression' | 'improvement' | 'none' | 'undecidable';

/** What must match for two runs to be like for like (a load model apart is never compared). */
export interface RunFacts {
  /** `embedded reference service`, or the target's origin. */
  target: string;
  /** The engine that sent the load: http1, autocannon, k6, … */
  engine: string;
  model: 'closed' | 'open';
  connections?: number;
  rate?: number; // req/s
  /** Share of planned duplicates: the body mix. */
  dupRatio?: number; // 0..1
  toolVersion: string;
}

export type FactName = 'target' | 'engine' | 'model' | 'connections' | 'rate' | 'dup-ratio' | 'tool-version';

/** One way the runs are not like for like: the values on each side (several when a side mixes them). */
export interface Difference {
  fact: FactName;
  base: string;
  new: string;
}

export interface ComparedRun {
  /** The file the result document was read from. */
  file: string;
  runId: string;
  engine: Engine;
  startedAt: string; // ISO 8601
  verdict: Verdict;
  partial: boolean;
  facts: RunFacts;
  /** Faults of the embedded reference service: the run measured a simulated change. */
  faults?: string[];
  /**
   * The per-second rows of the load, how many were used, of those how many had their latency left out (stampede's own
   * lag over --max-lag that second), and why.
   */
  seconds: { rows: number; used: number; lagged: number; dropped: string[] };
  /** [t (s), answers in that second] of every row: the throughput overlay. */
  throughput: Array<[number, number]>;
  /** [percentile, ms] of the whole run (its histogram's curve, or its summary's points): the latency overlay. */
  curve: Array<[number, number]>;
  /** Present when its latency figures describe stampede itself (--max-lag): the reason. */
  generatorBound?: string;
}

export interface SampleSummary {
  /** Seconds with a value for this figure, over every run of the side. */
  n: number;
  /** Median of those per-second values. */
  median?: number;
}

export interface FigureComparison {
  id: FigureId;
  title: string;
  unit: 'req/s' | 'ms' | 'share';
  better: 'higher' | 'lower';
  /** relative: the delta as a share of the base median; absolute: in the unit (the error rate, in percentage points). */
  delta: 'relative' | 'absolute';
  base: SampleSummary;
  new: SampleSummary;
  /** Mann–Whitney U over the per-second samples; adjustedP is Holm's over the figures tested. */
  test?: { u: number; pValue: number; adjustedP: number; exact: boolean; minAttainableP: number };
  /**
   * Student's t on the runs' medians (log scale for a relative figure), when a side has several runs: a change must
   * also stand out from how far runs of one side swing among themselves. Holm-adjusted like `test`.
   */
  runTest?: { runs: [number, number]; t: number; df: number; pValue: number; adjustedP: number };
  /** Hodges–Lehmann shift new − base, in the unit, with its Moses interval (not adjusted for multiplicity). */
  shift?: { estimate: number; low: number; high: number; confidence: number };
  /** The shift as a share of the base median (delta `relative`, base median > 0). */
  relative?: { estimate: number; low: number; high: number };
  change: Change;
  /** Why it is undecidable or not tested, or a caveat. */
  note?: string;
}

export interface InvariantSide {
  verdict: Verdict;
  violations: number;
}

export interface InvariantComparison {
  id: InvariantId;
  title: string;
  /** Absent when no run of that side checked it. */
  base?: InvariantSide;
  new?: InvariantSide;
  /** worse: the new verdict is worse (pass < unknown < fail) or, equal, with more violations. */
  change: 'worse' | 'better' | 'same';
}

/** One limit of --max-regression: `p99=10%` (relative), `p99=2ms` (absolute), `error-rate=0.1pp` (percentage points). */
export interface RegressionLimit {
  figure: FigureId;
  /** As written by the user: 10%, 2ms, 0.1pp. */
  text: string;
  kind: 'relative' | 'ms' | 'pp';
  /** A share of the base (relative), ms, or a share of requests (pp / 100). */
  value: number;
}

export interface LimitResult extends RegressionLimit {
  /** fail: a significant regression beyond the limit; unknown: the figure could not be decided. */
  verdict: Verdict;
  /** What was measured, in words: `+85.2% (95% CI +80.1% … +90.3%, p=0.004)`, `~ (p=0.41)`. */
  observed: string;
  detail?: string;
}

export interface ComparisonDocument {
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  kind: 'comparison';
  tool: { name: 'stampede'; version: string };
  createdAt: string; // ISO 8601
  method: {
    samples: 'per-second';
    test: 'mann-whitney-u';
    interval: 'hodges-lehmann';
    correction: 'holm';
    alpha: number;
  };
  base: ComparedRun[];
  new: ComparedRun[];
  /** False when `differences` is not empty. */
  likeForLike: boolean;
  differences: Difference[];
  /** Caveats: partial runs, failing verdicts, faults, few seconds. */
  notes: string[];
  figures: FigureComparison[];
  invariants: InvariantComparison[];
  /** The --max-regression limits and their verdicts, when given. */
  limits?: LimitResult[];
  /** pass without limits; with limits, fail > unknown > pass over them. */
  verdict: Verdict;
  verdictReasons: string[];
}
