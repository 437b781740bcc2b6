// The open-model load engine (`--rate R`), on undici: requests *start* at R per second, evenly spaced, whatever the
// target does; latency runs from each request's intended start, so a target that falls behind shows as queueing
// instead of silently slowing the load down (no coordinated omission).

import { Pool, type Dispatcher } from 'undici';
import { LEDGER_DEFAULTS, UNDICI_ENGINE_DEFAULTS } from '../../defaults.ts';
import { InvalidOptionError } from '../../errors.ts';
import { LatencyRecorder } from '../../result/latency-recorder.ts';
import type { EngineResult, LoadEngineOptions } from '../load-item.ts';
import { errorKind } from './error-kind.ts';

export interface OpenModelOptions extends LoadEngineOptions {
  /** Requests started per second, evenly spaced; with durationMs, round(rate × duration) are issued. */
  ratePerSecond: number; // requests/s
  /** At most this many connections; requests beyond them wait in the client's queue (and their latency grows). */
  maxConnections: number;
  /** Requests outstanding (in flight + queued) before due ones are held back; see UNDICI_ENGINE_DEFAULTS. */
  maxOutstanding?: number; // requests
}

/** How late requests were dispatched after their intended start time, in ms. */
export interface SchedulerLag {
  p50: number; // ms
  p99: number; // ms
  max: number; // ms
}

export interface OpenModelResult extends EngineResult {
  /** Requests sent, every one settled exactly once (ok + fail + indeterminate). */
  sent: number;
  /** Scheduled requests never sent: cut by the abort signal, or still held back when the schedule ended. */
  unsent: number;
  /** Requests dispatched late because `maxOutstanding` requests were outstanding when they were due. */
  heldBack: number;
  /** Lateness of the dispatches themselves (included in the latencies): a large figure means the harness lagged. */
  schedulerLag: SchedulerLag;
}

const PATH = '/user-profiles';
/** Node timers take at most a 32-bit delay. */
const MAX_TIMER_MS = 2_147_483_647; // ms

type Settle = (attempt: Attempt, status: number | undefined, error?: string) => void;

/** One request in flight: undici's handler for it, and what the ledger needs when it settles. */
class Attempt implements Dispatcher.DispatchHandler {
  status: number | undefined = undefined;
  settled = false;

  constructor(
    readonly token: number,
    readonly intendedAt: number, // ms since start
    private readonly settle: Settle,
  ) {}

  // Required: undici treats a handler without onRequestStart as one of its legacy shape.
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    if (statusCode >= 200) this.status = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.settle(this, this.status);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    // An answer cut after its status line still says what the target did.
    if (this.status !== undefined) this.settle(this, this.status);
    else this.settle(this, undefined, errorKind(error));
  }
}

/**
 * Request i is meant to start at start + i × (1000 / rate) ms. A scheduler loop dispatches every due request, then
 * sleeps until the next one is due (a timer for whole milliseconds, setImmediate for the last fraction, so it never
 * sleeps past one). Memory stays bounded: intended times are computed, not stored; only outstanding requests are
 * tracked (at most `maxOutstanding`), and the bodies they hold are copies (a recycle pool's body is valid only until
 * the next item, while undici may keep a request queued).
 */
export function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const { sink, stats, clock } = options;
  const total = scheduledRequests(options);
  if (!(Number.isInteger(options.maxConnections) && options.maxConnections >= 1)) {
    throw new InvalidOptionError('maxConnections', `must be a whole number ≥ 1 (got ${options.maxConnections})`);
  }
  const maxOutstanding = options.maxOutstanding ?? UNDICI_ENGINE_DEFAULTS.maxOutstanding;
  if (!(Number.isInteger(maxOutstanding) && maxOutstanding >= 1)) {
    throw new InvalidOptionError('maxOutstanding', `must be a whole number ≥ 1 (got ${maxOutstanding})`);
  }
  const interval = 1000 / options.ratePerSecond; // ms
  const headers = requestHeaders(options.headers);
  const pool = createPool(options.url, options.maxConnections, options.timeoutMs, options.insecure);
  const inFlight = new Set<Attempt>();
  const lag = new LatencyRecorder();
  let issued = 0;
  let heldBack = 0;
  /** Every request due by this time found the outstanding cap full. */
  let blockedUpTo = Number.NEGATIVE_INFINITY; // ms since start
  let waitingForRoom = false;
  let stopping = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let abortDrainTimer: NodeJS.Timeout | undefined;

  return new Promise<OpenModelResult>((resolve, reject) => {
    const start = clock();
    const scheduleEnd = start + total * interval;

    const settle: Settle = (attempt, status, error) => {
      if (attempt.settled) return;
      attempt.settled = true;
      inFlight.delete(attempt);
      const now = clock();
      const outcome = sink.answered(attempt.token, now, status, error);
      stats.answered(outcome, now - attempt.intendedAt, now, status, error);
      if (stopping) {
        if (inFlight.size === 0) finish();
      } else if (waitingForRoom) {
        waitingForRoom = false;
        wakeNow();
      }
    };

    const dispatch = (intendedAt: number) => {
      const item = options.next();
      const body = Buffer.from(item.body);
      const token = sink.sent(item.canonicalId, item.kind, intendedAt, item.sentId);
      stats.sent(intendedAt);
      issued++;
      if (intendedAt <= blockedUpTo) heldBack++;
      lag.record(Math.max(0, clock() - intendedAt));
      const attempt = new Attempt(token, intendedAt, settle);
      inFlight.add(attempt);
      pool.dispatch({ path: PATH, method: 'POST', headers, body }, attempt);
    };

    const tick = () => {
      try {
        schedule();
      } catch (error) {
        // A throwing item source or sink is a bug of the caller: end the run instead of hanging it.
        finished = stopping = true;
        if (drainTimer !== undefined) clearTimeout(drainTimer);
        options.signal?.removeEventListener('abort', onAbort);
        void pool.destroy().catch(() => undefined);
        reject(error);
      }
    };

    const schedule = () => {
      timer = undefined;
      immediate = undefined;
      if (stopping) return;
      let now = clock();
      while (issued < total) {
        const intendedAt = start + issued * interval;
        if (intendedAt > now) break;
        if (inFlight.size >= maxOutstanding) {
          blockedUpTo = now;
          // Held back past the end of the schedule: the rest are not sent.
          if (now >= scheduleEnd) return stopIssuing();
          // Resumed by the next answer (settle), or at the end of the schedule.
          waitingForRoom = true;
          timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.ceil(scheduleEnd - now)));
          return;
        }
        dispatch(intendedAt);
        now = clock();
      }
      if (issued >= total) return stopIssuing();
      const delay = start + issued * interval - clock();
      if (delay >= 1) timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.floor(delay)));
      else immediate = setImmediate(tick);
    };

    const wakeNow = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      immediate ??= setImmediate(tick);
    };

    const stopIssuing = () => {
      if (stopping) return;
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      timer = immediate = undefined;
      const drainMs = options.signal?.aborted ? Math.min(options.drainMs, options.abortDrainMs ?? options.drainMs) : options.drainMs;
      if (inFlight.size === 0) finish();
      else drainTimer = setTimeout(finish, drainMs);
    };

    const onAbort = () => {
      if (!stopping) return stopIssuing();
      // Already draining: cut the drain short.
      if (!finished && options.abortDrainMs !== undefined && options.abortDrainMs < options.drainMs) {
        abortDrainTimer ??= setTimeout(finish, options.abortDrainMs);
      }
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      if (drainTimer !== undefined) clearTimeout(drainTimer);
      if (abortDrainTimer !== undefined) clearTimeout(abortDrainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // Answers that did not come within the drain: indeterminate, with the time waited as their latency.
      const now = clock();
      const abandoned = inFlight.size;
      for (const attempt of inFlight) {
        attempt.settled = true;
        const outcome = sink.answered(attempt.token, now, undefined, LEDGER_DEFAULTS.inFlightError);
        stats.answered(outcome, now - attempt.intendedAt, now, undefined, LEDGER_DEFAULTS.inFlightError);
      }
      inFlight.clear();
      const summary = lag.summary();
      const result: OpenModelResult = {
        abandoned,
        interrupted: options.signal?.aborted ?? false,
        sent: issued,
        unsent: total - issued,
        heldBack,
        schedulerLag: { p50: summary.p50, p99: summary.p99, max: summary.max },
      };
      // Outside undici's callbacks: destroying the pool fails what it still holds (already settled above).
      setImmediate(() => {
        pool.destroy().then(
          () => resolve(result),
          () => resolve(result),
        );
      });
    };

    if (options.signal?.aborted) return stopIssuing();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

/** round(rate × duration), or `requests` when given. */
function scheduledRequests(options: OpenModelOptions): number {
  const rate = options.ratePerSecond;
  if (!(Number.isFinite(rate) && rate > 0)) throw new InvalidOptionError('ratePerSecond', `must be a number > 0 (got ${rate})`);
  if (options.requests !== undefined) {
    if (!(Number.isInteger(options.requests) && options.requests >= 0)) {
      throw new InvalidOptionError('requests', `must be a whole number ≥ 0 (got ${options.requests})`);
    }
    return options.requests;
  }
  const duration = options.durationMs;
  if (duration === undefined) throw new InvalidOptionError('durationMs', 'give a duration or a number of requests');
  if (!(Number.isFinite(duration) && duration >= 0)) throw new InvalidOptionError('durationMs', `must be a number ≥ 0 (got ${duration})`);
  return Math.round((rate * duration) / 1000);
}

/** The caller's headers, then Content-Type: application/json (replacing any spelling of it the caller gave). */
export function requestHeaders(extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) if (name.toLowerCase() !== 'content-type') headers[name] = value;
  headers['content-type'] = 'application/json';
  return headers;
}

/** The undici pool both the open model and the durability probe use: one request per connection, timeouts applied. */
export function createPool(url: string, connections: number, timeoutMs: number, insecure = false): Pool {
  return new Pool(new URL(url).origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs, // ms
    bodyTimeout: timeoutMs, // ms
    connectTimeout: timeoutMs, // ms
    ...(insecure ? { connect: { rejectUnauthorized: false } } : {}),
  });
}
