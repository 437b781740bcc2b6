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
