// What every load engine consumes (items with ground truth) and reports to (the ledger, via AttemptSink).

import type { Outcome } from '../result/result-document.ts';
import type { RunStats } from '../result/run-stats.ts';

/** One request to send, with its ground truth (from the generators' duplicate stream). */
export interface LoadItem {
  body: Buffer;
  /** Canonical (lower-case) ID. */
  canonicalId: string;
  /** The ID as written in the body, when it differs from the canonical one (an upper-case variant). */
  sentId?: string;
  kind: 'first' | 'duplicate';
}

/** What an engine needs of the ledger: a token per attempt sent, an outcome per answer. Times: ms since run start. */
export interface AttemptSink {
  sent(id: string, kind: 'first' | 'duplicate', sentAt: number, sentId?: string): number;
  answered(token: number, answeredAt: number, status: number | undefined, error?: string): Outcome;
}

/** What every load engine takes; each engine adds its own model (connections, rate). */
export interface LoadEngineOptions {
  /** Base URL of the target, e.g. http://127.0.0.1:8080 (requests go to /user-profiles). */
  url: string;
  /** Stop issuing after this long … */
  durationMs?: number; // ms
  /** … or after exactly this many requests (takes precedence). */
  requests?: number;
  /** A request without an answer after this long is indeterminate ('timeout'). */
  timeoutMs: number; // ms
  /** After issuing stops, how long to wait for the answers still in flight … */
  drainMs: number; // ms
  /** … or, once the abort signal fired, this long at most. */
  abortDrainMs?: number; // ms
  /** Accept any TLS certificate (https targets). */
  insecure?: boolean;
  /** Extra request headers (content-type is set by the engine). */
  headers: Record<string, string>;
  /**
   * The next request to send; its body may be valid only until the next call (recycle pools). Undefined: the source is
   * exhausted (a worker's share of --requests N), and the engine stops issuing as at the end of its duration.
   */
  next: () => LoadItem | undefined;
  sink: AttemptSink;
  stats: RunStats;
  /** ms since the start of the run. */
  clock: () => number;
  /** Aborting stops issuing at once (Ctrl-C). */
  signal?: AbortSignal;
}

/** How a load engine run ended. */
export interface EngineResult {
  /** Requests still unanswered when the drain ended, settled as indeterminate ('in-flight at end'). */
  abandoned: number;
  /** Stopped early by the abort signal (Ctrl-C). */
  interrupted: boolean;
  /** Requests that never left because no connection could be opened for them, by connect error (no outcome). */
  unsentByError?: Record<string, number>;
}
