// The parts of a --workers run merged into one, as if one thread had measured it: counts added, HDR histograms merged
// bucket by bucket, per-second series added up, and each invariant judged over every worker's IDs (each worker owns
// whole IDs, so an invariant's violations are the sum of the workers').

import { LEDGER_DEFAULTS } from '../../defaults.ts';
import type { LedgerCounts } from '../../ledger/ledger.ts';
import { combineVerdicts, type DurabilityProbe, type InvariantResult, type OutcomeCounts, type Verdict } from '../../result/result-document.ts';
import { RunStats, type RunStatsState } from '../../result/run-stats.ts';
import type { LoadPart } from '../load-part.ts';
import { oneLine } from '../../errors.ts';

/** A LoadPart as a worker thread posts it (structured-cloneable). */
export interface LoadPartState extends Omit<LoadPart, 'stats' | 'internal'> {
  stats: RunStatsState;
  /** One line: a failure inside stampede in that worker. */
  internal?: string;
}

export function partState(part: LoadPart): LoadPartState {
  const { stats, internal, ...rest } = part;
  return { ...rest, stats: stats.state(), ...(internal !== undefined ? { internal: oneLine(internal) } : {}) };
}

const ZERO: OutcomeCounts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
const add = (a: OutcomeCounts, b: OutcomeCounts | undefined): OutcomeCounts =>
  b === undefined ? a : { sent: a.sent + b.sent, ok: a.ok + b.ok, fail: a.fail + b.fail, indeterminate: a.indeterminate + b.indeterminate };

/** One part standing for all of them; `missing` names workers that sent nothing (died). */
export function mergeParts(states: readonly LoadPartState[]): LoadPart {
  const counts: LedgerCounts = { total: ZERO, load: ZERO, byKind: { first: ZERO, duplicate: ZERO }, inFlight: 0 };
  for (const s of states) {
    counts.total = add(counts.total, s.counts.total);
    counts.load = add(counts.load, s.counts.load);
    counts.byKind.first = add(counts.byKind.first, s.counts.byKind.first);
    counts.byKind.duplicate = add(counts.byKind.duplicate, s.counts.byKind.duplicate);
    if (s.counts.byKind.probe) counts.byKind.probe = add(counts.byKind.probe ?? ZERO, s.counts.byKind.probe);
    counts.inFlight += s.counts.inFlight;
  }
  const unsentByError: Record<string, number> = {};
  for (const s of states) for (const [kind, n] of Object.entries(s.engine.unsentByError ?? {})) unsentByError[kind] = (unsentByError[kind] ?? 0) + n;
  const internal = states.find((s) => s.internal !== undefined)?.internal;
  const detects = states.find((s) => s.detects !== undefined)?.detects;
  return {
    counts,
    invariants: mergeInvariants(states),
    probe: mergeProbes(states.map((s) => s.probe), detects),
    detects,
    stats: RunStats.merge(states.map((s) => s.stats)),
    engine: {
      abandoned: states.reduce((n, s) => n + s.engine.abandoned, 0),
      interrupted: states.some((s) => s.engine.interrupted),
      ...(Object.keys(unsentByError).length > 0 ? { unsentByError } : {}),
    },
    loadEnded: Math.max(0, ...states.map((s) => s.loadEnded)),
    interrupted: states.some((s) => s.interrupted),
    ...(internal !== undefined ? { internal: new Error(internal) } : {}),
  };
}

function mergeProbes(probes: readonly DurabilityProbe[], detects: DurabilityProbe['detects']): DurabilityProbe {
  const merged: DurabilityProbe = {
    mode: probes.every((p) => p.mode === 'all') ? 'all' : 'sample',
    acknowledged: probes.reduce((n, p) => n + p.acknowledged, 0),
    probed: probes.reduce((n, p) => n + p.probed, 0),
    outcomes: probes.reduce((sum, p) => add(sum, p.outcomes), ZERO),
    lostWrites: probes.reduce((n, p) => n + p.lostWrites, 0),
  };
  if (detects !== undefined && merged.mode === 'sample') merged.detects = detects;
  return merged;
}

/**
 * Each invariant over every worker's IDs: checked and violations added, examples taken in worker order up to the
 * usual number, the verdict fail > unknown > pass — except U3, where a worker that had nothing to probe (no ID of its
 * share acknowledged) does not make the whole run's durability unknown.
 */
function mergeInvariants(states: readonly LoadPartState[]): InvariantResult[] {
  const ids = states[0]?.invariants.map((i) => i.id) ?? [];
  return ids.map((id) => {
    const parts = states.map((s, w) => ({ worker: w + 1, invariant: s.invariants.find((i) => i.id === id)!, acknowledged: s.probe.acknowledged })).filter((p) => p.invariant !== undefined);
    const verdicts: Verdict[] =
      id === 'U3' ? parts.filter((p) => p.invariant.verdict !== 'unknown' || p.acknowledged > 0).map((p) => p.invariant.verdict) : parts.map((p) => p.invariant.verdict);
    return {
      id,
      title: parts[0]!.invariant.title,
      verdict: verdicts.length === 0 ? 'unknown' : combineVerdicts(verdicts),
      checked: parts.reduce((n, p) => n + p.invariant.checked, 0),
      violations: parts.reduce((n, p) => n + p.invariant.violations, 0),
      examples: parts.flatMap((p) => p.invariant.examples).slice(0, LEDGER_DEFAULTS.maxExamples),
      detail: `${parts.length} workers, each judging the IDs it owns: ${parts.map((p) => `worker ${p.worker}: ${p.invariant.detail}`).join(' · ')}`,
    };
  });
}
