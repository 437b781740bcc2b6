// The durability check (U3) after a k6 run or a merge: the ledger's acknowledged IDs (all, or a seeded sample)
// re-submitted to the target from Node, each answered 2xx once more to confirm it (../durability-check.ts, the same
// orchestration as `stampede load`).

import { LOAD_DEFAULTS } from '../../defaults.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { checkDurability } from '../durability-check.ts';

export interface ProbeTarget {
  /** Base URL the probes go to. */
  url: string;
  plan: { mode: 'all' } | { mode: 'sample'; size: number };
  headers: Array<[string, string]>;
  insecure: boolean;
  timeoutMs: number; // ms
  concurrency: number;
  /** Seed of the sample and of the probe bodies. */
  seed: number;
}

export interface ProbeOutcome {
  /** The probe and its confirmation round ran to their end (not interrupted). */
  ran: boolean;
  detects: { lossRate: number; confidence: number } | undefined;
}

/** `clock`: ms since the run's time 0 (probe times go into example timelines). */
export async function probeAcknowledged(ledger: Ledger, target: ProbeTarget, clock: () => number, signal?: AbortSignal, onPhase?: (phase: string) => void): Promise<ProbeOutcome> {
  const check = await checkDurability(ledger, {
    url: target.url,
    plan: target.plan,
    seed: target.seed,
    headers: target.headers,
    insecure: target.insecure,
    timeoutMs: target.timeoutMs,
    concurrency: target.concurrency,
    clock,
    targetLabel: target.url,
    ...(signal ? { signal, abortDrainMs: LOAD_DEFAULTS.interruptDrainMs } : {}),
    ...(onPhase ? { onPhase } : {}),
  });
  return { ran: check.ran, detects: check.detects };
}
