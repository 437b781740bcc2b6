// An HTTP/2 client session for the race engine (h2c with prior knowledge, or h2 over TLS by ALPN) over our own
// transport, a Duplex over the real socket: each nghttp2 flush batch reaches the socket as ONE socket.write, and the
// transport notes which writes carry END_STREAM DATA frames and when (each stream's send time). Also the conversion of
// the plan's raw HTTP/1.1 request bytes to HTTP/2 and the collection of one stream's answer.

import { connect as h2Connect, type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { errorKind, openConnection, type BurstTarget } from './connect.ts';
import type { BurstOutcome } from './response-queue.ts';

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
export class CountingTransport extends Duplex {
  endStreamWrites = 0;
  /** performance.now() (ms) at the start of the socket write that carried each stream's END_STREAM DATA frame, by stream ID. */
  readonly endStreamAt = new Map<number, number>();
  /** The peer sent GOAWAY: no new stream may start on this connection. */
  goaway = false;
  /** Stream IDs of the END_STREAM DATA frames in the write being examined. */
  private readonly ending: number[] = [];
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
      this.endStreamWrites++;
      const now = performance.now();
      for (const id of this.ending) this.endStreamAt.set(id, now);
      this.ending.length = 0;
    }
    this.socket.write(data, callback);
  }

  /** Walk the frames of this write (continuing a frame begun in an earlier one): any DATA frame with END_STREAM? Their streams go to `ending`. */
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
      if (type === FRAME_DATA && (flags & FLAG_END_STREAM) !== 0) {
        found = true;
        this.ending.push(buffer.readUInt32BE(at + 5) & 0x7fffffff);
      }
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
export async function openSession(target: BurstTarget, timeoutMs: number): Promise<{ session: ClientHttp2Session; transport: CountingTransport }> {
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
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no HTTP/2 SETTINGS within ${timeoutMs} ms (is the target speaking HTTP/2?)`)), timeoutMs);
      session.once('remoteSettings', () => {
        clearTimeout(timer);
        resolve();
      });
      session.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      session.once('close', () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('connection closed without an answer'), { code: 'connection closed without an answer' }));
      });
    });
  } catch (error) {
    session.destroy();
    throw error;
  }
  // Later session errors end its streams (each stream reports its own); they must not go unhandled.
  session.on('error', () => undefined);
  session.on('goaway', () => {
    transport.goaway = true;
  });
  session.setLocalWindowSize(WINDOW);
  return { session, transport };
}

/** The session can no longer carry new streams: closed, destroyed, or the peer sent GOAWAY. */
export function sessionGone(session: ClientHttp2Session, transport: CountingTransport): boolean {
  return session.closed || session.destroyed || transport.goaway;
}

/** The :scheme of the target's requests. */
export function schemeOf(target: BurstTarget): 'http' | 'https' {
  return target.tls ? 'https' : 'http';
}

/** A stream for one planned request (HEADERS sent; the body is the caller's to write). */
export function requestStream(session: ClientHttp2Session, target: BurstTarget, part: ReturnType<typeof splitHttp1Request>, endStream: boolean): ClientHttp2Stream {
  return session.request(
    { ':method': part.method, ':path': part.path, ':scheme': schemeOf(target), ':authority': part.authority || `${target.host}:${target.port}`, ...part.headers },
    { endStream },
  );
}

/** The answer of one stream: its response (status, headers, body) or why there is none; `at` is performance.now(). */
export function answerOf(stream: ClientHttp2Stream, timeoutMs: number): Promise<BurstOutcome> {
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
