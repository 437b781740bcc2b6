// Early answers (issue 13): a server that answers before it has read the whole request (413 after the headers, 401)
// and closes — gracefully or with a reset — is heard, by the conformance client and by the load engines alike.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConformOptions } from '../options/conform-options.ts';
import { resolveLoadOptions } from '../options/load-options.ts';
import { runLoad } from '../engines/load-run.ts';
import { runConformance } from './runner.ts';
import { createExchangeClient, requestBytes } from './http-exchange.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * Answers every request as soon as its head is complete, without reading the body: `status` for all, or 413 only for
 * a declared body over 1 MiB (400 otherwise); then closes with FIN (`end`) or a reset (`destroy`).
 */
async function earlyAnswerServer(close: 'end' | 'destroy', status?: number): Promise<string> {
  const server = createServer((socket: Socket) => {
    let head = '';
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const answer = status ?? (length > 1024 * 1024 ? 413 : 400);
      const body = JSON.stringify({ type: 'about:blank', title: 'early', status: answer });
      socket.write(`HTTP/1.1 ${answer} Early\r\nContent-Type: application/problem+json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      if (close === 'end') socket.end();
      else socket.destroy();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe.each(['end', 'destroy'] as const)('a server that answers after the headers and closes (%s)', (close) => {
  it('conform: SIZE-413 passes with the 413 observed (no EPIPE, no reset reported)', async () => {
    const target = await earlyAnswerServer(close);
    const { document } = await runConformance(resolveConformOptions({ target, fuzz: 0, seed: 3, timeout: '5s' }), { toolVersion: 'test', resultDirectory: '/tmp/stampede-early' });
    const size = document.checks!.find((c) => c.id === 'SIZE-413')!;
    expect(size).toMatchObject({ verdict: 'pass', observed: { status: 413 } });
    expect(size.observed!.error).toBeUndefined();
    expect(document.checks!.filter((c) => c.observed?.error !== undefined).map((c) => c.id)).toEqual([]);
  });

  it('the exchange client reads the early 413 of a 2 MiB body, every time', async () => {
    const target = await earlyAnswerServer(close);
    const client = createExchangeClient(target, { timeoutMs: 5000, insecure: false, clock: () => performance.now(), maxSockets: 4 });
    const body = Buffer.alloc(2 * 1024 * 1024, 0x78);
    const answers = await Promise.all(Array.from({ length: 8 }, () => client.send({ method: 'POST', path: '/user-profiles', headers: [['Content-Type', 'application/json']], body })));
    client.close();
    expect(answers.map((a) => [a.status, a.error])).toEqual(Array.from({ length: 8 }, () => [413, undefined]));
    expect(JSON.parse(answers[0]!.body.toString('utf8'))).toMatchObject({ status: 413 });
  });

  it('load: a 401 answered before the body is read is a definite wrong answer on every request, never indeterminate', async () => {
    const target = await earlyAnswerServer(close, 401);
    const doc = await runLoad(resolveLoadOptions({ target, connections: 8, requests: 200, probe: 'off', seed: 9 }), { toolVersion: 'test' });
    expect(doc.statuses).toEqual({ '401': 200 });
    expect(doc.errors).toEqual({});
    expect(doc.totals).toMatchObject({ sent: 200, fail: 200, indeterminate: 0 });
    expect(doc.verdict).toBe('fail');
  });
});

describe('requestBytes', () => {
  it('writes exactly the check\'s request: Host first, headers in order, Content-Length, or two chunks then the last chunk', () => {
    const body = Buffer.from('{"a":1}');
    expect(requestBytes({ method: 'POST', path: '/user-profiles', headers: [['Content-Type', 'text/plain'], ['X-A', 'b']], body }, '127.0.0.1:9').toString('latin1')).toBe(
      'POST /user-profiles HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: text/plain\r\nX-A: b\r\nContent-Length: 7\r\n\r\n{"a":1}',
    );
    expect(requestBytes({ method: 'POST', path: '/p', headers: [], body, chunked: true }, 'h').toString('latin1')).toBe('POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n');
    expect(requestBytes({ method: 'GET', path: '/user-profiles', headers: [] }, 'h').toString('latin1')).toBe('GET /user-profiles HTTP/1.1\r\nHost: h\r\n\r\n');
  });
});
