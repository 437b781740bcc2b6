// Every default value of stampede, in one place, with its unit.

export const SERVICE_DEFAULTS = {
  host: '127.0.0.1',
  /** `stampede serve` port; startService() defaults to 0 (a free port). */
  port: 8080,
  /** Largest accepted request body. */
  maxBodyBytes: 1024 * 1024, // bytes (1 MiB)
  /** A client that has not finished its headers by then is disconnected (slowloris). */
  headersTimeoutMs: 10_000, // ms
  /** A client that has not finished its whole request by then is disconnected. */
  requestTimeoutMs: 30_000, // ms
  /** Idle keep-alive connections are closed after this long. */
  keepAliveTimeoutMs: 5_000, // ms
  /** After a 413, how long the rest of the body is read and discarded so the client sees the answer, not a reset. */
  lingerMs: 2_000, // ms
  /** Seed of the fault injector's random choices. */
  seed: 1,
  /** HTTP status used for a duplicate ID. */
  conflictStatus: 409,
  /** Status of injected server errors (`--fault errors:<fraction>` without a status). */
  injectedErrorStatus: 503,
} as const;

/** Defaults of the payload generators (generators/) and of `stampede generate`. */
export const GENERATOR_DEFAULTS = {
  /** Seed of every generator choice (faker templates, IDs, duplicates, mutations). */
  seed: 1,
  /** How `countryCode` is drawn: by approximate population, or each ISO code equally often. */
  countries: 'weighted',
  /** Audit events per profile: 1 to 5, each extra event half as likely (most SDK sessions are short). */
  eventCount: { min: 1, max: 5, shape: 'geometric' },
  /** Sessions start in this window; fixed (never "now") so that a seed replays byte for byte. */
  window: { from: '2020-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' },
  /** Faker-built templates behind the pooled path. */
  templates: 256,
  /** Size of the buffers pooled payloads are carved from. */
  slabBytes: 1024 * 1024, // bytes (1 MiB)
  /** Fraction of a duplicate stream's items that repeat an earlier ID. */
  dupRatio: 0,
  /** Which duplicate patterns a stream mixes (`mixed` uses dupMix). */
  dupPattern: 'mixed',
  /** Relative weights of the duplicate patterns in a `mixed` stream. */
  dupMix: { immediate: 0.4, delayed: 0.4, hot: 0.2 },
  /** IDs a `hot` duplicate hits again and again. */
  hotIds: 8,
  /** A delayed duplicate repeats one of the last this-many first attempts. */
  maxDelay: 1000, // items
  /** Fraction of duplicates whose ID is spelled differently (upper or mixed case) yet names the same profile. */
  variantRatio: 0.1,
  /** Depth of the deeply nested junk mutation. */
  nestingDepth: 10_000, // levels
  /** Largest `--count`. */
  maxCount: 1_000_000_000,
  /** Corpus lines are written in chunks of about this size (whole lines only, so an interrupt leaves a complete last line). */
  chunkBytes: 256 * 1024, // bytes
  /** Progress refresh on a terminal. */
  progressTtyMs: 100, // ms
  /** Progress lines when stderr is not a terminal (or CI=true). */
  progressPlainMs: 2_000, // ms
} as const;

/** Defaults of the per-ID ledger (src/ledger/): invariants U1–U4 and the durability probe. */
export const LEDGER_DEFAULTS = {
  /** Examples kept per invariant, each with its attempt timeline. */
  maxExamples: 5, // examples
  /** Attempts shown in one example's timeline; later ones are only counted. */
  maxTimeline: 32, // attempts
  /** IDs the per-ID tables are sized for at first; they grow by half when full. */
  initialIds: 1024, // IDs
  /** Error kind recorded for an attempt still unanswered when the load phase ends (it counts as indeterminate). */
  inFlightError: 'in-flight at end',
  /** A sampled durability probe is sized to detect this share of lost acknowledged writes with this confidence. */
  probe: { lossRate: 0.001, confidence: 0.99 }, // shares, 0..1
} as const;

/** Defaults of `stampede load`: short enough for a first run on a laptop, long enough to mean something. */
export const LOAD_DEFAULTS = {
  /** Closed model: stampede's own HTTP/1.1 client (faster than autocannon with unique bodies, and it honours Connection: close). */
  engine: 'http1',
  /** Worker threads of one load run: 1 on this 2-core machine (the target needs the other core); one per free core. */
  workers: 1,
  /** Closed model: busy connections. */
  connections: 32,
  /** Open model: most connections opened to keep up with --rate. */
  maxConnections: 256,
  durationMs: 10_000, // ms
  /** Share of requests that repeat an earlier ID (planned duplicates, with ground truth). */
  dupRatio: 0.05,
  /** A request without an answer after this long is indeterminate. */
  timeoutMs: 10_000, // ms
  /** Durability probe: all acknowledged IDs; `sample:N` for a random sample, `off` to skip (U3 is then unknown). */
  probe: 'all',
  /** Above this share of indeterminate outcomes the verdict is unknown (exit 3). */
  maxIndeterminateShare: 0.01, // 0..1
  /**
   * The generator's own lag above which its latency figures describe stampede, not the target: flagged, and no gate
   * latency threshold is judged on them.
   */
  maxLag: 'p99=5ms',
  /**
   * Open-model duration runs: requests sent in this first stretch (connections opening, payload pool filling, code
   * getting hot) are judged by the ledger but kept out of throughput and latency. Closed model and --requests: none.
   */
  openWarmupMs: 2_000, // ms
  /** After Ctrl-C, how long answers still in flight are awaited before the partial result is written. */
  interruptDrainMs: 2_000, // ms
  /** Live progress on a terminal, plain lines otherwise. */
  progressTtyMs: 250, // ms
  progressPlainMs: 5_000, // ms
} as const;

/** Defaults of the open-model engine (src/engines/http1/open-model.ts). */
export const OPEN_MODEL_DEFAULTS = {
  /**
   * Open model: requests outstanding at once (in flight + queued in the client) before the scheduler holds the next
   * due ones back. Held requests keep their intended start time (their latency still counts the wait); it only bounds
   * memory when the target falls far behind. Scheduled requests still held back when the schedule ends are not sent.
   */
  maxOutstanding: 10_000, // requests
} as const;

/** Defaults of the HTTP/1.1 client (src/engines/http1/) under the load engines, the durability probe and conformance. */
export const HTTP1_DEFAULTS = {
  /** Connects in flight at once: a target with a small listen backlog (5) never sees 64 SYNs together. */
  connectConcurrency: 8, // connections
  /** Tries of one connect that meets ECONNRESET or a timeout (backoff 25, 50, 100, 200 ms … at most 1 s between tries). */
  connectAttempts: 5,
  /** One connect attempt gives up after this long (or the request timeout, if shorter). */
  connectTimeoutMs: 10_000, // ms
  /** How often requests in flight are checked against their timeout: the timeout is honoured to within this. */
  timeoutScanMs: 100, // ms
} as const;

/** Defaults of `stampede race`: synchronised bursts of duplicate registrations (src/engines/race/). */
export const RACE_DEFAULTS = {
  /** Bursts per run, each on a fresh ID. */
  bursts: 100,
  /** Requests (connections, or HTTP/2 streams) per burst. */
  width: 32,
  /** How a burst's requests are released: last-byte (HTTP/1.1), single-packet (HTTP/2) or naive (no synchronisation). */
  sync: 'last-byte',
  /** same: every request spells the ID alike; variants: upper/lower/mixed case (the same canonical ID). */
  ids: 'same',
  /** Naive bursts measured beside a synchronised mode, for the baseline (at most --bursts). */
  baselineBursts: 20,
  /** After the partial writes, wait this long so the server has read them before the release. */
  settleMs: 20, // ms
  /**
   * last-byte --blocker: body size of the extra, schema-invalid request whose final byte goes out first, so the server
   * is busy parsing it while the burst's final bytes land (0 = off). Opt-in: it sends one more request (answered 4xx)
   * per burst and must fit the target's body limit. 256kib parses in ~2 ms on the reference service (bench/README.md).
   */
  blockerBytes: 0, // bytes
  /** --blocker: the blocker's final byte leads the burst's by this much, so the server is already busy with it. */
  blockerLeadUs: 300, // µs
  /**
   * Connections being opened (connect, TLS, warm-up) at once, so that a target with a small accept queue (listen
   * backlog, e.g. 5) never sees 32 SYNs together; a burst starts only when all of its connections are up.
   */
  connectConcurrency: 8, // connections
  /** Tries of one connection's connect, HTTP/2 session or warm-up when it meets ECONNRESET or a timeout. */
  connectAttempts: 3, // tries
  /** Wait before the first retry of a connection; doubled for each further one. */
  connectBackoffMs: 50, // ms
  /** One connect attempt gives up after this long (or --timeout, if shorter); the kernel retries a lost SYN after 1 s and 3 s. */
  connectTimeoutMs: 4_000, // ms
  /**
   * last-byte, Linux: before a release, how long a head may stay unacknowledged by the target's kernel (its accept
   * queue overflowed, so it has no socket for the connection yet; TCP retransmits after 200 ms, 600 ms, …) before that
   * connection is replaced.
   */
  acknowledgeWaitMs: 1_500, // ms
  /** A request of a burst unanswered this long is indeterminate. */
  timeoutMs: 10_000, // ms
  /** Above this share of indeterminate outcomes (5xx, no answer) the verdict is unknown (exit 3). */
  maxIndeterminateShare: 0.5, // 0..1
  /** After Ctrl-C, the burst in flight is awaited at most this long before the partial result is written. */
  interruptDrainMs: 2_000, // ms
  /** The replay file written next to result.json. */
  replayFile: 'replay.json',
} as const;

/** Defaults of `stampede conform` (src/conformance/): the release gate's conformance suite. */
export const CONFORM_DEFAULTS = {
  /** `default`: a SHOULD failure is a warning (exit 0); `strict`: it fails the verdict too. */
  profile: 'default',
  /** Hostile bodies and headers of the seeded fuzz round. */
  fuzz: 300, // requests
  /** A request unanswered this long fails NO-HANG (and its own check). */
  timeoutMs: 10_000, // ms
  /** Requests in flight at once (independent checks only; the duplicate steps are sequential). */
  concurrency: 8, // requests
  /** Body bytes kept per answer for the report. */
  bodyExcerptChars: 300, // characters
  /** Bodies larger than this (or not printable text) go to a file beside result.json that the curl command reads. */
  inlineBodyMaxBytes: 512, // bytes
  /** The body sent by SIZE-413: over the contract's 1 MiB limit. */
  oversizeBodyBytes: 2 * 1024 * 1024, // bytes
  /**
   * When this many requests in a row, from the first, got no HTTP answer at all (timeouts, resets, bytes that are not
   * HTTP), the target is not serving: the run stops there with verdict unknown instead of waiting out every check.
   */
  silentGiveUp: 16, // requests
} as const;

/** Defaults of `stampede k6` and `stampede merge` (src/engines/k6/): k6 runs and the merge of their --out json files. */
export const K6_DEFAULTS = {
  /** The scenarios in scenarios/k6/ (one <name>.ts each). */
  scenarios: ['throughput', 'ramp', 'soak', 'race', 'smoke'],
  /** Lines of the corpus generated when --corpus is not given: templates only (the scripts put a fresh ID in each). */
  corpusLines: 1000, // lines
  /** Files written into the result directory by `stampede k6`; k6 gzips --out json when the name ends in .gz (~16× smaller). */
  jsonFile: 'k6.json.gz',
  summaryFile: 'k6-summary.json',
  corpusFile: 'corpus.ndjson',
  /** Where k6's installation is explained (the error when k6 is not on PATH names it). */
  installDocs: 'https://grafana.com/docs/k6/latest/set-up/install-k6/',
  /** Durability probe after a k6 run or a merge: requests in flight at once, and the timeout of each. */
  probeConcurrency: 32, // requests
  probeTimeoutMs: 10_000, // ms
  /** Above this share of indeterminate outcomes the merged verdict is unknown (exit 3). */
  maxIndeterminateShare: 0.01, // 0..1
  /** Probe plan of `stampede k6` (its target is known); `stampede merge` probes only with --probe-target. */
  probe: 'all',
  /** http_req_duration points waiting for their http_reqs point (or the reverse) before the oldest is given up. */
  maxUnpaired: 100_000, // samples
  /**
   * The merge's time bound (src/engines/k6/README.md): a request still to come in a file was sent at most its timeout
   * before it ended, and written at most `mergeDisorderMs` after requests that ended later. The scenario scripts
   * declare their timeout (the stampede_run sample); other files are assumed to use k6's default timeout.
   */
  mergeAssumedTimeoutMs: 60_000, // ms, k6's default request timeout
  mergeDisorderMs: 5_000, // ms
  /** Below this many input bytes (uncompressed, estimated) the merge reads in the main thread: workers cost more to start. */
  mergeWorkerMinBytes: 256 * 1024 * 1024, // bytes, ~75,000 requests of k6 output
  /** Worker threads read the files only on machines with this many CPUs (on 2, one thread was measured faster). */
  mergeWorkerMinCores: 4, // CPUs
  /** Attempts listed per input file in a merged violation example's note. */
  examplesAttemptsShown: 8, // attempts
} as const;

/**
 * Defaults of `stampede gate` (and `npm start`): a CI smoke run of every phase, about 20 s against the embedded
 * reference service (≤ 60 s in all). Thresholds are loose enough for a shared CI runner, tight enough to catch a
 * service that is broken, overloaded or stalling.
 */
export const GATE_DEFAULTS = {
  thresholds: {
    /** p99 latency of the load phase. */
    maxP99Ms: 250, // ms
    /** (fail + indeterminate) / sent over the load phase. */
    maxErrorRate: 0.01, // 0..1
    /** Answers per second over the load phase. */
    minThroughput: 50, // req/s
  },
  /** The probe re-sends a sample sized to catch a 0.1% loss with 99% confidence (4,603 IDs), not every ID: it keeps the
   *  gate short whatever the target's speed. */
  load: { durationMs: 10_000 /* ms */, connections: 32, dupRatio: 0.05, probe: 'sample:5000' },
  race: { bursts: 30, width: 16, sync: 'last-byte', baselineBursts: 10 },
  conformance: { profile: 'default', fuzz: 100 /* requests */ },
} as const;

/** Defaults of `stampede selftest`: the gate, shortened, against the reference service with each fault. */
export const SELFTEST_DEFAULTS = {
  /** One row each; the correct service (no fault) is always the first row. */
  faults: ['race:tick', 'lose-writes:0.05', 'errors:0.05', 'false-conflict:0.05', 'wrong-status:200', 'no-validation', 'latency:300ms'],
  /** A sampled probe still catches lose-writes:0.05 with certainty and keeps each row short. Few connections: the
   *  correct service's p99 then stays far below the threshold even on a busy CI runner (no queueing at the target). */
  load: { durationMs: 2_000 /* ms */, probe: 'sample:2000', connections: 8 },
  race: { bursts: 20, width: 16, baselineBursts: 0 },
  conformance: { fuzz: 30 /* requests */ },
  /**
   * --short (the CI version): shorter phases, and without the latency row unless asked for (`--fault latency:300ms`):
   * at 300 ms per answer its conformance phase alone takes ~20 s.
   */
  short: { loadDurationMs: 500 /* ms */, probe: 'sample:500', raceBursts: 5, fuzz: 10 /* requests */, skip: ['latency:300ms'] },
} as const;

/** Defaults of the report writers (reports/) and `stampede report`. */
export const REPORT_DEFAULTS = {
  /** `stampede report` without --format (and without an --out whose extension names one). */
  format: 'markdown',
  /** Not-passing checks listed in the Markdown report (a PR comment holds at most 65,536 characters). */
  markdownChecks: 50, // checks
  /** Curl commands shown in the Markdown report. */
  markdownCurls: 20, // commands
  /** Reproduced race bursts listed in the Markdown report. */
  markdownBursts: 10, // bursts
  /** Not-passing checks shown in the HTML report (each with its curl command and observed answer). */
  htmlChecks: 500, // checks
  /** Race bursts drawn one by one in the HTML report's burst charts (more are shown as their first N). */
  htmlBursts: 1_000, // bursts
} as const;

/** Defaults of `stampede compare` and of the gate's comparison with a baseline (`stampede gate --baseline FILE`). */
export const COMPARE_DEFAULTS = {
  /** Significance level of the rank test, family-wise over the figures compared (Holm). */
  alpha: 0.05, // 0..1
  /** `stampede compare` without --format (and without an --out whose extension names one). */
  format: 'markdown',
  /** The gate's limits when --baseline is given without --max-regression: p99 and throughput ±10%, errors +0.1 pp. */
  maxRegression: 'p99=10%,throughput=10%,error-rate=0.1pp',
} as const;
