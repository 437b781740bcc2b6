// HTTP/1.1 last-byte synchronisation: every request but its final byte goes out first, then all final bytes at once.
// Also the naive burst (no synchronisation: each request written whole as soon as its connection is up), for the
// baseline a synchronised mode is compared with. Plain TCP or TLS.

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { Http1ResponseReader, type RawResponse } from './http1-wire.ts';
import { prepareRelease, releaseAll, SendPathPrimer, type PreparedRelease } from './native-release.ts';

export interface BurstTarget {
  host: string;
  port: number;
  /** Connect with TLS (an https:// target). */
  tls?: { servername?: string; insecure?: boolean };
}

export interface BurstOptions {
  /** How long to wait after the partial writes so the server has read them before the release. */
  settleMs?: number; // ms
  /** Give up on answers after this long; unanswered requests are reported as errors. */
  timeoutMs?: number; // ms
  /**
   * A harmless keep-alive request (e.g. GET /healthz) sent and answered on each connection before the burst request,
   * so connection set-up, TLS and the server's first-request paths are warm when the burst is released.
   */
  warmup?: Buffer;
  /**
   * A blocker (last-byte only): one more request on its own connection, large and answered 4xx (JSON-valid, not a valid
   * body), written but for its final byte with the others. Its final byte goes out first, `leadUs` before the burst's,
   * so the server is busy parsing it (ms) while the burst's final bytes land, and its next poll finds them all at once.
   */
  blocker?: { request: Buffer; leadUs: number };
}

/** The answer to one request of a burst: a response, or why there is none (reset, timeout); `at` is performance.now(). */
export type BurstOutcome = { response: RawResponse; at: number } | { error: string; at: number };

export interface BurstResult {
  outcomes: BurstOutcome[];
  /** Time from the first to the last final-byte write (start of each write call). */
  releaseSpreadNs: number; // ns
  /** performance.now() at the first release write: the requests' send time. */
  releasedAt: number; // ms (performance.now())
  /** single-packet only: socket writes that carried final (END_STREAM) frames; 1 = one packet's write. */
  releaseWrites?: number;
  /** The blocker's answer, when one was sent (never one of `outcomes`). */
  blocker?: BurstOutcome;
}

const DEFAULT_SETTLE_MS = 20; // ms
export const DEFAULT_TIMEOUT_MS = 10_000; // ms

/**
 * Send each raw request (complete HTTP/1.1 bytes, `Connection: close`) on its own connection, holding back the last
 * byte; release every last byte in one tight loop over pre-built buffers, and collect the answers.
 */
export async function lastByteBurst(target: BurstTarget, requests: readonly Buffer[], options: BurstOptions = {}): Promise<BurstResult> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The blocker, if any, is the last request: its own connection, its own answer.
  const all = options.blocker ? [...requests, options.blocker.request] : requests;
  const opened = await Promise.allSettled(all.map(() => openConnection(target, timeoutMs)));
  const sockets = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  let primer: SendPathPrimer | undefined;
  try {
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const queues = sockets.map((socket) => new ResponseQueue(socket));
    if (options.warmup) {
      const warmup = options.warmup;
      const answers = await Promise.all(
        sockets.map((socket, i) => {
          socket.write(warmup);
          return queues[i]!.next(timeoutMs);
        }),
      );
      const bad = answers.find((a) => !('response' in a));
      if (bad && 'error' in bad) throw new Error(`warm-up request failed: ${bad.error}`);
    }
    const heads = all.map((bytes) => bytes.subarray(0, bytes.length - 1));
    await Promise.all(sockets.map((socket, i) => new Promise<void>((resolve) => socket.write(heads[i]!, () => resolve()))));
    primer = await SendPathPrimer.open();
    await sleep(settleMs);
    const answers = queues.map((queue) => queue.next(timeoutMs));
    const releases = sockets.map((socket, i) => prepareRelease(socket, all[i]!.subarray(all[i]!.length - 1)));
    const blocker = options.blocker ? releases.pop() : undefined;

    // The release: no allocation, no await, nothing but one write per socket, right after warming the send path.
    primer.prime();
    if (blocker) releaseBlocker(blocker, options.blocker!.leadUs);
    const releasedAt = performance.now();
    const releaseSpreadNs = releaseAll(releases);

    const outcomes = await Promise.all(answers);
    return { outcomes: blocker ? outcomes.slice(0, -1) : outcomes, releaseSpreadNs, releasedAt, ...(blocker ? { blocker: outcomes.at(-1)! } : {}) };
  } finally {
    primer?.close();
    for (const socket of sockets) socket.destroy();
  }
}

/** The blocker's final byte, then a busy wait of `leadUs` (timers are far coarser) while the server wakes up to it. */
function releaseBlocker(release: PreparedRelease, leadUs: number): void {
  releaseAll([release]);
  const until = process.hrtime.bigint() + BigInt(Math.round(leadUs * 1000));
  while (process.hrtime.bigint() < until);
}

/**
 * The naive burst: what ordinary concurrent clients do. Every request opens its own connection and is written whole as
 * soon as that connection is up, all started at once (Promise.all); no synchronisation of arrivals.
 */
export async function naiveBurst(target: BurstTarget, requests: readonly Buffer[], options: Pick<BurstOptions, 'timeoutMs'> = {}): Promise<BurstResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const writtenAt: number[] = [];
  const sockets: Socket[] = [];
  const releasedAt = performance.now();
  try {
    const outcomes = await Promise.all(
      requests.map(async (bytes): Promise<BurstOutcome> => {
        let socket: Socket;
        try {
          socket = await openConnection(target, timeoutMs);
        } catch (error) {
          return { error: errorKind(error), at: performance.now() };
        }
        sockets.push(socket);
        const queue = new ResponseQueue(socket);
        const answer = queue.next(timeoutMs);
        writtenAt.push(performance.now());
        socket.write(bytes);
        return answer;
      }),
    );
    return { outcomes, releaseSpreadNs: spreadNs(writtenAt), releasedAt };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/**
 * A connected socket (TCP, or TLS once the handshake is done, offering `alpn`), Nagle off: a last byte must leave at
 * once.
 */
export function openConnection(target: BurstTarget, timeoutMs: number, alpn: 'http/1.1' | 'h2' = 'http/1.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({
          host: target.host,
          port: target.port,
          ...(target.tls.servername && !/^[\d.]+$|:/.test(target.tls.servername) ? { servername: target.tls.servername } : {}),
          rejectUnauthorized: !target.tls.insecure,
          ALPNProtocols: [alpn],
        })
      : netConnect({ host: target.host, port: target.port, noDelay: true });
    const ready = target.tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => socket.destroy(new Error(`connect timeout after ${timeoutMs}ms`)), timeoutMs);
    socket.once(ready, () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', onError);
  });
}

/** First-to-last spread of the write times (ms, from performance.now()) of a naive burst, in ns. */
export function spreadNs(writtenAt: readonly number[]): number {
  const spreadMs = writtenAt.length > 1 ? Math.max(...writtenAt) - Math.min(...writtenAt) : 0;
  return Math.round(spreadMs * 1e6);
}

/** The kind of error of a request without an answer: the system code (ECONNRESET…) or the message. */
export function errorKind(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(error);
}

/** The responses of one connection, in order (keep-alive framing by Http1ResponseReader); next() awaits the next one. */
class ResponseQueue {
  private readonly reader = new Http1ResponseReader();
  private readonly ready: RawResponse[] = [];
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
      const response = this.reader.end();
      if (response) this.deliver(response);
      this.fail('connection closed without an answer');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? error.message));
    socket.on('close', () => this.fail('connection closed without an answer'));
  }

  next(timeoutMs: number): Promise<BurstOutcome> {
    return new Promise((resolve) => {
      const response = this.ready.shift();
      if (response) return resolve({ response, at: performance.now() });
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
    if (this.waiter) this.waiter({ response, at: performance.now() });
    else this.ready.push(response);
  }

  private fail(error: string): void {
    this.failure ??= error;
    this.waiter?.({ error: this.failure, at: performance.now() });
  }
}
