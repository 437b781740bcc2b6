// Opening a burst's connections without overflowing the target's accept queue: at most `concurrency` connections being
// set up at once (connect, TLS, warm-up), each step retried with backoff on ECONNRESET or a timeout, a bounded number of
// times. Nothing of a burst request has been written while a connection is set up, so a retry can never register twice.

import { setTimeout as sleep } from 'node:timers/promises';
import { RACE_DEFAULTS } from '../../defaults.ts';
import { BurstSetupError } from '../../errors.ts';
import { errorKind, isRetryable, openSocket, type ConnectTarget } from '../socket-connect.ts';

/** A race burst's target: host, port, TLS (shared with the load engines' client). */
export type BurstTarget = ConnectTarget;

/** How a burst's connections are opened. */
export interface ConnectPolicy {
  /** Connections being set up at once. */
  concurrency: number;
  /** Tries per connection (connect, session or warm-up) when it meets ECONNRESET or a timeout. */
  attempts: number;
  /** Wait before the first retry; doubled for each further one. */
  backoffMs: number; // ms
  /** One connect attempt (TCP, TLS, HTTP/2 SETTINGS) gives up after this long. */
  timeoutMs: number; // ms
}

/** The default policy for a run whose requests time out after `timeoutMs`. */
export function connectPolicy(timeoutMs: number, concurrency: number = RACE_DEFAULTS.connectConcurrency): ConnectPolicy {
  return {
    concurrency,
    attempts: RACE_DEFAULTS.connectAttempts,
    backoffMs: RACE_DEFAULTS.connectBackoffMs,
    timeoutMs: Math.min(timeoutMs, RACE_DEFAULTS.connectTimeoutMs),
  };
}

/** A connected socket (TCP, or TLS offering `alpn`), Nagle off: a last byte must leave at once. */
export const openConnection = openSocket;
export { errorKind, isRetryable };

/**
 * `step` (connect, session or warm-up of one connection) tried up to `policy.attempts` times while it fails with a
 * retryable error, waiting `backoffMs`, then twice that, … between tries. A last failure, or any other error, becomes a
 * BurstSetupError: `what` names the step, `hint` says what to do.
 */
export async function withRetries<T>(policy: ConnectPolicy, what: string, hint: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (error instanceof BurstSetupError) throw error;
      const kind = errorKind(error);
      if (!isRetryable(kind) || attempt >= policy.attempts) {
        const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
        const advice = kind === 'ECONNREFUSED' ? 'nothing accepts connections there any more: check that the target is still running' : hint;
        throw new BurstSetupError(`${what} failed: ${describeKind(kind, error)}${tries}; ${advice}`, { cause: error });
      }
      await sleep(policy.backoffMs * 2 ** (attempt - 1));
    }
  }
}

function describeKind(kind: string, error: unknown): string {
  const message = (error as Error)?.message;
  return message && message !== kind && !message.startsWith(kind) ? `${kind} (${message.split('\n')[0]})` : kind;
}

/** The warm-up of one connection: sent and answered before the burst request, so the paths it takes are warm. */
export interface Warmup<T> {
  /** Send it on `connection` and await the answer: why there is none, or whether the server will close afterwards. */
  send(connection: T): Promise<{ error: string } | { closes: boolean }>;
  dispose(connection: T): void;
  /** What to do when it keeps failing. */
  hint: string;
}

/**
 * A connection from `open()`, warmed up when asked. A warm-up that meets ECONNRESET or a timeout is retried on a fresh
 * connection (withRetries); when the server closes after answering it (Connection: close, HTTP/1.0, GOAWAY), the burst
 * request, not yet written, goes on a fresh connection, not warmed up again.
 */
export async function openWarmedUp<T>(policy: ConnectPolicy, label: string, open: () => Promise<T>, warmup: Warmup<T> | undefined): Promise<T> {
  if (!warmup) return open();
  const warmed = await withRetries(policy, `the warm-up request (GET /healthz) on ${label}`, warmup.hint, async () => {
    const connection = await open();
    const answer = await warmup.send(connection);
    if ('error' in answer) {
      warmup.dispose(connection);
      throw Object.assign(new Error(answer.error), { code: answer.error });
    }
    return { connection, closes: answer.closes };
  });
  if (!warmed.closes) return warmed.connection;
  warmup.dispose(warmed.connection);
  return open();
}

/**
 * Run `task(i)` for i in [0, count) with at most `concurrency` running at once; resolves to the results in index
 * order. On the first failure no further task starts, those running are awaited, every result obtained is handed to
 * `dispose`, and the failure is thrown.
 */
export async function mapLimited<T>(count: number, concurrency: number, task: (index: number) => Promise<T>, dispose: (value: T) => void): Promise<T[]> {
  const results: T[] = new Array(count);
  const done: boolean[] = new Array(count).fill(false);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        results[index] = await task(index);
        done[index] = true;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (failure !== undefined) {
    for (let i = 0; i < count; i++) if (done[i]) dispose(results[i]!);
    throw failure.error;
  }
  return results;
}
