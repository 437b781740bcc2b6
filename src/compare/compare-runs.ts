// Base against new: one or more result documents per side → the comparison document (figures, invariants, limits).

import type { NamedDocument } from '../result/combine.ts';
import { combineVerdicts, type InvariantId, type ResultDocument, type Verdict } from '../result/result-document.ts';
import { COMPARISON_SCHEMA_VERSION, type ComparedRun, type ComparisonDocument, type InvariantComparison, type InvariantSide, type RegressionLimit } from './comparison-document.ts';
import { compareFigures, median, type SideSamples } from './compare-figures.ts';
import { describeChange } from './describe.ts';
import { FIGURES } from './figures.ts';
import { judgeLimits } from './judge-limits.ts';
import { differences, documentFacts, refuseOtherModels } from './run-facts.ts';
import { runSamples } from './samples.ts';

export interface CompareRunsInput {
  /** The base runs (each named by the file it came from), then the new ones. */
  base: readonly NamedDocument[];
  new: readonly NamedDocument[];
  alpha: number;
  limits?: readonly RegressionLimit[];
  toolVersion: string;
  /** How the sides are named in a refusal: `BASE` and `NEW`, or `the baseline` and `this gate`. */
  sideNames?: { base: string; new: string };
}

/** Throws NotComparableError (exit 2) when the sides hold different load models. */
export function compareRuns(input: CompareRunsInput): ComparisonDocument {
  const names = input.sideNames ?? { base: 'BASE', new: 'NEW' };
  const baseRuns = input.base.map(measuredRun);
  const newRuns = input.new.map(measuredRun);
  refuseOtherModels(baseRuns.map((r) => r.run.facts), newRuns.map((r) => r.run.facts), names);
  const diffs = differences(baseRuns.map((r) => r.run.facts), newRuns.map((r) => r.run.facts));
  const { figures, families } = compareFigures(pool(baseRuns), pool(newRuns), input.alpha, input.limits?.map((l) => l.figure));
  const limits = input.limits?.length ? judgeLimits(figures, input.limits) : undefined;
  const verdict: Verdict = limits ? combineVerdicts(limits.map((l) => l.verdict)) : 'pass';
  const verdictReasons = limits
    ? limits.filter((l) => l.verdict !== 'pass').map((l) => `${l.detail ?? l.figure}: ${l.observed}`)
    : figures.filter((f) => f.change === 'regression').map((f) => `${f.title}: ${describeChange(f)}, a significant regression (no --max-regression limit given)`);
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: 'comparison',
    tool: { name: 'stampede', version: input.toolVersion },
    createdAt: new Date().toISOString(),
    method: { samples: 'per-second', test: 'mann-whitney-u', interval: 'hodges-lehmann', correction: 'holm', alpha: input.alpha },
    base: baseRuns.map((r) => r.run),
    new: newRuns.map((r) => r.run),
    likeForLike: diffs.length === 0,
    differences: diffs,
    notes: notes([...input.base.map((d) => ['base', d] as const), ...input.new.map((d) => ['new', d] as const)], families, (input.limits?.length ?? 0) > 0),
    figures,
    invariants: compareInvariants(input.base.map((d) => d.document), input.new.map((d) => d.document)),
    ...(limits ? { limits } : {}),
    verdict,
    verdictReasons,
  };
}

interface MeasuredRun {
  run: ComparedRun;
  samples: ReturnType<typeof runSamples>;
}

function measuredRun({ name, document }: NamedDocument): MeasuredRun {
  const samples = runSamples(document);
  const bound = document.latency.generatorBound;
  const faults = document.target.faults;
  return {
    samples,
    run: {
      file: name,
      runId: document.runId,
      engine: document.engine,
      startedAt: document.startedAt,
      verdict: document.verdict,
      partial: document.partial,
      facts: documentFacts(document),
      ...(faults?.length ? { faults: [...faults] } : {}),
      seconds: samples.seconds,
      throughput: document.throughput.perSecond.map((r) => [r.t, r.ok + r.fail + r.indeterminate]),
      curve: curveOf(document),
      ...(bound ? { generatorBound: bound.reason } : {}),
    },
  };
}

/** The run's HDR curve, or the points of its summary (p50 … p99.9, and the maximum at 100) when none was recorded. */
function curveOf(document: ResultDocument): Array<[number, number]> {
  const { curve, overall } = document.latency;
  if (curve && curve.length > 1) return curve.map(([p, ms]) => [p, ms]);
  if (overall.count === 0) return [];
  return [[50, overall.p50], [90, overall.p90], [99, overall.p99], [99.9, overall.p999], [100, overall.max]];
}

function pool(runs: readonly MeasuredRun[]): SideSamples {
  const values = Object.fromEntries(FIGURES.map((f) => [f.id, runs.flatMap((r) => r.samples.values[f.id])])) as SideSamples['values'];
  const runMedians = Object.fromEntries(FIGURES.map((f) => [f.id, runs.map((r) => r.samples.values[f.id]).filter((v) => v.length > 0).map(median)])) as SideSamples['runMedians'];
  // A generator-bound run whose seconds carry the lag had its stalled seconds filtered (samples.ts); one without cannot.
  const bound = runs.find((r) => r.run.generatorBound !== undefined && !r.samples.filtersLag);
  return { values, runMedians, ...(bound ? { boundReason: `${bound.run.file}: ${bound.run.generatorBound}` } : {}) };
}

const RANK: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

function compareInvariants(base: readonly ResultDocument[], next: readonly ResultDocument[]): InvariantComparison[] {
  const ids: InvariantId[] = ['U1', 'U2', 'U3', 'U4'];
  return ids.flatMap((id) => {
    const b = invariantSide(base, id);
    const n = invariantSide(next, id);
    if (!b && !n) return [];
    const title = [...base, ...next].flatMap((d) => d.invariants).find((i) => i.id === id)!.title;
    const change = !b || !n ? 'same' : RANK[n.verdict] !== RANK[b.verdict] ? (RANK[n.verdict] > RANK[b.verdict] ? 'worse' : 'better') : n.violations > b.violations ? 'worse' : n.violations < b.violations ? 'better' : 'same';
    return [{ id, title, ...(b ? { base: b } : {}), ...(n ? { new: n } : {}), change }];
  });
}

function invariantSide(documents: readonly ResultDocument[], id: InvariantId): InvariantSide | undefined {
  const found = documents.flatMap((d) => d.invariants.filter((i) => i.id === id));
  if (found.length === 0) return undefined;
  return { verdict: combineVerdicts(found.map((i) => i.verdict)), violations: found.reduce((sum, i) => sum + i.violations, 0) };
}

function notes(runs: ReadonlyArray<readonly ['base' | 'new', NamedDocument]>, families: readonly number[], limited: boolean): string[] {
  const out: string[] = [];
  for (const [side, { name, document }] of runs) {
    if (document.partial) out.push(`${side} ${name} is partial (${document.partialReason ?? 'cut short'}): its seconds are what was measured until then`);
    if (document.verdict !== 'pass') out.push(`${side} ${name} has verdict ${document.verdict}: its own checks are in its report; this comparison covers performance and the invariants`);
    if (document.target.faults?.length) out.push(`${side} ${name} ran against the embedded reference service with faults ${document.target.faults.join(', ')}`);
  }
  if (limited) out.push(`p-values are Holm-adjusted within the figures under a --max-regression limit, and apart within the others (families of ${families.join(' and ')}), so a false "significant" stays at alpha in each`);
  else if ((families[0] ?? 0) > 1) out.push(`p-values are Holm-adjusted over the ${families[0]} figures tested together, so "any figure significant" stays at alpha`);
  return out;
}
