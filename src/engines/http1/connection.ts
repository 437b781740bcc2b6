// One HTTP/1.1 connection of the client: one request at a time, its answer read as it comes (early answers too), and
// a clear line between "the server closed a connection we were not using" (no outcome) and "a request was on the wire
// when the connection died" (indeterminate).

import type { Socket } from 'node:net';
import { ResponseParseError, ResponseParser, type ParsedResponse, type ResponseParserOptions } from './response-parser.ts';

/** One request: its bytes, and what to call with its answer. The client fills `writtenAt`. */
export interface Exchange {
  /** The complete request: head and body. */
  bytes: Buffer;
  /** A HEAD request: its answer has no body. */
  head?: boolean;
  /** performance.now() when the bytes were handed to the socket (set by the client). */
  writtenAt: number; // ms (performance.now())
  /** Called right before the bytes are handed to the socket: from here on the request is on the wire. */
  onWritten?(): void;
  onResponse(response: ParsedResponse): void;
  /**
   * No complete answer: the error kind (timeout, ECONNRESET, 'connection closed', 'bad response', a connect error…).
   * `partialStatus`: the status line had arrived before the connection died (what the target decided, body cut).
   * `written`: false when the request never left (no connection could be opened for it): it has no outcome.
   */
  onError(kind: string, partialStatus: number | undefined, written: boolean): void;
}

/** Keep-alive hints are honoured with this margin: a connection idle for nearly the server's timeout is not reused. */
const KEEP_ALIVE_MARGIN_MS = 1000; // ms, at most half the hinted timeout

export class Http1Connection {
  /** The request on the wire, if any. */
  current: Exchange | undefined;
  /** False once the server said `Connection: close`, closed, errored, or answered before reading a whole request. */
  reusable = true;
  /** No more events: the socket is gone. */
  dead = false;
  /** performance.now() after which an idle connection should not be reused (the server's Keep-Alive timeout). */
  private reuseUntil = Number.POSITIVE_INFINITY;
  private readonly parser: ResponseParser;

  constructor(
    readonly socket: Socket,
    parserOptions: ResponseParserOptions,
    /** Called once when the connection is gone (closed by either side, or failed). */
    private readonly onGone: (connection: Http1Connection) => void,
    /** Called after each complete answer, once the connection is free again (reusable or not). */
    private readonly onFree: (connection: Http1Connection) => void,
  ) {
    this.parser = new ResponseParser((response) => this.answered(response), parserOptions);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('end', () => this.ended());
    socket.on('error', (error: NodeJS.ErrnoException) => this.failed(error.code ?? error.message));
    socket.on('close', () => this.failed('connection closed'));
  }

  /** Can carry a request now: alive, reusable, idle, not past the server's keep-alive timeout. */
  usable(now: number): boolean {
    return !this.dead && this.reusable && this.current === undefined && now < this.reuseUntil;
  }

  /** Write one request; its answer (or error) goes to `exchange`. The caller checked usable(). */
  send(exchange: Exchange): void {
    this.current = exchange;
    this.parser.headRequest = exchange.head === true;
    exchange.onWritten?.();
    exchange.writtenAt = performance.now();
    this.socket.write(exchange.bytes);
  }

  /** The request in flight has waited too long: it fails with 'timeout' and the connection is dropped. */
  timeOut(): void {
    const exchange = this.current;
    this.current = undefined;
    this.close();
    exchange?.onError('timeout', this.parser.partialStatus, true);
  }

  close(): void {
    this.reusable = false;
    if (!this.socket.destroyed) this.socket.destroy();
  }

  private data(chunk: Buffer): void {
    try {
      this.parser.push(chunk);
    } catch (error) {
      if (!(error instanceof ResponseParseError)) throw error;
      const exchange = this.current;
      this.current = undefined;
      this.close();
      exchange?.onError('bad response', undefined, true);
    }
  }

  private answered(response: ParsedResponse): void {
    const exchange = this.current;
    if (exchange === undefined) {
      // An answer nobody asked for: this connection's framing cannot be trusted any more.
      this.close();
      return;
    }
    this.current = undefined;
    // Bytes of the request still queued: the server answered early (413 after the headers) and may not read the rest.
    if (!response.keepAlive || this.socket.writableLength > 0) this.reusable = false;
    if (response.keepAliveTimeoutMs !== undefined) {
      this.reuseUntil = performance.now() + response.keepAliveTimeoutMs - Math.min(KEEP_ALIVE_MARGIN_MS, response.keepAliveTimeoutMs / 2);
    }
    if (!this.reusable) this.close();
    exchange.onResponse(response);
    this.onFree(this);
  }

  /** The server closed its side: a body delimited by the close is complete now; a request without an answer is not. */
  private ended(): void {
    this.reusable = false;
    if (this.parser.end()) return this.close();
    this.failed('connection closed');
  }

  private failed(kind: string): void {
    this.reusable = false;
    const exchange = this.current;
    this.current = undefined;
    if (!this.dead) {
      this.dead = true;
      if (!this.socket.destroyed) this.socket.destroy();
      // Errors after the end (EPIPE or ECONNRESET once the answer is complete) are not about any request.
      exchange?.onError(kind, this.parser.partialStatus, true);
      this.onGone(this);
    } else exchange?.onError(kind, this.parser.partialStatus, true);
  }
}
