// The durability probe (U3) after a k6 run or a merge: re-submit the ledger's acknowledged IDs (all, or a seeded
// sample) to the target, from Node, and record each answer in the ledger.

import { createPayloadPool } from '../../../generators/pool.ts';
import { LEDGER_DEFAULTS, LOAD_DEFAULTS } from '../../defaults.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { detectionConfidence, pickProbeSample } from '../../ledger/probe.ts';
import { runDurabilityProbe } from '../undici/durability-probe.ts';

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
  /** The probe ran to its end (not interrupted). */
  ran: boolean;
  detects: { lossRate: number; confidence: number } | undefined;
}

/** `clock`: ms since the run's time 0 (probe times go into example timelines). */
export async function probeAcknowledged(ledger: Ledger, target: ProbeTarget, clock: () => number, signal?: AbortSignal, onPhase?: (phase: string) => void): Promise<ProbeOutcome> {
  const acknowledged = ledger.acknowledgedCount;
  const sampled = target.plan.mode === 'sample' && target.plan.size < acknowledged;
  const count = target.plan.mode === 'sample' && sampled ? target.plan.size : acknowledged;
  const ids = sampled ? pickProbeSample(ledger.acknowledgedIds(), count, target.seed) : ledger.acknowledgedIds();
  const lossRate = LEDGER_DEFAULTS.probe.lossRate;
  const detects = sampled ? { lossRate, confidence: detectionConfidence(count, lossRate) } : undefined;
  onPhase?.(`durability probe: re-submitting ${count.toLocaleString('en-US')} of ${acknowledged.toLocaleString('en-US')} acknowledged IDs to ${target.url}`);
  // Bodies for given IDs come from a non-recycling pool: the probe may hold several at once.
  const pool = createPayloadPool({ seed: target.seed });
  const result = await runDurabilityProbe({
    url: target.url,
    ids,
    bodyFor: (id) => pool.withId(id).body,
    concurrency: target.concurrency,
    timeoutMs: target.timeoutMs,
    headers: Object.fromEntries(target.headers),
    clock,
    insecure: target.insecure,
    ...(signal ? { signal, abortDrainMs: LOAD_DEFAULTS.interruptDrainMs } : {}),
    onResult: (id, sentAt, answeredAt, status, error) => void ledger.probed(id, sentAt, answeredAt, status, error),
  });
  return { ran: !result.interrupted, detects };
}
