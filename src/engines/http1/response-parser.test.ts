// The response parser on exact bytes, fed whole and one byte at a time: framing (length, chunked, close-delimited),
// interim answers, HTTP/1.0 and keep-alive, kept headers and bodies, and what is not HTTP.
import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseParser, type ParsedResponse, type ResponseParserOptions } from './response-parser.ts';

/** Every answer the parser delivers for `bytes` (copied: without kept headers the object is reused), fed in pieces. */
function parse(bytes: string, options: ResponseParserOptions = {}, piece = Infinity, end = false): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  const parser = new ResponseParser((r) => out.push({ ...r, ...(r.body ? { body: Buffer.from(r.body) } : {}) }), options);
  const buffer = Buffer.from(bytes, 'latin1');
  for (let i = 0; i < buffer.length; i += piece === Infinity ? buffer.length : piece) parser.push(buffer.subarray(i, i + piece));
  if (end) parser.end();
  return out;
}

const shapes: Array<[string, string, Partial<ParsedResponse>[], boolean?]> = [
  ['Content-Length, two answers back to back', 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nHTTP/1.1 409 Conflict\r\ncontent-length: 2\r\n\r\n{}', [{ status: 201, keepAlive: true }, { status: 409 }]],
  ['chunked with an extension and trailers', 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n', [{ status: 201 }]],
  ['100 Continue, then the final answer', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n', [{ status: 201 }]],
  ['204 and 304 have no body whatever they say', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n', [{ status: 204 }, { status: 304 }]],
  ['Connection: close', 'HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', [{ status: 201, keepAlive: false }]],
  ['HTTP/1.0 closes unless it says keep-alive', 'HTTP/1.0 201 Created\r\nContent-Length: 0\r\n\r\nHTTP/1.0 201 Created\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n', [{ status: 201, minorVersion: 0, keepAlive: false }, { status: 201, keepAlive: true }]],
  ['Keep-Alive: timeout=5 (and timeout=0, no usable hint)', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nKeep-Alive: timeout=0\r\nContent-Length: 0\r\n\r\n', [{ keepAliveTimeoutMs: 5000 }, { keepAliveTimeoutMs: undefined }]],
  ['a body delimited by the close', 'HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n{"ok":true}', [{ status: 201, keepAlive: false }], true],
];

describe('ResponseParser', () => {
  it.each(shapes)('%s: the same answers whole and one byte at a time', (_name, bytes, expected, end) => {
    for (const piece of [Infinity, 1, 7]) expect(parse(bytes, {}, piece, end)).toMatchObject(expected);
  });

  it('keeps every header (names lower case, repeats joined) and the first bytes of the body when asked', () => {
    const [answer] = parse('HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nX-A: 1\r\nx-a: 2\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n', { keepHeaders: true, keepBody: 8 }, 3);
    expect(answer).toMatchObject({ status: 405, headers: { allow: 'POST', 'x-a': '1, 2', 'transfer-encoding': 'chunked' } });
    expect(answer!.body!.toString()).toBe('hello wo');
  });

  it.each([
    ['HELLO\r\n', /not an HTTP\/1.x answer/],
    ['HTTP/1.1 2x1 Odd\r\n\r\n', /not an HTTP\/1.x status line/],
    ['HTTP/1.1 201 Created\r\nContent-Length: 1a\r\n\r\n', /invalid Content-Length "1a"/],
    ['HTTP/1.1 201 Created\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /two different Content-Length values/],
    ['HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /invalid chunk size/],
  ])('refuses %j', (bytes, message) => {
    expect(() => parse(bytes)).toThrow(ResponseParseError);
    expect(() => parse(bytes)).toThrow(message);
  });

  it('knows when an answer is under way, and its status once the head is in', () => {
    const parser = new ResponseParser(() => {});
    expect(parser.inProgress).toBe(false);
    parser.push(Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 10\r\n\r\nabc'));
    expect(parser.inProgress).toBe(true);
    expect(parser.partialStatus).toBe(503);
  });
});
