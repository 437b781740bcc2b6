// HTTP/2 single-packet synchronisation: one connection, one stream per request. Every HEADERS frame and every body but
// its last byte go out first; then the final DATA frames (END_STREAM) of all streams leave in ONE socket write.
//
// Over h2c (prior knowledge) or TLS (ALPN h2). node:http2 keeps the session: it encodes HEADERS (HPACK) and parses
// the responses. Its native layer (nghttp2) flushes everything queued during one synchronous JS turn in one batch (a
// single writev on the transport), which our transport (h2-session.ts) writes to the socket with ONE socket.write
// (over TLS: one record, one segment), counting the writes that carry END_STREAM DATA frames, so every burst proves
// the release was a single write (BurstResult.releaseWrites), and noting each stream's send time.

import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { BurstSetupError } from '../../errors.ts';
import { connectPolicy, errorKind, mapLimited, openWarmedUp, withRetries, type BurstTarget, type ConnectPolicy } from './connect.ts';
import { answerOf, openSession, requestStream, sessionGone, splitHttp1Request, type CountingTransport } from './h2-session.ts';
import { DEFAULT_TIMEOUT_MS, sendTimes, type BurstOutcome, type BurstResult } from './last-byte-burst.ts';

export { splitHttp1Request } from './h2-session.ts';

export interface SinglePacketOptions {
  settleMs?: number; // ms
  timeoutMs?: number; // ms
  /**
   * A harmless request (HTTP/1.1 bytes, e.g. GET /healthz) sent as a stream and answered before the burst, so the
   * connection, TLS and both sides' HPACK tables are warm when the burst's HEADERS go out.
   */
  warmup?: Buffer;
  /** How sessions are opened (retries; naive HTTP/2: bounded concurrency); default connectPolicy(timeoutMs). */
  connect?: ConnectPolicy;
}

export interface SinglePacketResult extends BurstResult {
  /** Socket writes that carried at least one END_STREAM DATA frame: 1 when the release was a single packet's write. */
  releaseWrites: number;
}

const SESSION_HINT = 'check that the target speaks HTTP/2 (h2c with prior knowledge for http://, ALPN h2 for https://), or use --sync last-byte';
const WARMUP_HINT = 'check that the target answers GET /healthz over HTTP/2, or run without --warmup';

interface Session {
  session: ClientHttp2Session;
  transport: CountingTransport;
}

/** A session, warmed up when asked (openWarmedUp: retried, replaced when the server closes or sends GOAWAY). */
function openReadySession(target: BurstTarget, policy: ConnectPolicy, warmup: Buffer | undefined, timeoutMs: number): Promise<Session> {
  const open = () => withRetries(policy, `opening an HTTP/2 session with ${target.host}:${target.port}`, SESSION_HINT, () => openSession(target, policy.timeoutMs));
  const warm = warmup && splitHttp1Request(warmup);
  return openWarmedUp(policy, `${target.host}:${target.port}`, open, warm && {
    send: async ({ session, transport }) => {
      // A body-less warm-up ends on its HEADERS frame (no DATA frame that could be taken for a release).
      const stream = requestStream(session, target, warm, warm.body.length === 0);
      if (warm.body.length > 0) stream.end(warm.body);
      const answer = await answerOf(stream, timeoutMs);
      if ('error' in answer) return { error: answer.error.startsWith('stream closed') ? 'ECONNRESET' : answer.error };
      return { closes: sessionGone(session, transport) };
    },
    dispose: ({ session }) => session.destroy(),
    hint: WARMUP_HINT,
  });
}

/**
 * Send each raw request (HTTP/1.1 bytes, re-expressed as HTTP/2 HEADERS + DATA) as a stream of one connection; hold
 * back each body's last byte, then release all of them in one synchronous loop, which nghttp2 flushes as one write.
 */
export async function singlePacketBurst(target: BurstTarget, requests: readonly Buffer[], options: SinglePacketOptions = {}): Promise<SinglePacketResult> {
  const settleMs = options.settleMs ?? 20;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.connect ?? connectPolicy(timeoutMs);
  const parts = requests.map(splitHttp1Request);
  let current = await openReadySession(target, policy, options.warmup, timeoutMs);
  try {
    let streams: ClientHttp2Stream[] = [];
    let answers: Array<Promise<BurstOutcome>> = [];
    // HEADERS and all DATA but the last byte, then a settle wait. A connection the server closed meanwhile carried only
    // incomplete requests (no END_STREAM), which cannot have taken effect: they go again on a new connection.
    for (let round = 1; ; round++) {
      streams = parts.map((part) => requestStream(current.session, target, part, false));
      answers = streams.map((stream) => answerOf(stream, timeoutMs));
      parts.forEach((part, i) => {
        if (part.body.length > 1) streams[i]!.write(part.body.subarray(0, part.body.length - 1));
      });
      // Let every HEADERS and partial DATA frame reach the server (and its flow-control updates come back).
      await sleep(settleMs);
      if (!sessionGone(current.session, current.transport)) break;
      if (round >= policy.attempts) {
        throw new BurstSetupError(`the HTTP/2 connection to ${target.host}:${target.port} was closed by the target before the burst's requests were complete, ${round} times; check the target's limits on streams per connection and its idle timeouts`);
      }
      current.session.destroy();
      current = await openReadySession(target, policy, undefined, timeoutMs);
    }
    const { transport } = current;
    const before = transport.endStreamWrites;
    const early = streams.filter((stream) => stream.id !== undefined && transport.endStreamAt.has(stream.id)).length;
    if (early !== 0) throw new Error(`END_STREAM DATA of ${early} stream(s) left before the release`);

    // The release: the final byte of every stream, END_STREAM, queued in one synchronous loop → one native flush.
    const queuedAt = performance.now();
    for (let i = 0; i < streams.length; i++) {
      const body = parts[i]!.body;
      streams[i]!.end(body.length > 0 ? body.subarray(body.length - 1) : undefined);
    }
    const outcomes = await Promise.all(answers);
    // Each stream's send time: the socket write that carried its END_STREAM frame (one write: the same instant for all).
    const sentAt = streams.map((stream, i) => {
      const at = stream.id === undefined ? undefined : transport.endStreamAt.get(stream.id);
      return at ?? Math.min(queuedAt, outcomes[i]!.at);
    });
    return { outcomes, ...sendTimes(sentAt), releaseWrites: transport.endStreamWrites - before };
  } finally {
    current.session.destroy();
  }
}

/**
 * The naive HTTP/2 burst, baseline of single-packet: independent ordinary clients, each with its own connection and
 * session (at most `policy.concurrency` being opened at once), sending its whole request as soon as its session is up;
 * no synchronisation.
 */
export async function naiveH2Burst(target: BurstTarget, requests: readonly Buffer[], options: { timeoutMs?: number; connect?: ConnectPolicy } = {}): Promise<BurstResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.connect ?? connectPolicy(timeoutMs);
  const sessions: ClientHttp2Session[] = [];
  const sentAt = new Array<number>(requests.length).fill(0);
  const answers: Array<Promise<BurstOutcome>> = new Array(requests.length);
  const sent: Array<{ stream: ClientHttp2Stream; transport: CountingTransport } | undefined> = new Array(requests.length);
  try {
    await mapLimited(
      requests.length,
      policy.concurrency,
      async (i) => {
        let opened: Session;
        try {
          opened = await openReadySession(target, policy, undefined, timeoutMs);
        } catch (error) {
          sentAt[i] = performance.now();
          answers[i] = Promise.resolve({ error: `not sent: ${error instanceof BurstSetupError ? errorKind(error.cause) : errorKind(error)}`, at: sentAt[i]! });
          return;
        }
        sessions.push(opened.session);
        const part = splitHttp1Request(requests[i]!);
        const stream = requestStream(opened.session, target, part, false);
        answers[i] = answerOf(stream, timeoutMs);
        sentAt[i] = performance.now();
        stream.end(part.body);
        sent[i] = { stream, transport: opened.transport };
      },
      () => undefined,
    );
    const outcomes = await Promise.all(answers);
    for (let i = 0; i < sent.length; i++) {
      const s = sent[i];
      const at = s?.stream.id === undefined ? undefined : s.transport.endStreamAt.get(s.stream.id);
      if (at !== undefined) sentAt[i] = at;
    }
    return { outcomes, ...sendTimes(sentAt) };
  } finally {
    for (const session of sessions) session.destroy();
  }
}
