// The result document: the one versioned JSON shape every engine writes and every report reads.

/** Bumped on any incompatible change of the shape; readers refuse versions they do not know. */
export const RESULT_SCHEMA_VERSION = 1;

/** pass < unknown < fail: combined with priority fail > unknown > pass (DESIGN.md). */
export type Verdict = 'pass' | 'fail' | 'unknown';

/**
 * ok: the expected answer (201 for a first attempt, the conflict status for a duplicate or a probe);
 * fail: a definite wrong answer; indeterminate: 5xx, timeout, reset — we do not know whether it took effect.
 */
export type Outcome = 'ok' | 'fail' | 'indeterminate';

/** Ground truth of an attempt: the first time its ID is sent, a planned repeat, or the durability probe's re-send. */
export type AttemptKind = 'first' | 'duplicate' | 'probe';

/** autocannon: the closed model; undici: the open model (--rate); the others join with their issues. */
export type Engine = 'autocannon' | 'undici' | 'race' | 'k6' | 'conformance' | 'merged';

export interface OutcomeCounts {
  sent: number;
  ok: number;
  fail: number;
  indeterminate: number;
}

/** Latency summary; every figure in ms. */
export interface Percentiles {
  count: number;
  mean: number; // ms
  p50: number; // ms
  p90: number; // ms
  p99: number; // ms
  p999: number; // ms
  max: number; // ms
}

/** One attempt on one ID, as a violation example shows it. Times are ms since the run started. */
export interface Attempt {
  kind: AttemptKind;
  /** When the request was (or, in the open model, was meant to be) sent. */
  sentAt: number; // ms since start
  /** When the answer (or the error) came; absent while in flight at the end of the run. */
  answeredAt?: number; // ms since start
  status?: number;
  /** Error kind when there was no answer: timeout, ECONNRESET, ECONNREFUSED, … */
  error?: string;
  outcome?: Outcome;
  /** The ID as sent when it differs from the canonical one (an upper-case variant). */
  sentId?: string;
}

export type InvariantId = 'U1' | 'U2' | 'U3' | 'U4';

export interface InvariantExample {
  /** Canonical ID. */
  id: string;
  /** The attempts known for this ID, in send order. */
  timeline: Attempt[];
  /** What is wrong, in one sentence. */
  note: string;
}

export interface InvariantResult {
  id: InvariantId;
  title: string;
  verdict: Verdict;
  /** How many IDs (or conflict answers, for U2/U4; probed IDs, for U3) were checked. */
  checked: number;
  violations: number;
  /** At most a handful of examples, each with its timeline. */
  examples: InvariantExample[];
  /** How it was checked and, when unknown, why. */
  detail: string;
}

export interface DurabilityProbe {
  mode: 'all' | 'sample';
  /** Acknowledged IDs available to probe. */
  acknowledged: number;
  probed: number;
  /** For a sample: the loss rate it is sized to detect, and the confidence of detecting it. */
  detects?: { lossRate: number; confidence: number };
  outcomes: OutcomeCounts;
  /** Probes answered 2xx: the write had been acknowledged, then lost. */
  lostWrites: number;
}

export interface SecondSample extends OutcomeCounts {
  /** Seconds since the start of the run (the second this row covers begins here). */
  t: number; // s
  p50?: number; // ms
  p99?: number; // ms
}

export interface ResultDocument {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'stampede'; version: string };
  engine: Engine;
  runId: string;
  /** Printed and recorded so the run can be replayed. */
  seed: number;
  /** The target as given, with credentials removed; `embedded` when stampede started the reference service itself. */
  target: { url: string; embedded: boolean; faults?: string[] };
  /** Resolved configuration; header values are redacted (names kept), secrets never appear. */
  config: Record<string, unknown>;
  startedAt: string; // ISO 8601
  endedAt: string; // ISO 8601
  durationMs: number; // ms
  /** True when the run was interrupted or cut short: everything here is what was measured until then. */
  partial: boolean;
  partialReason?: string;
  /** sent = ok + fail + indeterminate, always (requests still in flight at the end count as indeterminate). */
  totals: OutcomeCounts & { byKind: Partial<Record<AttemptKind, OutcomeCounts>> };
  /** `overall` is over the load phase (`durationMs` of the load phase, not the probe). */
  throughput: { overall: number /* req/s */; durationMs: number /* ms */; perSecond: SecondSample[] };
  latency: { overall: Percentiles; byOutcome: Partial<Record<Outcome, Percentiles>>; model: 'closed' | 'open' };
  /** Answers by HTTP status ("201": n). */
  statuses: Record<string, number>;
  /** Attempts without an answer, by error kind ("timeout": n). */
  errors: Record<string, number>;
  invariants: InvariantResult[];
  probe?: DurabilityProbe;
  verdict: Verdict;
  /** One line per reason the verdict is not pass (or the notable caveat of a pass). */
  verdictReasons: string[];
}

/** Combine verdicts with priority fail > unknown > pass. */
export function combineVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let combined: Verdict = 'pass';
  for (const verdict of verdicts) {
    if (verdict === 'fail') return 'fail';
    if (verdict === 'unknown') combined = 'unknown';
  }
  return combined;
}
