// HTTP/2 single-packet synchronisation: one connection, one stream per request. Every HEADERS frame and every body but
// its last byte go out first; then the final DATA frames (END_STREAM) of all streams leave in ONE socket write.
//
// Over h2c (prior knowledge) or TLS (ALPN h2). node:http2 keeps the session: it encodes HEADERS (HPACK) and parses
// the responses. Its native layer (nghttp2) flushes everything queued during one synchronous JS turn in one batch (a
// single writev on the transport). The transport given to http2.connect is our own Duplex over the real socket: each
// batch reaches _writev once and is written to the socket with ONE socket.write (over TLS: one record, one segment). It also counts the writes that carry END_STREAM DATA frames, so every burst proves
// the release was a single write (BurstResult.releaseWrites).

import { connect as h2Connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { DEFAULT_TIMEOUT_MS, errorKind, openConnection, spreadNs, type BurstOutcome, type BurstResult, type BurstTarget } from './last-byte-burst.ts';

export interface SinglePacketOptions {
  settleMs?: number; // ms
  timeoutMs?: number; // ms
  /**
   * A harmless request (HTTP/1.1 bytes, e.g. GET /healthz) sent as a stream and answered before the burst, so the
   * connection, TLS and both sides' HPACK tables are warm when the burst's HEADERS go out.
   */
  warmup?: Buffer;
}

export interface SinglePacketResult extends BurstResult {
  /** Socket writes that carried at least one END_STREAM DATA frame: 1 when the release was a single packet's write. */
  releaseWrites: number;
}

const FRAME_DATA = 0x0;
const FLAG_END_STREAM = 0x1;
/** Flow-control windows asked of the peer are ours to give: large, so a burst's bodies never wait for WINDOW_UPDATE. */
const WINDOW = 16 * 1024 * 1024; // bytes
// Connection-specific headers (RFC 9113 §8.2.2) and pseudo-header sources: not sent as HTTP/2 fields.
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

/** Head and body of raw HTTP/1.1 request bytes (what the plan and the replay file hold). */
export function splitHttp1Request(bytes: Buffer): { method: string; path: string; authority: string; headers: OutgoingHttpHeaders; body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) throw new Error('not an HTTP/1.1 request: no end of head');
  const [requestLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const [method = 'POST', path = '/'] = requestLine.split(' ');
  const headers: OutgoingHttpHeaders = {};
  let authority = '';
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'host') authority = value;
    if (!DROPPED.has(name)) headers[name] = value;
  }
  return { method, path, authority, headers, body: bytes.subarray(end + 4) };
}

/** A Duplex over a real socket: one socket.write per flush batch, counting writes with END_STREAM DATA frames. */
class CountingTransport extends Duplex {
  endStreamWrites = 0;
  /** hrtime at the start of the first and of the last write that carried END_STREAM DATA frames. */
  firstReleaseAt = 0n;
  lastReleaseAt = 0n;
  private skip = 24; // payload bytes of a frame still to come in later writes; first, the client connection preface
  private header = Buffer.alloc(0); // a frame header split across writes

  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.send(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.send(chunk, callback);
  }

  override _final(callback: () => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }

  private send(data: Buffer, callback: (error?: Error | null) => void): void {
    if (this.hasEndStreamData(data)) {
      const now = process.hrtime.bigint();
      if (this.endStreamWrites++ === 0) this.firstReleaseAt = now;
      this.lastReleaseAt = now;
    }
    this.socket.write(data, callback);
  }

  /** Walk the frames of this write (continuing a frame begun in an earlier one): any DATA frame with END_STREAM? */
  private hasEndStreamData(data: Buffer): boolean {
    let found = false;
    let at = 0;
    if (this.skip > 0) {
      const n = Math.min(this.skip, data.length);
      this.skip -= n;
      at = n;
    }
    let buffer = data;
    if (this.header.length > 0) {
      buffer = Buffer.concat([this.header, data.subarray(at)]);
      at = 0;
      this.header = Buffer.alloc(0);
    }
    while (at < buffer.length) {
      if (buffer.length - at < 9) {
        this.header = Buffer.from(buffer.subarray(at));
        break;
      }
      const length = buffer.readUIntBE(at, 3);
      const type = buffer[at + 3]!;
      const flags = buffer[at + 4]!;
      if (type === FRAME_DATA && (flags & FLAG_END_STREAM) !== 0) found = true;
      const end = at + 9 + length;
      if (end > buffer.length) {
        this.skip = end - buffer.length;
        break;
      }
      at = end;
    }
    return found;
  }
}

/** One HTTP/2 session (h2c with prior knowledge, or h2 over TLS by ALPN) over a counting transport, once the peer's SETTINGS have arrived. */
async function openSession(target: BurstTarget, timeoutMs: number): Promise<{ session: ClientHttp2Session; transport: CountingTransport }> {
  const noH2 = `${target.host}:${target.port} did not agree to HTTP/2 over TLS (ALPN h2): single-packet needs an HTTP/2 target; use last-byte for HTTP/1.1`;
  const socket = await openConnection(target, timeoutMs, 'h2').catch((error: NodeJS.ErrnoException) => {
    // A server that speaks only http/1.1 may refuse the handshake outright (TLS alert no_application_protocol).
    throw error.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' ? new Error(noH2, { cause: error }) : error;
  });
  if (target.tls && (socket as TLSSocket).alpnProtocol !== 'h2') {
    socket.destroy();
    throw new Error(noH2);
  }
  const transport = new CountingTransport(socket);
  const session = h2Connect(`${schemeOf(target)}://${target.host}:${target.port}`, {
    createConnection: () => transport as unknown as Socket,
    settings: { initialWindowSize: WINDOW, enablePush: false },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no HTTP/2 SETTINGS within ${timeoutMs}ms (is the target speaking HTTP/2?)`)), timeoutMs);
    session.once('remoteSettings', () => {
      clearTimeout(timer);
      resolve();
    });
    session.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  session.setLocalWindowSize(WINDOW);
  return { session, transport };
}

/**
 * Send each raw request (HTTP/1.1 bytes, re-expressed as HTTP/2 HEADERS + DATA) as a stream of one connection; hold
 * back each body's last byte, then release all of them in one synchronous loop, which nghttp2 flushes as one write.
 */
export async function singlePacketBurst(target: BurstTarget, requests: readonly Buffer[], options: SinglePacketOptions = {}): Promise<SinglePacketResult> {
  const settleMs = options.settleMs ?? 20;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { session, transport } = await openSession(target, timeoutMs);
  try {
    if (options.warmup) {
      const warm = splitHttp1Request(options.warmup);
      const stream = session.request({ ':method': warm.method, ':path': warm.path, ':scheme': schemeOf(target), ':authority': warm.authority || `${target.host}:${target.port}`, ...warm.headers });
      stream.end(warm.body.length > 0 ? warm.body : undefined);
      const answer = await answerOf(stream, timeoutMs);
      if ('error' in answer) throw new Error(`warm-up request failed: ${answer.error}`);
    }
    const parts = requests.map(splitHttp1Request);
    const streams: ClientHttp2Stream[] = [];
    const answers: Array<Promise<BurstOutcome>> = [];
    for (const part of parts) {
      const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_AUTHORITY, HTTP2_HEADER_SCHEME } = constants;
      const stream = session.request(
        { [HTTP2_HEADER_METHOD]: part.method, [HTTP2_HEADER_PATH]: part.path, [HTTP2_HEADER_SCHEME]: schemeOf(target), [HTTP2_HEADER_AUTHORITY]: part.authority || `${target.host}:${target.port}`, ...part.headers },
        { endStream: false },
      );
      streams.push(stream);
      answers.push(answerOf(stream, timeoutMs));
      if (part.body.length > 1) stream.write(part.body.subarray(0, part.body.length - 1));
    }
    // Let every HEADERS and partial DATA frame reach the server (and its flow-control updates come back).
    await sleep(settleMs);
    const before = transport.endStreamWrites;
    if (before !== 0) throw new Error(`END_STREAM DATA left before the release (${before} writes)`);

    // The release: the final byte of every stream, END_STREAM, queued in one synchronous loop → one native flush.
    const releasedAt = performance.now();
    for (let i = 0; i < streams.length; i++) {
      const body = parts[i]!.body;
      streams[i]!.end(body.length > 0 ? body.subarray(body.length - 1) : undefined);
    }
    const outcomes = await Promise.all(answers);
    // Spread, as for last-byte: from the start of the first to the start of the last write releasing final bytes (0 for one write).
    return { outcomes, releaseSpreadNs: Number(transport.lastReleaseAt - transport.firstReleaseAt), releasedAt, releaseWrites: transport.endStreamWrites - before };
  } finally {
    session.destroy();
  }
}

/** The :scheme of the target's requests. */
function schemeOf(target: BurstTarget): 'http' | 'https' {
  return target.tls ? 'https' : 'http';
}

function answerOf(stream: ClientHttp2Stream, timeoutMs: number): Promise<BurstOutcome> {
  return new Promise((resolve) => {
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (outcome: BurstOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ error: 'timeout', at: performance.now() }), timeoutMs);
    stream.on('response', (h) => {
      status = Number(h[':status'] ?? 0);
      headers = Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(':')).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => settle(status ? { response: { status, headers, body: Buffer.concat(chunks) }, at: performance.now() } : { error: 'stream ended without a response', at: performance.now() }));
    stream.on('error', (error: NodeJS.ErrnoException) => settle({ error: errorKind(error), at: performance.now() }));
    stream.on('close', () => settle(status ? { response: { status, headers, body: Buffer.concat(chunks) }, at: performance.now() } : { error: `stream closed (RST ${stream.rstCode})`, at: performance.now() }));
  });
}

/**
 * The naive HTTP/2 burst, baseline of single-packet: independent ordinary clients, each with its own connection and
 * session, sending its whole request as soon as its session is up (all started at once); no synchronisation.
 */
export async function naiveH2Burst(target: BurstTarget, requests: readonly Buffer[], options: { timeoutMs?: number } = {}): Promise<BurstResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sessions: ClientHttp2Session[] = [];
  const writtenAt: number[] = [];
  const releasedAt = performance.now();
  try {
    const outcomes = await Promise.all(
      requests.map(async (bytes): Promise<BurstOutcome> => {
        let session: ClientHttp2Session;
        try {
          ({ session } = await openSession(target, timeoutMs));
        } catch (error) {
          return { error: errorKind(error), at: performance.now() };
        }
        sessions.push(session);
        const part = splitHttp1Request(bytes);
        const stream = session.request({ ':method': part.method, ':path': part.path, ':scheme': schemeOf(target), ':authority': part.authority || `${target.host}:${target.port}`, ...part.headers });
        writtenAt.push(performance.now());
        stream.end(part.body);
        return answerOf(stream, timeoutMs);
      }),
    );
    return { outcomes, releaseSpreadNs: spreadNs(writtenAt), releasedAt };
  } finally {
    for (const session of sessions) session.destroy();
  }
}
