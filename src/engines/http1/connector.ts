// Opening connections to the target without overflowing its accept queue: a bounded number of connects in flight,
// and a connect that meets a reset or a timeout retried with backoff a bounded number of times.

import type { Socket } from 'node:net';
import { HTTP1_DEFAULTS } from '../../defaults.ts';
import { errorKind, isRetryable, openSocket, type ConnectTarget } from '../socket-connect.ts';

export { connectTarget, type ConnectTarget } from '../socket-connect.ts';

export interface ConnectorOptions {
  /** Connects in flight at once: a server with a listen backlog of 5 must never see 64 SYNs together. */
  concurrency?: number;
  /** Tries of one connect when it meets ECONNRESET, a timeout, or a connection closed before it could be used. */
  attempts?: number;
  /** One attempt gives up after this long. */
  timeoutMs?: number; // ms
}

/** A connect that failed for good (after its retries): the error kind, as outcomes and error tables name it. */
export class ConnectError extends Error {
  constructor(readonly kind: string) {
    super(`connect failed: ${kind}`);
  }
}

/**
 * Opens connections to one target, at most `concurrency` at a time. Shared by every connection of an engine, so that
 * 64 connections open 8 by 8 (a few ms on loopback) instead of 64 SYNs at once.
 */
export class Connector {
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(
    readonly target: ConnectTarget,
    options: ConnectorOptions = {},
  ) {
    this.concurrency = options.concurrency ?? HTTP1_DEFAULTS.connectConcurrency;
    this.attempts = options.attempts ?? HTTP1_DEFAULTS.connectAttempts;
    this.timeoutMs = Math.min(options.timeoutMs ?? HTTP1_DEFAULTS.connectTimeoutMs, HTTP1_DEFAULTS.connectTimeoutMs);
  }

  /** A connected socket (TLS handshake done), Nagle off. Rejects with ConnectError after the bounded retries. */
  async open(): Promise<Socket> {
    let lastKind = 'unknown';
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (this.closed) throw new ConnectError('client closed');
      if (attempt > 0) await sleep(backoffMs(attempt));
      await this.acquire();
      try {
        return await this.attempt();
      } catch (error) {
        lastKind = (error as ConnectError).kind ?? 'unknown';
        if (!isRetryable(lastKind)) throw error;
      } finally {
        this.release();
      }
    }
    throw new ConnectError(lastKind);
  }

  /** Refuse further connects (the run ends); connects waiting for their turn fail with 'client closed'. */
  close(): void {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async attempt(): Promise<Socket> {
    try {
      return await openSocket(this.target, this.timeoutMs);
    } catch (error) {
      throw new ConnectError(errorKind(error));
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.active++;
      resolve();
    }));
  }

  private release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }
}

/** 25, 50, 100, 200 … ms, at most 1 s: a slow accept queue drains in that time. */
export function backoffMs(attempt: number): number {
  return Math.min(1000, 25 * 2 ** (attempt - 1)); // ms
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
