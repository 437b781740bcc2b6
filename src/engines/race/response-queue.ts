// The HTTP/1.1 responses of one raw connection, in order, each with its arrival time; what a connection that ended or
// failed leaves behind: an answer that arrived before the connection died is kept, never replaced by the error.

import type { Socket } from 'node:net';
import { Http1ResponseReader, type RawResponse } from './http1-wire.ts';

/** The answer to one request: a response, or why there is none (reset, timeout); `at` is performance.now() (ms). */
export type BurstOutcome = { response: RawResponse; at: number } | { error: string; at: number };

/** Responses of one connection (keep-alive framing by Http1ResponseReader); next() awaits the next one. */
export class ResponseQueue {
  private readonly reader = new Http1ResponseReader();
  private readonly ready: Array<{ response: RawResponse; at: number }> = [];
  private waiter: ((outcome: BurstOutcome) => void) | undefined;
  private failure: string | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const response of this.reader.push(chunk)) this.deliver(response);
      } catch (error) {
        this.fail((error as Error).message);
      }
    });
    socket.on('end', () => {
      // A close-delimited body (HTTP/1.0, or no Content-Length) ends here.
      const response = this.reader.end();
      if (response) this.deliver(response);
      this.fail('connection closed without an answer');
    });
    // EPIPE or ECONNRESET after a complete answer changes nothing: that answer is already delivered.
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? error.message));
    socket.on('close', () => this.fail('connection closed without an answer'));
  }

  /** The connection ended or failed (the reason), or undefined while it is usable. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** A response is waiting to be taken by next(). */
  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  next(timeoutMs: number): Promise<BurstOutcome> {
    return new Promise((resolve) => {
      const ready = this.ready.shift();
      if (ready) return resolve(ready);
      if (this.failure !== undefined) return resolve({ error: this.failure, at: performance.now() });
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ error: 'timeout', at: performance.now() });
      }, timeoutMs);
      this.waiter = (outcome) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(outcome);
      };
    });
  }

  private deliver(response: RawResponse): void {
    const at = performance.now();
    if (this.waiter) this.waiter({ response, at });
    else this.ready.push({ response, at });
  }

  private fail(error: string): void {
    this.failure ??= error;
    this.waiter?.({ error: this.failure, at: performance.now() });
  }
}

/** Whether the server will close the connection after this response (Connection: close, or HTTP/1.0 without keep-alive). */
export function closesAfter(response: RawResponse): boolean {
  const connection = (response.headers['connection'] ?? '').toLowerCase();
  if (/\bclose\b/.test(connection)) return true;
  return response.version === '1.0' && !/\bkeep-alive\b/.test(connection);
}
