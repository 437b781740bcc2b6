// The durability check (U3) after a load phase, the one orchestration every engine uses (`load` and the gate's load
// phase, `merge --probe-target`, `k6`): re-submit the ledger's acknowledged IDs (all, or a seeded sample) expecting the
// conflict status; then re-submit once more each ID the probe got a 2xx for (a suspect). A conflict to that
// confirmation means the probe re-created a lost profile: a lost acknowledged write, confirmed. Another 2xx means the
// target accepts duplicates: U1, and U3 undecidable for that ID. A 2xx alone is never reported as a lost write.

import { createPayloadPool } from '../../generators/pool.ts';
import { LEDGER_DEFAULTS } from '../defaults.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { detectionConfidence, pickProbeSample } from '../ledger/probe.ts';
import { runDurabilityProbe } from './http1/durability-probe.ts';

export interface DurabilityCheckOptions {
  /** Base URL the probes go to. */
  url: string;
  /** Every acknowledged ID, or a seeded sample of this many. */
  plan: { mode: 'all' } | { mode: 'sample'; size: number };
  /** Seed of the sample and of the probe bodies. */
  seed: number;
  headers: ReadonlyArray<readonly [string, string]>;
  insecure: boolean;
  timeoutMs: number; // ms
  /** Probes in flight at once. */
  concurrency: number;
  /** ms since the run's time 0 (probe times go into example timelines). */
  clock: () => number;
  /** Aborting stops sending; probes in flight get `abortDrainMs` to answer. */
  signal?: AbortSignal;
  abortDrainMs?: number; // ms
  onPhase?: (phase: string) => void;
  /** How the phase names the target in its progress line (default: nothing). */
  targetLabel?: string;
}

export interface DurabilityCheckResult {
  /** Both rounds ran to their end (not interrupted). */
  ran: boolean;
  /** For a sample: the loss rate it is sized to detect and the confidence of detecting it. */
  detects: { lossRate: number; confidence: number } | undefined;
  /** IDs re-submitted by the probe, and the suspects among them re-submitted once more. */
  probed: number;
  confirmed: number;
}

export async function checkDurability(ledger: Ledger, options: DurabilityCheckOptions): Promise<DurabilityCheckResult> {
  const acknowledged = ledger.acknowledgedCount;
  const sampled = options.plan.mode === 'sample' && options.plan.size < acknowledged;
  const count = options.plan.mode === 'sample' && sampled ? options.plan.size : acknowledged;
  const ids = sampled ? pickProbeSample(ledger.acknowledgedIds(), count, options.seed) : ledger.acknowledgedIds();
  const lossRate = LEDGER_DEFAULTS.probe.lossRate;
  const detects = sampled ? { lossRate, confidence: detectionConfidence(count, lossRate) } : undefined;
  const to = options.targetLabel ? ` to ${options.targetLabel}` : '';
  options.onPhase?.(`durability probe: re-submitting ${count.toLocaleString('en-US')} of ${acknowledged.toLocaleString('en-US')} acknowledged IDs${to}`);

  // Bodies for given IDs come from a non-recycling pool: the probe may hold several at once.
  const pool = createPayloadPool({ seed: options.seed });
  const round = (roundIds: Iterable<string>, onResult: (id: string, sentAt: number, answeredAt: number, status: number | undefined, error?: string) => void) =>
    runDurabilityProbe({
      url: options.url,
      ids: roundIds,
      bodyFor: (id) => pool.withId(id).body,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      headers: Object.fromEntries(options.headers),
      clock: options.clock,
      insecure: options.insecure,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.abortDrainMs !== undefined ? { abortDrainMs: options.abortDrainMs } : {}),
      onResult,
    });

  const probe = await round(ids, (id, sentAt, answeredAt, status, error) => void ledger.probed(id, sentAt, answeredAt, status, error));
  if (probe.interrupted) return { ran: false, detects, probed: probe.probed, confirmed: 0 };

  // The confirmation round: a 2xx alone cannot tell a lost write from a target that accepts duplicates.
  const suspects = ledger.suspectIds();
  if (suspects.length === 0) return { ran: true, detects, probed: probe.probed, confirmed: 0 };
  options.onPhase?.(`durability probe: ${suspects.length.toLocaleString('en-US')} ID(s) answered 2xx; re-submitting each once more to confirm (a conflict confirms a lost write, a 2xx shows duplicates accepted)`);
  const confirmation = await round(suspects, (id, sentAt, answeredAt, status, error) => void ledger.confirmed(id, sentAt, answeredAt, status, error));
  return { ran: !confirmation.interrupted, detects, probed: probe.probed, confirmed: confirmation.probed };
}
