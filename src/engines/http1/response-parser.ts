// Incremental HTTP/1.x response parser for the load engines, the durability probe and the conformance client: status,
// framing and keep-alive from the head, optionally every header and the first bytes of the body, nothing else.

/** What the engines need of one answer; `headers` and `body` only when the parser was asked to keep them. */
export interface ParsedResponse {
  status: number;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minorVersion: number;
  /** The server lets the connection be reused after this answer (HTTP/1.1 without `Connection: close`, or HTTP/1.0 with keep-alive). */
  keepAlive: boolean;
  /** `Keep-Alive: timeout=N` of the answer, in ms; undefined when absent. */
  keepAliveTimeoutMs: number | undefined; // ms
  /** Names in lower case, repeated headers joined with ", " (only with `keepHeaders`). */
  headers?: Record<string, string>;
  /** The first `keepBody` bytes of the body. */
  body?: Buffer;
}

export interface ResponseParserOptions {
  /** Keep every header of the answer (the conformance checks read Allow, Content-Type …). */
  keepHeaders?: boolean;
  /** Keep up to this many bytes of each body (0: none). */
  keepBody?: number; // bytes
}

/** The bytes are not an HTTP/1.x answer (or break its framing): the answer counts as 'bad response'. */
export class ResponseParseError extends Error {}

const CR = 13;
const LF = 10;
const MAX_HEAD = 64 * 1024; // bytes: a head longer than this is not a server we can judge
const FRAMING_NONE = 0; // awaiting a head
const FRAMING_LENGTH = 1;
const FRAMING_CHUNKED = 2;
const FRAMING_CLOSE = 3; // body until the connection ends
const EMPTY = Buffer.alloc(0);

/**
 * Feed it the bytes of one connection as they come: `push` returns each complete final answer through `onResponse`
 * (1xx interim answers such as `100 Continue` are skipped), `end` completes a body delimited by the connection's end.
 * The common answer (one chunk, Content-Length) costs one latin1 slice of the head and no other allocation.
 */
export class ResponseParser {
  private pending: Buffer = EMPTY;
  private framing = FRAMING_NONE;
  private remaining = 0; // bytes of the body (or of the current chunk) still to come
  private chunkState = 0; // chunked: 0 size line, 1 data, 2 CRLF after data, 3 trailers
  private current: ParsedResponse | undefined;
  private bodyParts: Buffer[] = [];
  private kept = 0;
  /** The request being answered was HEAD: its answer has no body, whatever the head says. */
  headRequest = false;
  /** Without kept headers or body, the one object every answer is delivered in (the callback must not keep it). */
  private readonly recycled: ParsedResponse | undefined;

  constructor(
    private readonly onResponse: (response: ParsedResponse) => void,
    private readonly options: ResponseParserOptions = {},
  ) {
    this.recycled = options.keepHeaders || (options.keepBody ?? 0) > 0 ? undefined : { status: 0, minorVersion: 1, keepAlive: true, keepAliveTimeoutMs: undefined };
  }

  /** True while part of an answer has been read (a head, or some of its body). */
  get inProgress(): boolean {
    return this.current !== undefined || this.pending.length > 0;
  }

  /** The status of the answer being read, once its head is complete. */
  get partialStatus(): number | undefined {
    return this.current?.status;
  }

  /** Feed bytes. Throws ResponseParseError on bytes that are not HTTP/1.x. */
  push(chunk: Buffer): void {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = EMPTY;
    let offset = 0;
    while (offset < data.length) {
      if (this.framing === FRAMING_NONE) {
        const end = data.indexOf('\r\n\r\n', offset, 'latin1');
        if (end === -1) {
          if (data.length - offset > MAX_HEAD) throw new ResponseParseError(`an answer head longer than ${MAX_HEAD} bytes`);
          // Not even the start of a status line (a server speaking something else, `HELLO`): say so now, not at the close.
          const start = data.toString('latin1', offset, Math.min(data.length, offset + 5));
          if (!'HTTP/'.startsWith(start)) throw new ResponseParseError(`not an HTTP/1.x answer: ${JSON.stringify(data.toString('latin1', offset, offset + 40))}`);
          this.pending = data.subarray(offset);
          return;
        }
        this.readHead(data.toString('latin1', offset, end));
        offset = end + 4;
        continue;
      }
      offset = this.readBody(data, offset);
    }
  }

  /** The connection ended. Returns true when that completed an answer (a body delimited by the end of the connection). */
  end(): boolean {
    if (this.framing === FRAMING_CLOSE && this.current !== undefined) {
      this.complete();
      return true;
    }
    return false;
  }

  private readHead(head: string): void {
    // Status line: HTTP/1.x SP 3DIGIT [SP reason]
    if (head.length < 12 || !head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 32) {
      throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(head.slice(0, 40))}`);
    }
    const minor = head.charCodeAt(7) - 48;
    const d1 = head.charCodeAt(9) - 48;
    const d2 = head.charCodeAt(10) - 48;
    const d3 = head.charCodeAt(11) - 48;
    const status = d1 * 100 + d2 * 10 + d3;
    const digits = d1 >= 1 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9;
    if (!(minor === 0 || minor === 1) || !digits || (head.length > 12 && head.charCodeAt(12) !== 32 && head.charCodeAt(12) !== CR)) {
      throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(head.slice(0, 40))}`);
    }
    let contentLength = -1;
    let chunked = false;
    let close = minor === 0; // HTTP/1.0 closes unless it says keep-alive
    let keepAliveTimeoutMs: number | undefined;
    const headers: Record<string, string> | undefined = this.options.keepHeaders ? {} : undefined;
    let line = head.indexOf('\r\n');
    while (line !== -1) {
      const start = line + 2;
      const next = head.indexOf('\r\n', start);
      const stop = next === -1 ? head.length : next;
      const colon = head.indexOf(':', start);
      if (colon > start && colon < stop) {
        const nameLength = colon - start;
        if (headers === undefined && nameLength === 14 && nameIs(head, start, 'content-length')) {
          // The hot path (every answer of a load run): digits read in place, no string made.
          let length = 0;
          let i = colon + 1;
          while (i < stop && (head.charCodeAt(i) === 32 || head.charCodeAt(i) === 9)) i++;
          const first = i;
          for (; i < stop; i++) {
            const d = head.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            length = length * 10 + d;
          }
          let end = i;
          while (end < stop && (head.charCodeAt(end) === 32 || head.charCodeAt(end) === 9)) end++;
          if (i === first || end !== stop || i - first > 15) throw new ResponseParseError(`invalid Content-Length ${JSON.stringify(head.slice(colon + 1, stop).trim())}`);
          if (contentLength !== -1 && contentLength !== length) throw new ResponseParseError('two different Content-Length values');
          contentLength = length;
        } else if (headers !== undefined || ((nameLength === 17 || nameLength === 10) && (nameIs(head, start, 'transfer-encoding') || nameIs(head, start, 'connection') || nameIs(head, start, 'keep-alive')))) {
          const name = head.slice(start, colon).toLowerCase();
          const value = head.slice(colon + 1, stop).trim();
          if (headers !== undefined) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
          if (name === 'content-length') {
            if (!/^\d+$/.test(value)) throw new ResponseParseError(`invalid Content-Length ${JSON.stringify(value)}`);
            const length = Number(value);
            if (contentLength !== -1 && contentLength !== length) throw new ResponseParseError('two different Content-Length values');
            contentLength = length;
          } else if (name === 'transfer-encoding') {
            chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          } else if (name === 'connection') {
            const tokens = value.toLowerCase();
            if (/(?:^|,)\s*close\s*(?:,|$)/.test(tokens)) close = true;
            else if (minor === 0 && /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(tokens)) close = false;
          } else if (name === 'keep-alive') {
            // Seconds; 0 is a sub-second timeout rounded down (Node writes timeout=0 for 50 ms), no usable hint.
            const timeout = /(?:^|,)\s*timeout\s*=\s*(\d+)/i.exec(value);
            if (timeout && Number(timeout[1]) > 0) keepAliveTimeoutMs = Number(timeout[1]) * 1000;
          }
        }
      }
      line = next;
    }
    if (status < 200) {
      // Interim (100 Continue, 103 Early Hints): no body, the final answer follows. 101 would switch protocols, which
      // no request of ours asks for: read it as the final answer.
      if (status !== 101) return;
    }
    // Nothing of the answer is kept beyond its callback: one object serves every answer.
    let response: ParsedResponse;
    if (this.recycled !== undefined) {
      response = this.recycled;
      response.status = status;
      response.minorVersion = minor;
      response.keepAlive = !close;
      response.keepAliveTimeoutMs = keepAliveTimeoutMs;
    } else response = { status, minorVersion: minor, keepAlive: !close, keepAliveTimeoutMs };
    if (headers !== undefined) response.headers = headers;
    this.current = response;
    this.kept = 0;
    if (this.headRequest || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      this.complete();
    } else if (chunked) {
      this.framing = FRAMING_CHUNKED;
      this.chunkState = 0;
    } else if (contentLength >= 0) {
      if (contentLength === 0) this.complete();
      else {
        this.framing = FRAMING_LENGTH;
        this.remaining = contentLength;
      }
    } else {
      // Neither length nor chunked: the body lasts until the server closes, so the connection cannot be reused.
      response.keepAlive = false;
      this.framing = FRAMING_CLOSE;
    }
  }

  /** Consume body bytes from `offset`; returns the offset after what was consumed. */
  private readBody(data: Buffer, offset: number): number {
    if (this.framing === FRAMING_LENGTH) {
      const take = Math.min(this.remaining, data.length - offset);
      this.keep(data, offset, offset + take);
      this.remaining -= take;
      if (this.remaining === 0) this.complete();
      return offset + take;
    }
    if (this.framing === FRAMING_CLOSE) {
      this.keep(data, offset, data.length);
      return data.length;
    }
    return this.readChunked(data, offset);
  }

  private readChunked(data: Buffer, offset: number): number {
    while (offset < data.length && this.framing === FRAMING_CHUNKED) {
      if (this.chunkState === 0 || this.chunkState === 3) {
        const lineEnd = data.indexOf('\r\n', offset, 'latin1');
        if (lineEnd === -1) {
          if (data.length - offset > MAX_HEAD) throw new ResponseParseError('a chunk-size or trailer line that never ends');
          this.pending = data.subarray(offset);
          return data.length;
        }
        if (this.chunkState === 3) {
          // Trailer fields until an empty line.
          if (lineEnd === offset) this.complete();
          offset = lineEnd + 2;
          continue;
        }
        const sizeText = data.toString('latin1', offset, lineEnd).split(';', 1)[0]!.trim();
        if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) throw new ResponseParseError(`invalid chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
        const size = Number.parseInt(sizeText, 16);
        offset = lineEnd + 2;
        if (size === 0) this.chunkState = 3;
        else {
          this.remaining = size;
          this.chunkState = 1;
        }
      } else if (this.chunkState === 1) {
        const take = Math.min(this.remaining, data.length - offset);
        this.keep(data, offset, offset + take);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.chunkState = 2;
      } else {
        // The CRLF after a chunk's data (it may arrive split).
        if (data.length - offset < 2) {
          this.pending = data.subarray(offset);
          return data.length;
        }
        if (data[offset] !== CR || data[offset + 1] !== LF) throw new ResponseParseError('a chunk not followed by CRLF');
        offset += 2;
        this.chunkState = 0;
      }
    }
    return offset;
  }

  private keep(data: Buffer, from: number, to: number): void {
    const limit = this.options.keepBody ?? 0;
    if (this.kept >= limit || to <= from) return;
    const take = Math.min(limit - this.kept, to - from);
    // A copy: the chunk's memory belongs to the socket.
    this.bodyParts.push(Buffer.from(data.subarray(from, from + take)));
    this.kept += take;
  }

  private complete(): void {
    const response = this.current!;
    if ((this.options.keepBody ?? 0) > 0) response.body = this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts);
    if (this.bodyParts.length > 0) this.bodyParts = [];
    this.current = undefined;
    this.framing = FRAMING_NONE;
    this.headRequest = false;
    this.onResponse(response);
  }
}

/** Whether head[start…] is the header name `lower` (lower case, ASCII), compared case-insensitively in place. */
function nameIs(head: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = head.charCodeAt(start + i);
    // ASCII letters fold to lower case with | 0x20; '-' (45) is unchanged by it.
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
