// One conformance request: exact method, headers and body bytes out; status, headers, a body excerpt and timing back.
// node:http(s), no default headers beyond Host and Connection; a per-request timeout, so a hang is a finding, not a stall.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A request exactly as a check sends it (and as its curl command reproduces it). */
export interface WireRequest {
  method: string;
  /** Path and query, e.g. /user-profiles. */
  path: string;
  /** In order; names as written. Content-Length is added for a body unless `chunked`. */
  headers: Array<[string, string]>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked (in two chunks) instead of Content-Length. */
  chunked?: boolean;
}

export interface Exchange {
  request: WireRequest;
  /** Absent when there was no answer. */
  status?: number;
  /** Answer headers, names lower-case (multiple values joined with ", "). */
  headers: Record<string, string>;
  /** The first bytes of the answer body (at most `keepBytes`). */
  body: Buffer;
  /** Error kind when there was no answer: timeout, ECONNRESET, ECONNREFUSED, … */
  error?: string;
  /** ms since the run started. */
  sentAt: number;
  answeredAt: number;
  durationMs: number; // ms
}

export interface ExchangeClient {
  send(request: WireRequest): Promise<Exchange>;
  close(): void;
}

const KEEP_BYTES = 64 * 1024; // bytes of an answer body kept for judging (problem JSON) and excerpts

export function createExchangeClient(base: string, options: { timeoutMs: number; insecure: boolean; clock: () => number; maxSockets: number }): ExchangeClient {
  const url = new URL(base);
  const https = url.protocol === 'https:';
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets, rejectUnauthorized: !options.insecure })
    : new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
  const request = https ? httpsRequest : httpRequest;
  // Keep-alive sockets are reused: their guard listener is added once.
  const guarded = new WeakSet<object>();

  function send(wire: WireRequest): Promise<Exchange> {
    const sentAt = options.clock();
    return new Promise<Exchange>((resolve) => {
      let settled = false;
      const finish = (result: { status?: number; headers?: Record<string, string>; body?: Buffer; error?: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const answeredAt = options.clock();
        resolve({
          request: wire,
          ...(result.status !== undefined ? { status: result.status } : {}),
          headers: result.headers ?? {},
          body: result.body ?? Buffer.alloc(0),
          ...(result.error !== undefined ? { error: result.error } : {}),
          sentAt,
          answeredAt,
          durationMs: answeredAt - sentAt,
        });
      };
      const headers: Record<string, string> = {};
      for (const [name, value] of wire.headers) headers[name] = value;
      if (wire.body !== undefined && !wire.chunked) headers['Content-Length'] = String(wire.body.length);
      if (wire.chunked) headers['Transfer-Encoding'] = 'chunked';
      let req: ReturnType<typeof request>;
      try {
        req = request(new URL(wire.path, url), { method: wire.method, headers, agent }, (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept < KEEP_BYTES) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          res.on('end', () => finish({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: Buffer.concat(chunks).subarray(0, KEEP_BYTES) }));
          res.on('error', (error: NodeJS.ErrnoException) => finish({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: Buffer.concat(chunks), error: error.code ?? error.message }));
        });
      } catch (error) {
        // The request cannot even be written (an invalid header value): stampede's own fault, reported as such.
        finish({ error: `not sendable: ${(error as Error).message}` });
        return;
      }
      const timer = setTimeout(() => {
        req.destroy();
        finish({ error: 'timeout' });
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message }));
      // A server may answer (413, 415) and close before the body is written: writing on must not throw.
      req.on('socket', (socket) => {
        if (guarded.has(socket)) return;
        guarded.add(socket);
        socket.on('error', () => {});
      });
      if (wire.body === undefined) req.end();
      else if (wire.chunked && wire.body.length > 1) {
        const half = Math.floor(wire.body.length / 2);
        req.write(wire.body.subarray(0, half));
        req.end(wire.body.subarray(half));
      } else req.end(wire.body);
    });
  }

  return { send, close: () => agent.destroy() };
}

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
