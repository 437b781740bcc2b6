// The open-model load engine (`--rate R`), on stampede's HTTP/1.1 client: requests *start* at R per second, evenly
// spaced, whatever the target does; latency runs from each request's intended start, so a target that falls behind
// shows as queueing instead of silently slowing the load down (no coordinated omission).

import { LEDGER_DEFAULTS, OPEN_MODEL_DEFAULTS } from '../../defaults.ts';
import { InvalidOptionError } from '../../errors.ts';
import { LatencyRecorder } from '../../result/latency-recorder.ts';
import type { EngineResult, LoadEngineOptions, LoadItem } from '../load-item.ts';
import { Http1Client } from './client.ts';
import type { Exchange } from './connection.ts';
import { PostRequestBytes } from './request-bytes.ts';
import type { ParsedResponse } from './response-parser.ts';

export interface OpenModelOptions extends LoadEngineOptions {
  /** Requests started per second, evenly spaced; with durationMs, round(rate × duration) are issued. */
  ratePerSecond: number; // requests/s
  /** At most this many connections; requests beyond them wait in the client's queue (and their latency grows). */
  maxConnections: number;
  /** Requests outstanding (in flight + queued) before due ones are held back; see OPEN_MODEL_DEFAULTS. */
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
  unsentByError: Record<string, number>;
  connectionsOpened: number;
}

/** Node timers take at most a 32-bit delay. */
const MAX_TIMER_MS = 2_147_483_647; // ms

type Settle = (attempt: Attempt, status: number | undefined, error?: string) => void;

/** One request: the exchange handed to the client, and what the ledger needs when it settles. */
class Attempt implements Exchange {
  writtenAt = 0;
  token = -1;
  settled = false;
  /** Intended start → bytes handed to the socket: the generator's own lag. */
  lagMs = 0; // ms

  constructor(
    readonly bytes: Buffer,
    readonly item: LoadItem,
    readonly intendedAt: number, // ms since start
    private readonly hooks: { written(attempt: Attempt): void; settle: Settle; unsent(attempt: Attempt, kind: string): void },
  ) {}

  onWritten(): void {
    this.hooks.written(this);
  }

  onResponse(response: ParsedResponse): void {
    this.hooks.settle(this, response.status);
  }

  onError(kind: string, partialStatus: number | undefined, written: boolean): void {
    if (!written) return this.hooks.unsent(this, kind);
    // An answer cut after its status line still says what the target did.
    if (partialStatus !== undefined) this.hooks.settle(this, partialStatus);
    else this.hooks.settle(this, undefined, kind);
  }
}

/**
 * Request i is meant to start at start + i × (1000 / rate) ms. A scheduler loop dispatches every due request, then
 * sleeps until the next one is due (a timer set to wake a millisecond early, setImmediate for the last stretch, so it
 * never sleeps past one). Memory stays bounded: intended times are computed, not stored; only outstanding requests are
 * tracked (at most `maxOutstanding`), and the bytes they hold are copies (a recycle pool's body is valid only until the
 * next item, while the client may keep a request queued for a connection). The ledger learns of an attempt when its
 * bytes are written, with its intended start as its send time; a request no connection could be opened for never
 * left and has no outcome.
 */
export function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const { sink, stats, clock } = options;
  const total = scheduledRequests(options);
  if (!(Number.isInteger(options.maxConnections) && options.maxConnections >= 1)) {
    throw new InvalidOptionError('maxConnections', `must be a whole number ≥ 1 (got ${options.maxConnections})`);
  }
  const maxOutstanding = options.maxOutstanding ?? OPEN_MODEL_DEFAULTS.maxOutstanding;
  if (!(Number.isInteger(maxOutstanding) && maxOutstanding >= 1)) {
    throw new InvalidOptionError('maxOutstanding', `must be a whole number ≥ 1 (got ${maxOutstanding})`);
  }
  const interval = 1000 / options.ratePerSecond; // ms
  const bytes = new PostRequestBytes(options.url, options.headers);
  const client = new Http1Client({ url: options.url, connections: options.maxConnections, timeoutMs: options.timeoutMs, ...(options.insecure ? { insecure: true } : {}) });
  const inFlight = new Set<Attempt>();
  const unsentByError = new Map<string, number>();
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

    const leave = (attempt: Attempt) => {
      attempt.settled = true;
      inFlight.delete(attempt);
      if (stopping) {
        if (inFlight.size === 0) finish();
      } else if (waitingForRoom) {
        waitingForRoom = false;
        wakeNow();
      }
    };

    const hooks = {
      written(attempt: Attempt): void {
        const { item } = attempt;
        attempt.token = sink.sent(item.canonicalId, item.kind, attempt.intendedAt, item.sentId);
        stats.sent(attempt.intendedAt);
        attempt.lagMs = Math.max(0, clock() - attempt.intendedAt);
        lag.record(attempt.lagMs);
      },
      settle(attempt: Attempt, status: number | undefined, error?: string): void {
        if (attempt.settled || finished) return;
        const now = clock();
        const outcome = sink.answered(attempt.token, now, status, error);
        const latency = now - attempt.intendedAt;
        stats.answered(outcome, latency, now, status, error, { lagMs: attempt.lagMs, serviceMs: latency - attempt.lagMs });
        leave(attempt);
      },
      unsent(attempt: Attempt, kind: string): void {
        if (attempt.settled || finished) return;
        unsentByError.set(kind, (unsentByError.get(kind) ?? 0) + 1);
        leave(attempt);
      },
    };

    /** Returns false when the source is exhausted. */
    const dispatch = (intendedAt: number): boolean => {
      const item = options.next();
      if (item === undefined) return false;
      issued++;
      if (intendedAt <= blockedUpTo) heldBack++;
      const attempt = new Attempt(bytes.build(item.body), item, intendedAt, hooks);
      inFlight.add(attempt);
      client.request(attempt);
      return true;
    };

    const tick = () => {
      try {
        schedule();
      } catch (error) {
        // A throwing item source or sink is a bug of the caller: end the run instead of hanging it.
        finished = stopping = true;
        if (drainTimer !== undefined) clearTimeout(drainTimer);
        options.signal?.removeEventListener('abort', onAbort);
        client.close();
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
        if (!dispatch(intendedAt)) return stopIssuing();
        now = clock();
      }
      if (issued >= total) return stopIssuing();
      // A timer fires up to a millisecond late (whole ms, after the loop's other work): it is set to wake about a
      // millisecond early, and the last stretch is waited out in setImmediate steps, so a request leaves on time.
      const delay = start + issued * interval - clock();
      if (delay >= 2) timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.floor(delay) - 1));
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
      let abandoned = 0;
      let neverLeft = 0;
      for (const attempt of inFlight) {
        attempt.settled = true;
        // Still waiting for a connection: never written, no outcome.
        if (attempt.token < 0) {
          neverLeft++;
          continue;
        }
        abandoned++;
        const outcome = sink.answered(attempt.token, now, undefined, LEDGER_DEFAULTS.inFlightError);
        const latency = now - attempt.intendedAt;
        stats.answered(outcome, latency, now, undefined, LEDGER_DEFAULTS.inFlightError, { lagMs: attempt.lagMs, serviceMs: latency - attempt.lagMs });
      }
      inFlight.clear();
      client.close();
      const unsentCount = [...unsentByError.values()].reduce((a, b) => a + b, 0);
      const summary = lag.summary();
      resolve({
        abandoned,
        interrupted: options.signal?.aborted ?? false,
        sent: issued - unsentCount - neverLeft,
        unsent: total - issued + unsentCount + neverLeft,
        heldBack,
        schedulerLag: { p50: summary.p50, p99: summary.p99, max: summary.max },
        unsentByError: Object.fromEntries(unsentByError),
        connectionsOpened: client.connectionsOpened,
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
