// One conformance request: exact method, headers and body bytes out; status, headers, a body excerpt and timing back.
// On stampede's HTTP/1.1 client: the bytes written are exactly the request (Host first, no other default header), an
// answer that comes before the whole request was read (413 after the headers) is the answer, and a per-request
// timeout makes a hang a finding, not a stall.

import { Http1Client } from '../engines/http1/client.ts';
import type { Exchange as ClientExchange } from '../engines/http1/connection.ts';
import type { ParsedResponse } from '../engines/http1/response-parser.ts';

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
  const client = new Http1Client({ url: base, connections: options.maxSockets, timeoutMs: options.timeoutMs, insecure: options.insecure, keepHeaders: true, keepBody: KEEP_BYTES });

  function send(wire: WireRequest): Promise<Exchange> {
    const sentAt = options.clock();
    return new Promise<Exchange>((resolve) => {
      const finish = (result: { status?: number; headers?: Record<string, string>; body?: Buffer; error?: string }) => {
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
      const exchange: ClientExchange = {
        bytes: requestBytes(wire, url.host),
        head: wire.method === 'HEAD',
        writtenAt: 0,
        onResponse: (response: ParsedResponse) => finish({ status: response.status, headers: response.headers ?? {}, body: response.body ?? Buffer.alloc(0) }),
        // A status line that arrived before the connection died is still what the target answered.
        onError: (kind, partialStatus) => finish(partialStatus !== undefined ? { status: partialStatus, error: kind } : { error: kind }),
      };
      client.request(exchange);
    });
  }

  return { send, close: () => client.close() };
}

/** The exact bytes of `wire`: request line, Host, the check's headers in order, then its body (Content-Length or chunked). */
export function requestBytes(wire: WireRequest, host: string): Buffer {
  let head = `${wire.method} ${wire.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of wire.headers) head += `${name}: ${value}\r\n`;
  const body = wire.body;
  if (body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
  if (!wire.chunked) return Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
  // Two chunks (one when the body is too short to split), then the last chunk.
  const half = body.length > 1 ? Math.floor(body.length / 2) : body.length;
  const parts: Buffer[] = [Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`, 'latin1')];
  for (const chunk of [body.subarray(0, half), body.subarray(half)]) {
    if (chunk.length === 0) continue;
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
  return Buffer.concat(parts);
}
