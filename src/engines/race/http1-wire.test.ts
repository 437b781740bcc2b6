import { describe, expect, it } from 'vitest';
import { buildRawRequest, Http1ResponseReader } from './http1-wire.ts';

describe('buildRawRequest', () => {
  it('writes an exact HTTP/1.1 request with Content-Length', () => {
    const bytes = buildRawRequest({ method: 'POST', path: '/user-profiles', host: 'h:1', headers: { 'Content-Type': 'application/json' }, body: '{"a":"é"}' });
    expect(bytes.toString()).toBe('POST /user-profiles HTTP/1.1\r\nHost: h:1\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{"a":"é"}');
  });
});

describe('Http1ResponseReader', () => {
  it('reads Content-Length responses split anywhere, and pipelined ones', () => {
    const wire = Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nHTTP/1.1 409 Conflict\r\nContent-Type: application/problem+json\r\nContent-Length: 2\r\n\r\n{}');
    for (let split = 1; split < wire.length; split += 7) {
      const reader = new Http1ResponseReader();
      const responses = [...reader.push(wire.subarray(0, split)), ...reader.push(wire.subarray(split))];
      expect(responses.map((r) => r.status)).toEqual([201, 409]);
      expect(responses[1]!.headers['content-type']).toBe('application/problem+json');
      expect(responses[1]!.body.toString()).toBe('{}');
    }
  });

  it('reads chunked bodies with trailers and skips 100 Continue', () => {
    const reader = new Http1ResponseReader();
    const [response] = reader.push(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n'));
    expect(response?.status).toBe(400);
    expect(response?.body.toString()).toBe('abcde');
  });

  it('completes a close-delimited body at end()', () => {
    const reader = new Http1ResponseReader();
    expect(reader.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\nhello'))).toEqual([]);
    expect(reader.end()?.body.toString()).toBe('hello');
  });

  it('rejects something that is not HTTP', () => {
    expect(() => new Http1ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP\/1.x status line/);
  });
});
