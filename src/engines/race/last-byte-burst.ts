// HTTP/1.1 last-byte synchronisation: every request but its final byte goes out first, then all final bytes at once.
// Also the naive burst (no synchronisation: each request written whole as soon as its connection is up), for the
// baseline a synchronised mode is compared with. Plain TCP or TLS.

import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RACE_DEFAULTS } from '../../defaults.ts';
import { BurstSetupError } from '../../errors.ts';
import { connectPolicy, errorKind, mapLimited, openConnection, openWarmedUp, withRetries, type BurstTarget, type ConnectPolicy } from './connect.ts';
import { prepareRelease, releaseAll, SendPathPrimer, type PreparedRelease } from './native-release.ts';
import { closesAfter, ResponseQueue, type BurstOutcome } from './response-queue.ts';
import { unacknowledged } from './unacknowledged.ts';

export type { BurstTarget } from './connect.ts';
export type { BurstOutcome } from './response-queue.ts';

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
  /** How connections are opened (bounded concurrency, retries); default connectPolicy(timeoutMs). */
  connect?: ConnectPolicy;
}

export interface BurstResult {
  outcomes: BurstOutcome[];
  /**
   * Each request's own send time, performance.now() (ms), in the order of `outcomes`: the start of the write of its
   * final byte (last-byte), of the socket write carrying its final DATA frame (HTTP/2), or of its whole request (naive).
   */
  sentAt: number[]; // ms (performance.now())
  /** First to last of `sentAt`: the release spread. */
  releaseSpreadNs: number; // ns
  /** The earliest of `sentAt`. */
  releasedAt: number; // ms (performance.now())
  /** single-packet only: socket writes that carried final (END_STREAM) frames; 1 = one packet's write. */
  releaseWrites?: number;
  /** The blocker's answer, when one was sent (never one of `outcomes`). */
  blocker?: BurstOutcome;
}

const DEFAULT_SETTLE_MS = 20; // ms
/** How often unacknowledged heads are looked at again while waiting for them. */
const ACK_POLL_MS = 10; // ms
export const DEFAULT_TIMEOUT_MS = 10_000; // ms

const CONNECT_HINT = 'check that the target accepts that many concurrent connections, or lower --width or --connect-concurrency';
const WARMUP_HINT = 'check that the target answers GET /healthz on a keep-alive connection, or run without --warmup';

interface Connection {
  socket: Socket;
  queue: ResponseQueue;
}

/** A connection with its response queue, warmed up when asked (openWarmedUp: retried, replaced when the server closes). */
function openReady(target: BurstTarget, policy: ConnectPolicy, warmup: Buffer | undefined, timeoutMs: number): Promise<Connection> {
  const open = () => withRetries(policy, `connecting to ${target.host}:${target.port}`, CONNECT_HINT, () => openConnection(target, policy.timeoutMs)).then((socket) => ({ socket, queue: new ResponseQueue(socket) }));
  return openWarmedUp(policy, `${target.host}:${target.port}`, open, warmup && {
    send: async ({ socket, queue }) => {
      socket.write(warmup);
      const answer = await queue.next(timeoutMs);
      return 'error' in answer ? { error: answer.error } : { closes: closesAfter(answer.response) };
    },
    dispose: ({ socket }) => socket.destroy(),
    hint: WARMUP_HINT,
  });
}

/** The connections of a burst, at most `policy.concurrency` being set up at once; all of them, or a BurstSetupError. */
function openAll(target: BurstTarget, count: number, policy: ConnectPolicy, warmup: Buffer | undefined, timeoutMs: number): Promise<Connection[]> {
  return mapLimited(count, policy.concurrency, () => openReady(target, policy, warmup, timeoutMs), (c) => c.socket.destroy());
}

/**
 * Send each raw request (complete HTTP/1.1 bytes, `Connection: close`) on its own connection, holding back the last
 * byte; release every last byte in one tight loop over pre-built buffers, and collect the answers.
 */
export async function lastByteBurst(target: BurstTarget, requests: readonly Buffer[], options: BurstOptions = {}): Promise<BurstResult> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.connect ?? connectPolicy(timeoutMs);
  // The blocker, if any, is the last request: its own connection, its own answer.
  const all = options.blocker ? [...requests, options.blocker.request] : requests;
  let connections: Connection[] = [];
  let primer: SendPathPrimer | undefined;
  try {
    connections = await openAll(target, all.length, policy, options.warmup, timeoutMs);
    const headAt = new Float64Array(all.length);
    const written = new Array<boolean>(all.length).fill(false);
    // Heads (all but the final byte), then a settle wait, then every head acknowledged by the target's kernel (its
    // socket for the connection exists: unacknowledged.ts). A connection closed by the server in the meantime without
    // an answer (idle timeout, a limit on requests per connection), or whose head is still unacknowledged, holds an
    // incomplete request, which cannot have taken effect: it is replaced by a new connection and its head written
    // again, a bounded number of times.
    for (let round = 1; ; round++) {
      await Promise.all(
        connections.map((c, i) => {
          if (written[i]) return undefined;
          written[i] = true;
          headAt[i] = performance.now();
          return new Promise<void>((resolve) => c.socket.write(all[i]!.subarray(0, all[i]!.length - 1), () => resolve()));
        }),
      );
      primer ??= await SendPathPrimer.open();
      // The kernel's table takes ms to read (thousands of sockets): it is read during the settle wait, not after it.
      // The blocker's large head may wait in the target's receive window until it is read: only the burst's heads count.
      const [, unacked] = await Promise.all([sleep(settleMs), acknowledgedWithin(connections.slice(0, requests.length).map((c) => c.socket), RACE_DEFAULTS.acknowledgeWaitMs)]);
      // A connection with an answer already (an early answer, from the head alone) keeps it: that is the observed answer.
      const closed = connections.flatMap((c, i) => (c.queue.failed !== undefined && !c.queue.hasReady ? [i] : []));
      const dead = [...new Set([...closed, ...unacked.filter((i) => !connections[i]!.queue.hasReady)])];
      if (dead.length === 0) break;
      if (round >= policy.attempts) {
        const why = closed.length > 0 ? `were closed by the target before their request was complete (${connections[closed[0]!]!.queue.failed})` : `had their bytes left unacknowledged by the target's kernel for ${RACE_DEFAULTS.acknowledgeWaitMs} ms (its accept queue overflowing)`;
        throw new BurstSetupError(`${dead.length} of ${all.length} connection(s) to ${target.host}:${target.port} ${why}, ${round} times; check the target's idle and header timeouts and its listen backlog, or lower --connect-concurrency`);
      }
      const fresh = await mapLimited(dead.length, policy.concurrency, () => openReady(target, policy, undefined, timeoutMs), (c) => c.socket.destroy());
      dead.forEach((i, k) => {
        connections[i]!.socket.destroy();
        connections[i] = fresh[k]!;
        written[i] = false;
      });
    }
    const answers = connections.map((c) => c.queue.next(timeoutMs));
    const releases = connections.map((c, i) => prepareRelease(c.socket, all[i]!.subarray(all[i]!.length - 1)));
    const blocker = options.blocker ? releases.pop() : undefined;
    const writtenAt = new Float64Array(releases.length);

    // The release: no allocation, no await, nothing but one write per socket, right after warming the send path.
    primer.prime();
    if (blocker) releaseBlocker(blocker, options.blocker!.leadUs);
    releaseAll(releases, writtenAt);

    const outcomes = await Promise.all(answers);
    const burst = blocker ? outcomes.slice(0, -1) : outcomes;
    // An answer that came before the final byte (the server answered from the head alone) was sent with the head.
    const sentAt = burst.map((o, i) => (o.at < writtenAt[i]! ? headAt[i]! : writtenAt[i]!));
    return { outcomes: burst, ...sendTimes(sentAt), ...(blocker ? { blocker: outcomes.at(-1)! } : {}) };
  } finally {
    primer?.close();
    for (const c of connections) c.socket.destroy();
  }
}

/** Indices of the sockets whose written bytes the target's kernel still has not acknowledged after up to `waitMs`. */
async function acknowledgedWithin(sockets: readonly Socket[], waitMs: number): Promise<number[]> {
  const until = performance.now() + waitMs;
  for (;;) {
    const pending = await unacknowledged(sockets);
    if (pending === undefined || pending.size === 0) return [];
    if (performance.now() >= until) return [...pending];
    await sleep(ACK_POLL_MS);
  }
}

/** The blocker's final byte, then a busy wait of `leadUs` (timers are far coarser) while the server wakes up to it. */
function releaseBlocker(release: PreparedRelease, leadUs: number): void {
  releaseAll([release]);
  const until = process.hrtime.bigint() + BigInt(Math.round(leadUs * 1000));
  while (process.hrtime.bigint() < until);
}

/**
 * The naive burst: what ordinary concurrent clients do. Every request opens its own connection (at most
 * `policy.concurrency` connecting at once) and is written whole as soon as that connection is up; no synchronisation
 * of arrivals.
 */
export async function naiveBurst(target: BurstTarget, requests: readonly Buffer[], options: Pick<BurstOptions, 'timeoutMs' | 'connect'> = {}): Promise<BurstResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.connect ?? connectPolicy(timeoutMs);
  const sentAt = new Array<number>(requests.length).fill(0);
  const sockets: Socket[] = [];
  const answers: Array<Promise<BurstOutcome>> = new Array(requests.length);
  try {
    await mapLimited(
      requests.length,
      policy.concurrency,
      async (i) => {
        let connection: Connection;
        try {
          connection = await openReady(target, policy, undefined, timeoutMs);
        } catch (error) {
          // Never written: no answer, after the bounded retries (the run judges a burst without any answer as target trouble).
          sentAt[i] = performance.now();
          answers[i] = Promise.resolve({ error: `not sent: ${error instanceof BurstSetupError ? errorKind(error.cause) : errorKind(error)}`, at: sentAt[i]! });
          return;
        }
        sockets.push(connection.socket);
        answers[i] = connection.queue.next(timeoutMs);
        sentAt[i] = performance.now();
        connection.socket.write(requests[i]!);
      },
      () => undefined,
    );
    const outcomes = await Promise.all(answers);
    return { outcomes, ...sendTimes(sentAt) };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** sentAt, its earliest and its spread (first to last, ns). */
export function sendTimes(sentAt: readonly number[]): Pick<BurstResult, 'sentAt' | 'releasedAt' | 'releaseSpreadNs'> {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of sentAt) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (sentAt.length === 0) return { sentAt: [], releasedAt: performance.now(), releaseSpreadNs: 0 };
  return { sentAt: [...sentAt], releasedAt: first, releaseSpreadNs: Math.round((last - first) * 1e6) };
}

export { errorKind, openConnection };
