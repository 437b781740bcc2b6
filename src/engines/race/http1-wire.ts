// HTTP/1.1 on the wire: building exact request bytes and reading responses incrementally from a raw socket.

export interface RawRequestSpec {
  method: string;
  /** Path and query, e.g. /user-profiles */
  path: string;
  /** Host header value, e.g. 127.0.0.1:8080 */
  host: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Ask the server to close after answering (default true: one request per connection). */
  close?: boolean;
}

/** The exact bytes of one HTTP/1.1 request with a Content-Length body. */
export function buildRawRequest(spec: RawRequestSpec): Buffer {
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body);
  let head = `${spec.method} ${spec.path} HTTP/1.1\r\nHost: ${spec.host}\r\n`;
  for (const [name, value] of Object.entries(spec.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (body.length > 0 || spec.method === 'POST' || spec.method === 'PUT') head += `Content-Length: ${body.length}\r\n`;
  head += `Connection: ${spec.close === false ? 'keep-alive' : 'close'}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export interface RawResponse {
  status: number;
  /** The HTTP/1.x version of the status line (a 1.0 server closes after answering unless it says keep-alive); absent over HTTP/2. */
  version?: '1.0' | '1.1';
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Incremental HTTP/1.1 response reader: feed it bytes as they arrive; it yields each complete response.
 * Handles Content-Length, chunked, and close-delimited bodies, and 1xx interim responses (skipped).
 */
export class Http1ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private head: { status: number; version: '1.0' | '1.1'; headers: Record<string, string> } | undefined;
  private readonly bodyParts: Buffer[] = [];
  private framing: { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' } | undefined;
  /** Set when the request was HEAD: responses have no body whatever their headers say. */
  headRequest = false;

  /** Feed bytes; returns the responses completed by them. */
  push(chunk: Buffer): RawResponse[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const done: RawResponse[] = [];
    for (;;) {
      const response = this.step();
      if (response === undefined) break;
      done.push(response);
    }
    return done;
  }

  /** The connection ended: completes a close-delimited body, or returns undefined when nothing complete was pending. */
  end(): RawResponse | undefined {
    if (this.head && this.framing?.kind === 'close') return this.finish(Buffer.concat([...this.bodyParts, this.buffer]));
    return undefined;
  }

  /** True when part of a response has been read but not all of it. */
  get pending(): boolean {
    return this.head !== undefined || this.buffer.length > 0;
  }

  private step(): RawResponse | undefined {
    if (this.head === undefined && !this.readHead()) return undefined;
    const framing = this.framing!;
    if (framing.kind === 'length') {
      if (this.buffer.length < framing.remaining) return undefined;
      const body = this.buffer.subarray(0, framing.remaining);
      this.buffer = this.buffer.subarray(framing.remaining);
      return this.finish(body);
    }
    if (framing.kind === 'chunked') return this.readChunks();
    return undefined; // close-delimited: wait for end()
  }

  private readHead(): boolean {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1) return false;
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    this.buffer = this.buffer.subarray(end + 4);
    const statusLine = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!statusLine) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    const status = Number(statusLine[2]);
    const version = statusLine[1] === '0' ? '1.0' : '1.1';
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    if (status >= 100 && status < 200) return this.buffer.length > 0 ? this.readHead() : false; // interim: skip
    this.head = { status, version, headers };
    if (this.headRequest || status === 204 || status === 304) this.framing = { kind: 'length', remaining: 0 };
    else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) this.framing = { kind: 'chunked' };
    else if (headers['content-length'] !== undefined) this.framing = { kind: 'length', remaining: Number(headers['content-length']) };
    else this.framing = { kind: 'close' };
    return true;
  }

  private readChunks(): RawResponse | undefined {
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n');
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(this.buffer.subarray(0, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      if (size === 0) {
        const trailerEnd = this.buffer.indexOf('\r\n\r\n', lineEnd); // the last-chunk line, then trailers, then a blank line
        if (trailerEnd === -1) return undefined;
        this.buffer = this.buffer.subarray(trailerEnd + 4);
        return this.finish(Buffer.concat(this.bodyParts));
      }
      if (this.buffer.length < lineEnd + 2 + size + 2) return undefined;
      this.bodyParts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.buffer = this.buffer.subarray(lineEnd + 2 + size + 2);
    }
  }

  private finish(body: Buffer): RawResponse {
    const response: RawResponse = { status: this.head!.status, version: this.head!.version, headers: this.head!.headers, body: Buffer.from(body) };
    this.head = undefined;
    this.framing = undefined;
    this.bodyParts.length = 0;
    return response;
  }
}
