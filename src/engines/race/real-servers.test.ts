// The race client against ordinary servers that are not ours (written here, on loopback): servers that close kept-alive
// connections (Connection: close after N answers, a 50 ms idle timeout, HTTP/1.0), early answers, answers of every
// ordinary shape (chunked, a 64 KiB echo, 204, 100 Continue, headers split over many segments), and a listen backlog
// of 5 with a slow accept loop. Each costs no outcome: 0 indeterminate and the verdict of the reference service.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRaceOptions, type RaceOptionsInput } from '../../options/race-options.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { runRace } from './race-run.ts';

const servers: Array<HttpServer | NetServer> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    (server as HttpServer).closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen<T extends HttpServer | NetServer>(server: T, backlog?: number): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', ...(backlog ? { backlog } : {}) }, resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** The ID a registration body names (lower case), or undefined. */
function idOf(body: Buffer): string | undefined {
  const match = /"userProfileId"\s*:\s*"([0-9a-fA-F-]{36})"/.exec(body.toString('latin1'));
  return match?.[1]?.toLowerCase();
}

/**
 * A registration handler: atomic check-and-insert (correct), or with a wait of `racyMs` between check and insert
 * (racy: concurrent duplicates both get 201, like a check-then-insert against a database). GET /healthz → 200.
 * `shape` decides how a 201 is written.
 */
function registration(options: { racyMs?: number; closeEvery?: number; shape?: (res: ServerResponse, body: Buffer) => void } = {}) {
  const ids = new Set<string>();
  const answered = new WeakMap<object, number>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const count = (answered.get(req.socket) ?? 0) + 1;
      answered.set(req.socket, count);
      if (options.closeEvery && count % options.closeEvery === 0) res.setHeader('connection', 'close');
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      const body = Buffer.concat(chunks);
      const id = idOf(body);
      if (id === undefined) return void res.writeHead(400).end();
      if (ids.has(id)) return void res.writeHead(409, { 'content-type': 'application/problem+json' }).end('{"status":409}');
      if (options.racyMs !== undefined) await sleep(options.racyMs);
      ids.add(id);
      if (options.shape) options.shape(res, body);
      else res.writeHead(201).end();
    });
  };
}

const race = (url: string, input: RaceOptionsInput) => runRace(resolveRaceOptions({ target: url, bursts: 10, width: 8, baseline: 0, seed: 31, timeout: '5s', ...input }), { toolVersion: 'test' });

function expectClean(doc: ResultDocument, verdict: 'pass' | 'fail' = 'pass') {
  expect(doc.totals.indeterminate, JSON.stringify(doc.errors)).toBe(0);
  expect(doc.errors).toEqual({});
  expect(doc.verdict, doc.verdictReasons.join('; ')).toBe(verdict);
}

describe('servers that close kept-alive connections: no outcome lost', () => {
  it.each([1, 2, 100])('Connection: close on every %i-th answer: --warmup last-byte and single requests, 0 indeterminate, pass', async (n) => {
    const url = await listen(createHttpServer(registration({ closeEvery: n })));
    for (const warmup of [true, false]) {
      const doc = await race(url, { warmup, seed: 40 + n + (warmup ? 1000 : 0) });
      expectClean(doc);
      expect(doc.race!.bursts.every((b) => b.successes === 1)).toBe(true);
    }
  });

  it('an idle keep-alive timeout of 50 ms: warmed-up connections closed before their burst request are replaced', async () => {
    const handler = registration();
    // Node's own keepAliveTimeout adds a fixed second: the 50 ms idle timeout is armed here, after each answer, and
    // disarmed by the next request's first bytes (what nginx's keepalive_timeout does).
    const idle = new WeakMap<Socket, NodeJS.Timeout>();
    const server = createHttpServer((req, res) => {
      res.on('finish', () => idle.set(req.socket, setTimeout(() => req.socket.end(), 50)));
      // The warm-up answer takes 5 ms: with one connection set up at a time, the first of 16 idles ≥ 75 ms.
      if (req.method === 'GET') setTimeout(() => handler(req, res), 5);
      else handler(req, res);
    });
    let connections = 0;
    server.on('connection', (socket: Socket) => {
      connections++;
      socket.prependListener('data', () => clearTimeout(idle.get(socket)));
    });
    const url = await listen(server);
    const doc = await race(url, { warmup: true, width: 16, bursts: 5, connectConcurrency: 1 });
    expectClean(doc);
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.length === 16)).toBe(true);
    // 80 burst connections and the reachability check, plus those closed by the server and replaced.
    expect(connections).toBeGreaterThan(5 * 16 + 1);
  });

  it('an HTTP/1.0 server (no keep-alive, close-delimited bodies): last-byte with and without --warmup, and naive', async () => {
    const ids = new Set<string>();
    const url = await listen(
      createNetServer((socket) => {
        let data = Buffer.alloc(0);
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          data = Buffer.concat([data, chunk]);
          const end = data.indexOf('\r\n\r\n');
          if (end === -1) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1] ?? 0);
          if (data.length < end + 4 + length) return;
          const id = idOf(data.subarray(end + 4));
          const status = data.subarray(0, 4).toString() === 'GET ' ? '200 OK' : id === undefined ? '400 Bad Request' : ids.has(id) ? '409 Conflict' : '201 Created';
          if (id) ids.add(id);
          socket.end(`HTTP/1.0 ${status}\r\nContent-Type: text/plain\r\n\r\n${status}`);
        });
      }),
    );
    for (const [sync, warmup] of [
      ['last-byte', true],
      ['last-byte', false],
      ['naive', false],
    ] as const) {
      const doc = await race(url, { sync, warmup, seed: sync === 'naive' ? 51 : warmup ? 52 : 53 });
      expectClean(doc);
      expect(doc.statuses).toEqual({ '201': 10, '409': 70 });
    }
  });
});

describe('early answers and answers of every ordinary shape are classified like any other answer', () => {
  it('an answer sent after the head, before the final byte, then the connection closed: that answer is the one observed', async () => {
    const url = await listen(
      createNetServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
      }),
    );
    const doc = await race(url, { bursts: 3 });
    expect(doc.statuses).toEqual({ '401': 24 });
    expect(doc.totals).toMatchObject({ sent: 24, fail: 24, indeterminate: 0 });
    expect(doc.errors).toEqual({});
  });

  const shapes: Array<[string, (res: ServerResponse, body: Buffer) => void, number]> = [
    ['a chunked 201 with a body', (res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"created":');
      setTimeout(() => res.end('true}'), 2);
    }, 201],
    ['a 201 echoing a 64 KiB JSON body', (res, body) => {
      const echo = JSON.stringify({ echo: body.toString('utf8'), pad: 'x'.repeat(64 * 1024) });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(echo) }).end(echo);
    }, 201],
    ['a 204 with no body', (res) => res.writeHead(204).end(), 204],
  ];
  it.each(shapes)('%s', async (_name, shape, status) => {
    const url = await listen(createHttpServer(registration({ shape })));
    const doc = await race(url, { bursts: 4, warmup: true });
    expect(doc.statuses).toEqual({ [status]: 4, '409': 28 });
    expect(doc.totals.indeterminate).toBe(0);
    expect(doc.errors).toEqual({});
    expect(doc.race!.reproduced).toBe(0);
  });

  it('100 Continue before the final answer, and heads split over many TCP segments', async () => {
    const ids = new Set<string>();
    const url = await listen(
      createNetServer((socket) => {
        socket.setNoDelay(true);
        socket.on('error', () => undefined);
        let data = Buffer.alloc(0);
        socket.on('data', async (chunk: Buffer) => {
          data = Buffer.concat([data, chunk]);
          const end = data.indexOf('\r\n\r\n');
          if (end === -1) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1] ?? 0);
          if (data.length < end + 4 + length) return;
          const id = idOf(data.subarray(end + 4))!;
          const status = ids.has(id) ? '409 Conflict' : '201 Created';
          ids.add(id);
          const answer = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 ${status}\r\nX-One: 1\r\nX-Two: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`;
          // One segment per few bytes, each written on its own after a pause.
          for (let at = 0; at < answer.length; at += 7) {
            socket.write(answer.slice(at, at + 7));
            await sleep(1);
          }
          socket.end();
        });
      }),
    );
    const doc = await race(url, { bursts: 3, width: 4 });
    expect(doc.statuses).toEqual({ '201': 3, '409': 9 });
    expectClean(doc);
  });
});

describe('bounded connection set-up', () => {
  it.each([
    ['the default, 8', undefined],
    ['--connect-concurrency 3', 3],
  ] as const)('%s: at most that many connections are being set up (warm-up pending) at once', async (_label, limit) => {
    const handler = registration();
    let pending = 0;
    let most = 0;
    const url = await listen(
      createHttpServer((req, res) => {
        if (req.method !== 'GET') return handler(req, res);
        most = Math.max(most, ++pending);
        setTimeout(() => {
          pending--;
          handler(req, res);
        }, 10);
      }),
    );
    const doc = await race(url, { warmup: true, width: 32, bursts: 2, seed: 70 + (limit ?? 0), ...(limit ? { connectConcurrency: limit } : {}) });
    expectClean(doc);
    expect(most).toBe(limit ?? 8);
    expect(doc.config).toMatchObject({ connectConcurrency: limit ?? 8 });
  });
});

describe('a listen backlog of 5 and a slow accept loop', () => {
  /** net.Server with backlog 5; each accepted connection costs the accept loop 2 ms before it is handed to HTTP. */
  async function slowAccept(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const http = createHttpServer(handler);
    servers.push(http);
    const net = createNetServer((socket: Socket) => {
      const until = performance.now() + 2;
      while (performance.now() < until); // ms: a slow accept loop (the event loop is held)
      http.emit('connection', socket);
    });
    return listen(net, 5);
  }

  it('race --width 32 last-byte and --sync naive against a racy handler: 0 indeterminate, detection as with an ordinary listener', async () => {
    // A 20 ms window (a database round trip or two): wide enough for naive requests accepted 2 ms apart to overlap.
    const slow = await slowAccept(registration({ racyMs: 20 }));
    const ordinary = await listen(createHttpServer(registration({ racyMs: 20 })));
    for (const sync of ['last-byte', 'naive'] as const) {
      const seed = sync === 'naive' ? 63 : 61; // fresh IDs for each run
      const [onSlow, onOrdinary] = [await race(slow, { sync, width: 32, bursts: 3, seed }), await race(ordinary, { sync, width: 32, bursts: 3, seed: seed + 1 })];
      expectClean(onSlow, 'fail');
      expect(onSlow.totals.sent).toBe(96);
      expect(onSlow.race!.detectionRate, `${sync}: ${onSlow.race!.bursts.map((b) => b.successes)}`).toBe(1);
      expect(onOrdinary.race!.detectionRate, `${sync}: ${onOrdinary.race!.bursts.map((b) => b.successes)}`).toBe(1);
    }
  }, 60_000);
});
