// Defaults of the k6 scenario scripts: k6 cannot import src/defaults.ts, so they live here (a test keeps them in step).

export const K6_SCENARIO_DEFAULTS = {
  /** Base URL; requests go to <TARGET_URL>/user-profiles. */
  targetUrl: 'http://127.0.0.1:8080',
  /** Status a correct service answers to a duplicate ID (SERVICE_DEFAULTS.conflictStatus). */
  conflictStatus: 409,
  /** Share of iterations that repeat an earlier ID (LOAD_DEFAULTS.dupRatio). */
  dupRatio: 0.05,
  /** A planned duplicate repeats the ID of an iteration at least ~this long before it (at the scenario's peak rate). */
  dupMinGapMs: 1000, // ms
  /** …and at most this many iterations further back (GENERATOR_DEFAULTS.maxDelay). */
  dupWindow: 1000, // iterations
  /** A request without an answer after this long is indeterminate (LOAD_DEFAULTS.timeoutMs). */
  timeout: '10s',
  /** Gates: p99 of http_req_duration and the share of unexpected answers (http_req_failed). */
  p99Ms: 500, // ms
  maxErrorRate: 0.01, // 0..1
  /** Where handleSummary writes the stampede result document. */
  summaryOut: 'k6-result.json',
  throughput: { rate: 100 /* req/s */, duration: '30s', vus: 50, maxVus: 500 },
  ramp: { startRate: 50 /* req/s */, endRate: 500 /* req/s */, step: 50 /* req/s */, stepDuration: '30s', vus: 50, maxVus: 1000 },
  /** Soak: p99 and errors are tracked per window; drift = p99 of the last full window / p99 of the first. */
  soak: { rate: 50 /* req/s */, duration: '30m', window: '5m', maxDrift: 2, vus: 20, maxVus: 200 },
  /** Race: ROUNDS rounds of WIDTH VUs each, INTERVAL apart, the first LEAD after setup (RACE_DEFAULTS.width). */
  race: { rounds: 20, width: 32, interval: '1s', lead: '2s' },
  /** At most this many tagged sub-metrics (rounds, steps, windows): each is a threshold k6 keeps per tag value. */
  maxSeries: 500,
} as const;
