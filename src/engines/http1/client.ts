// The HTTP/1.1 client of the load engines, the durability probe and the conformance checks: up to N keep-alive
// connections to one target, requests queued until a connection is free, connections replaced when the server closes
// them. POSTs are never retried: a request is written once, on one connection.

import { HTTP1_DEFAULTS } from '../../defaults.ts';
import { Http1Connection, type Exchange } from './connection.ts';
import { ConnectError, Connector, connectTarget } from './connector.ts';
import type { ResponseParserOptions } from './response-parser.ts';

export interface Http1ClientOptions extends ResponseParserOptions {
  /** Base URL of the target (http:// or https://); only its origin is used. */
  url: string;
  /** At most this many connections open at once. */
  connections: number;
  /** A request without its complete answer this long after it was written fails with 'timeout'. */
  timeoutMs: number; // ms
  /** Accept any TLS certificate. */
  insecure?: boolean;
  /** Connects in flight at once, and tries per connect (see Connector). */
  connectConcurrency?: number;
  connectAttempts?: number;
}

export class Http1Client {
  private readonly connector: Connector;
  private readonly idle: Http1Connection[] = [];
  private readonly open = new Set<Http1Connection>();
  private readonly queue: Exchange[] = [];
  private queueHead = 0;
  private connecting = 0;
  private closed = false;
  private readonly ticker: NodeJS.Timeout;
  private readonly parserOptions: ResponseParserOptions;
  /** Connects that failed for good, by error kind. */
  readonly connectFailures = new Map<string, number>();
  /** Connections opened in all (a server closing after every answer makes this grow with the requests). */
  connectionsOpened = 0;

  constructor(private readonly options: Http1ClientOptions) {
    this.connector = new Connector(connectTarget(new URL(options.url), options.insecure), {
      ...(options.connectConcurrency !== undefined ? { concurrency: options.connectConcurrency } : {}),
      ...(options.connectAttempts !== undefined ? { attempts: options.connectAttempts } : {}),
      timeoutMs: options.timeoutMs,
    });
    this.parserOptions = { ...(options.keepHeaders ? { keepHeaders: true } : {}), ...(options.keepBody ? { keepBody: options.keepBody } : {}) };
    // One coarse timer for every request's timeout: a timer per request would cost more than the request at 30k req/s.
    this.ticker = setInterval(() => this.expire(), Math.max(10, Math.min(HTTP1_DEFAULTS.timeoutScanMs, options.timeoutMs / 4)));
    this.ticker.unref();
  }

  /** Send `exchange` on a free connection, or once one is free (opening one when fewer than `connections` are open). */
  request(exchange: Exchange): void {
    if (this.closed) return exchange.onError('client closed', undefined, false);
    const now = performance.now();
    while (this.idle.length > 0) {
      const connection = this.idle.pop()!;
      if (connection.usable(now)) return connection.send(exchange);
      connection.close();
    }
    this.queue.push(exchange);
    this.grow();
  }

  /** Requests waiting for a connection. */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Close every connection; exchanges in flight or queued get no further callback (their owner settles them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    this.connector.close();
    this.queue.length = 0;
    this.queueHead = 0;
    for (const connection of this.open) {
      connection.current = undefined;
      connection.close();
    }
    this.open.clear();
    this.idle.length = 0;
  }

  /** Open connections while requests wait and the limit allows. */
  private grow(): void {
    while (!this.closed && this.queued > this.connecting && this.open.size + this.connecting < this.options.connections) {
      this.connecting++;
      this.connector.open().then(
        (socket) => {
          this.connecting--;
          if (this.closed) return void socket.destroy();
          this.connectionsOpened++;
          const connection = new Http1Connection(socket, this.parserOptions, (gone) => this.gone(gone), (free) => this.free(free));
          this.open.add(connection);
          this.free(connection);
        },
        (error: unknown) => {
          this.connecting--;
          if (this.closed) return;
          const kind = error instanceof ConnectError ? error.kind : String(error);
          this.connectFailures.set(kind, (this.connectFailures.get(kind) ?? 0) + 1);
          // Nothing could carry the oldest waiting request: it fails unsent (no outcome), so a dead target ends the run
          // instead of hanging it. Others still waiting get their own connect.
          const exchange = this.dequeue();
          exchange?.onError(kind, undefined, false);
          this.grow();
        },
      );
    }
  }

  /** A connection finished an answer: give it the next waiting request, or keep it idle. */
  private free(connection: Http1Connection): void {
    if (this.closed) return;
    if (!connection.usable(performance.now())) {
      this.grow();
      return;
    }
    const next = this.dequeue();
    if (next) connection.send(next);
    else this.idle.push(connection);
  }

  private gone(connection: Http1Connection): void {
    this.open.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    this.grow();
  }

  private dequeue(): Exchange | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const exchange = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as unknown as Exchange;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return exchange;
  }

  private expire(): void {
    const deadline = performance.now() - this.options.timeoutMs;
    for (const connection of this.open) {
      const current = connection.current;
      if (current !== undefined && current.writtenAt <= deadline) connection.timeOut();
    }
  }
}
