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

/**
 * http1: a load run on stampede's own HTTP/1.1 client (closed or open model); autocannon: the closed model on autocannon;
 * undici: the open model (--rate) of earlier versions; race: synchronised bursts; k6: one k6 instance;
 * conformance: named checks; merged: several k6 instances' outputs in one ledger; combined: several result
 * documents (a gate's phases, or `stampede report a.json b.json`) in one.
 */
export type Engine = 'http1' | 'autocannon' | 'undici' | 'race' | 'k6' | 'conformance' | 'merged' | 'combined';

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
  /** Lost acknowledged writes, confirmed: the probe answered 2xx, then its confirmation (the ID once more) a conflict. */
  lostWrites: number;
}

export interface SecondSample extends OutcomeCounts {
  /** Seconds since the start of the run, or of the end of its warm-up (the second this row covers begins here). */
  t: number; // s
  p50?: number; // ms
  p90?: number; // ms
  p99?: number; // ms
  p999?: number; // ms
  /** The generator's own lag, p99 of the requests answered in this second (engines that measure it). */
  lagP99?: number; // ms
}

/** How late requests left the generator (its own delay, apart from the target's service time). */
export interface LagSummary extends Percentiles {
  /** Share of requests that started more than `lateAfterMs` late. */
  lateShare: number; // 0..1
  lateAfterMs: number; // ms
}

/**
 * The run measured itself: the generator's lag went over --max-lag, so its latency figures describe stampede, not
 * the target (no latency threshold is judged on them).
 */
export interface GeneratorBound {
  /** The limit as given, e.g. `p99=5ms`. */
  limit: string;
  /** The lag at that percentile. */
  observed: number; // ms
  lateShare: number; // 0..1
  /** One sentence: the lag, the share late, and what to do. */
  reason: string;
}

/** How binding a check is: a MUST failure fails the verdict; SHOULD and MAY failures are warnings and notes. */
export type CheckLevel = 'MUST' | 'SHOULD' | 'MAY';

/**
 * What a check's expectation rests on; its default level follows from it. spec: the spec requires it; http: HTTP itself
 * does (RFC 9110); contract: stampede's reading of the spec's example body; recommended: an RFC's advice the spec does
 * not require. MUST only for spec and http.
 */
export type CheckSource = 'spec' | 'http' | 'contract' | 'recommended';

/** Where a check's level came from: its source (default), --profile strict (a SHOULD made MUST), or a --level rule. */
export type LevelOrigin = 'default' | 'profile' | 'override';

/** One conformance check instance (stampede conform): a named expectation and what the target did. */
export interface CheckResult {
  /** Stable ID, e.g. CREATE-201, DUP-409, SCHEMA-400./countryCode.enum (one per instance). */
  id: string;
  /** The effective level, which decides the verdict (see `levelFrom`). */
  level: CheckLevel;
  /** What the expectation rests on: 'spec', 'RFC 9110 §15.5.6', 'RFC 9457 §3', 'src/contract/user-profile-schema.ts'. */
  reference: string;
  /** The kind of source `reference` is; the default level follows from it. Absent in documents of older versions. */
  source?: CheckSource;
  /** The level the source gives, before --profile and --level. */
  defaultLevel?: CheckLevel;
  /** Where `level` came from. Absent in documents of older versions (their SHOULD checks bind under --profile strict). */
  levelFrom?: LevelOrigin;
  /** With levelFrom `override`: the --level pattern (or the config file's) that set the level. */
  levelRule?: string;
  /** One line: what must hold. */
  title: string;
  /** unknown: it could not be decided (e.g. an earlier step failed). */
  verdict: Verdict;
  /** What was expected, in words: '409', 'a 4xx', 'Allow: POST', 'application/problem+json'. */
  expected: string;
  /** What the target did; header values that are secrets never appear here. */
  observed?: { status?: number; headers?: Record<string, string>; bodyExcerpt?: string; error?: string; durationMs?: number };
  /** A ready-to-run command reproducing the request (secret header values replaced by placeholders). */
  curl?: string;
  /** Body file the curl command reads (relative to the result directory), when the body is large or binary. */
  bodyFile?: string;
  /**
   * Set on the check whose request was the last one answered without a 5xx when every later answer of the run was a
   * 5xx: how many answers followed, all 5xx. The target stopped working after it (often: this request broke it).
   */
  followedByOnly5xx?: number;
  detail?: string;
}

/** One synchronised burst of the race engine (stampede race). */
export interface RaceBurst {
  index: number;
  /** Canonical ID all requests of the burst register. */
  id: string;
  /** Status of each request of the burst, in send order (0 = no answer). */
  statuses: number[];
  /** 2xx answers: a correct service gives exactly one. */
  successes: number;
  /** Time from the first to the last released final byte / frame. */
  spreadUs: number; // µs
  /** Errors of requests without an answer (reset, timeout), if any. */
  errors?: string[];
}

export interface RaceSummary {
  sync: 'last-byte' | 'single-packet' | 'naive';
  width: number;
  bursts: RaceBurst[];
  /** Bursts with more than one success: the race reproduced. */
  reproduced: number;
  /** reproduced / bursts. */
  detectionRate: number; // 0..1
  spreadUs: { p50: number; p90: number; p99: number; max: number }; // µs
  /** The replay file (seed, IDs, exact request bytes, sync mode), relative to the result directory. */
  replayFile?: string;
  /** The naive baseline measured beside the synchronised mode, when it was. */
  baseline?: { sync: 'naive'; bursts: number; reproduced: number; detectionRate: number; spreadUs: { p50: number; p90: number; p99: number; max: number } };
  /**
   * last-byte --blocker: one extra request per burst (a large JSON array, answered 4xx), released `leadUs` before the
   * burst's final bytes to keep the server busy while they land. Never in the bursts' statuses or the totals.
   */
  blocker?: {
    /** Body size of each blocker request. */
    bytes: number; // bytes
    leadUs: number; // µs
    /** Blocker requests sent: one per burst. */
    sent: number;
    /** Their answers: count per status code, or per error kind for those without an answer. */
    answers: Record<string, number>;
  };
}

/** A threshold of a gate (p99, error rate, throughput, …): what was allowed and what was measured. */
export interface ThresholdResult {
  /** Stable ID: max-p99, max-error-rate, min-throughput, … */
  id: string;
  /** One line: 'p99 latency of the load phase ≤ 50 ms'. */
  title: string;
  /** The limit, in words with its unit: '50 ms', '0.1%', '1000 req/s'. */
  limit: string;
  /** What was measured, in the same unit; absent when it could not be measured. */
  observed?: string;
  /** unknown: nothing to measure it on (e.g. the load phase sent nothing), or the figure describes stampede itself. */
  verdict: Verdict;
  /** Why it could not be decided, when that is not obvious. */
  detail?: string;
}

/** One phase of a combined document: the source document's identity and verdict. */
export interface PhaseSummary {
  /** conformance, load, race, k6, or the file name the document was read from. */
  name: string;
  engine: Engine;
  runId: string;
  verdict: Verdict;
  verdictReasons: string[];
  durationMs: number; // ms
  partial: boolean;
  totals: OutcomeCounts;
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
  latency: {
    /** The headline figure: from each request's intended start (open model) or its send (closed), to its answer. */
    overall: Percentiles;
    byOutcome: Partial<Record<Outcome, Percentiles>>;
    model: 'closed' | 'open';
    /** The generator's own lag (intended start → bytes handed to the socket; closed model: its event-loop delay). */
    lag?: LagSummary;
    /** Bytes handed to the socket → answer: the target's time (the headline is lag + service). */
    service?: Percentiles;
    /** [percentile, ms] points of the headline distribution, for an HDR percentile plot. */
    curve?: Array<[number, number]>;
    /** Present when the lag went over --max-lag: the latency figures describe the generator. */
    generatorBound?: GeneratorBound;
  };
  /** Requests sent during --warmup: judged by the ledger (in `totals` and the invariants), in no throughput or latency figure. */
  warmup?: { durationMs: number /* ms */; totals: OutcomeCounts };
  /** Answers by HTTP status ("201": n). */
  statuses: Record<string, number>;
  /** Attempts without an answer, by error kind ("timeout": n). */
  errors: Record<string, number>;
  /**
   * Requests that never left: no connection to the target could be opened for them (after the bounded retries). They
   * are not attempts (no outcome, not in `totals`); a run with many of them measured a target that was going away.
   */
  unsent?: { count: number; byError: Record<string, number> };
  invariants: InvariantResult[];
  probe?: DurabilityProbe;
  /** Conformance runs: one entry per check instance. */
  checks?: CheckResult[];
  /** Race runs: the bursts and their summary. */
  race?: RaceSummary;
  /** Gates: each threshold and whether it held. */
  thresholds?: ThresholdResult[];
  /** Combined documents: the phases it was built from, in order. */
  phases?: PhaseSummary[];
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
