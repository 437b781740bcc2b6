// Hostile input: each answered with a 4xx or a closed socket, never a crash, a 5xx or a hang; the service keeps working.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { Http1ResponseReader, type RawResponse } from '../engines/race/http1-wire.ts';
import { postJson, send } from '../testing/http-client.ts';
import { startService, type RunningService } from './start-service.ts';

let service: RunningService;
beforeAll(async () => {
  // Short timeouts so the slow-client cases end quickly; everything else at its default (1 MiB body limit).
  service = await startService({ headerTimeout: '300ms', requestTimeout: '2s', linger: '2s' });
});
afterAll(() => service.close());

// After every hostile case, the service must still register a valid profile.
afterEach(async () => {
  expect((await postJson(service.url, specExample(randomUUID()))).status).toBe(201);
});

/** Open a raw connection, let `talk` write to it, and collect the first answer (or note that the socket closed). */
function raw(talk: (write: (bytes: string | Buffer) => boolean, end: () => void) => void | Promise<void>): Promise<RawResponse | 'closed'> {
  const { hostname, port } = new URL(service.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const reader = new Http1ResponseReader();
    const safety = setTimeout(() => reject(new Error('the service neither answered nor closed the connection (hang)')), 10_000);
    const done = (result: RawResponse | 'closed') => {
      clearTimeout(safety);
      socket.destroy();
      resolve(result);
    };
    socket.on('data', (chunk: Buffer) => {
      const [response] = reader.push(chunk);
      if (response) done(response);
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done(reader.end() ?? 'closed'));
    socket.on('connect', () => void talk((bytes) => socket.write(bytes), () => socket.end()));
  });
}

const head = (length: number | 'chunked') =>
  `POST /user-profiles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`}\r\n\r\n`;

function expect4xxOrClosed(result: RawResponse | 'closed') {
  if (result !== 'closed') {
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
  }
}

describe('hostile input', () => {
  it.each([
    ['malformed JSON', '{"userProfileId": "x", countryCode: US}'],
    ['truncated JSON', JSON.stringify(specExample(randomUUID())).slice(0, 300)],
    ['10,000-deep nested arrays', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['10,000-deep nested objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['a JSON array', '[]'],
    ['a JSON string', '"c908bc7c-9917-48fd-b862-d901a0880fef"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['an empty body', ''],
    ['a byte-order mark before the JSON', '\uFEFF' + JSON.stringify(specExample(randomUUID()))],
  ])('%s → 400', async (_name, body) => {
    const answer = await postJson(service.url, body);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });

  it('10,000-deep nesting inside audit.*.value (any JSON value) is still answered, never a 5xx', async () => {
    const body = JSON.stringify(specExample(randomUUID())).replace('"value":"SUCCESS"', `"value":${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const answer = await postJson(service.url, body);
    expect([201, 400]).toContain(answer.status);
  });

  it('{"__proto__": …} → 400 and Object.prototype stays clean', async () => {
    const body = `{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "userProfileId": "${randomUUID()}", "countryCode": "US"}`;
    const answer = await postJson(service.url, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/__proto__', '/constructor']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('invalid UTF-8 inside a string → 400', async () => {
    const body = Buffer.concat([Buffer.from(`{"userProfileId":"${randomUUID()}","countryCode":"US","sdkVersion":"2.`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const answer = await send(service.url, { headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).detail).toContain('UTF-8');
  });

  it('a 10 MB body with Content-Length → 413 before it is read, memory stays flat', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20); // reused: the client holds 64 KiB, not 10 MB
    const total = 160 * chunk.length; // 10 MiB
    const before = process.memoryUsage().arrayBuffers;
    const result = await raw(async (write) => {
      write(head(total) + '{"countryCode":"US","pad":"');
      for (let sent = 0; sent < total; sent += chunk.length) {
        if (!write(chunk)) await new Promise((r) => setTimeout(r, 1)); // the service may stop reading: do not buffer 10 MB here either
      }
    });
    expect(result).not.toBe('closed');
    expect((result as RawResponse).status).toBe(413);
    expect((result as RawResponse).headers.connection).toBe('close');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024); // bytes
  });

  it('a 10 MB chunked body (no Content-Length) → 413 once the limit is crossed, memory stays flat', async () => {
    const piece = 'x'.repeat(64 * 1024);
    const frame = Buffer.from(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    const before = process.memoryUsage().arrayBuffers;
    const result = await raw(async (write, end) => {
      write(head('chunked'));
      for (let i = 0; i < 160; i++) if (!write(frame)) await new Promise((r) => setTimeout(r, 1));
      write('0\r\n\r\n');
      end();
    });
    expect(result).not.toBe('closed');
    expect((result as RawResponse).status).toBe(413);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024); // bytes
  });

  it('after a 413 the service keeps draining what the client still sends (lingering close), so the client is not reset', async () => {
    const { hostname, port } = new URL(service.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const reader = new Http1ResponseReader();
    const outcome = await new Promise<{ status: number; errorAfter413?: string }>((resolve, reject) => {
      let status = 0;
      const safety = setTimeout(() => reject(new Error('hang')), 10_000);
      socket.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(safety);
        resolve({ status, errorAfter413: error.code ?? error.message });
      });
      socket.on('data', async (chunk: Buffer) => {
        const [response] = reader.push(chunk);
        if (!response) return;
        status = response.status;
        // Keep uploading 2 MiB after the answer, as a client that does not watch for early answers would.
        const piece = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 32; i++) {
          if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
        }
        clearTimeout(safety);
        resolve({ status });
      });
      socket.on('connect', () => socket.write(head(10 * 1024 * 1024) + '{'));
    });
    socket.destroy();
    expect(outcome).toEqual({ status: 413 });
  });

  it('a body shorter than its Content-Length, then the client gives up → 4xx or closed, never a 5xx', async () => {
    const result = await raw((write, end) => {
      write(head(500) + '{"userProfileId":');
      end();
    });
    expect4xxOrClosed(result);
  });

  it('headers that never finish are closed by the header timeout', async () => {
    const result = await raw((write) => {
      write('POST /user-profiles HTTP/1.1\r\nHost: x\r\nContent-Type: appl');
    });
    expect4xxOrClosed(result);
    if (result !== 'closed') expect(result.status).toBe(408);
  });

  it('a body that never finishes is closed by the request timeout', async () => {
    const result = await raw((write) => {
      write(head(1000) + '{"userProfileId":"');
    });
    expect4xxOrClosed(result);
  });

  it('garbage instead of HTTP → 400 or closed', async () => {
    expect4xxOrClosed(await raw((write) => void write('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n')));
  });

  it('a header line over the size limit → 431 or closed', async () => {
    const result = await raw((write) => void write(`POST /user-profiles HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`));
    expect4xxOrClosed(result);
  });

  it('Expect: 100-continue with an oversized Content-Length → 413 without 100 Continue', async () => {
    const result = await raw((write) => void write(`POST /user-profiles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`));
    expect(result).not.toBe('closed');
    expect((result as RawResponse).status).toBe(413);
  });

  it('no answer so far was a 5xx', () => {
    const byStatus = service.stats().byStatus;
    expect(Object.keys(byStatus).filter((status) => Number(status) >= 500)).toEqual([]);
  });
});
