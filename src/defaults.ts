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

