// Test helper: a server in front of a correct registration service (the reference service, in-process) that forwards
// every request and its answer unchanged, but with the connection habits and answer shapes of servers we did not
// write: Connection: close every Nth answer, a short idle timeout, HTTP/1.0, chunked or echoing bodies, 100 Continue,
// heads split across many TCP segments. What it decides is the reference service's decision, so any verdict other
// than the reference's, or any indeterminate outcome, is the client's fault.

import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FrontHabit =
  | { kind: 'none' }
  | { kind: 'close-every'; n: number }
  | { kind: 'idle-timeout'; ms: number }
  | { kind: 'http10' }
  | { kind: 'chunked-body' }
  | { kind: 'echo-64kib' }
  | { kind: 'no-content' }
  | { kind: 'continue' }
  | { kind: 'split-head' };

export interface FrontServer {
  url: string;
  /** Answers sent, and connections accepted (a server closing connections makes this grow). */
  answers: number;
  connections: number;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Forward one request to the upstream service and read its whole answer. */
function forward(agent: Agent, upstream: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    const out = request(new URL(req.url ?? '/', upstream), { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 502, headers: flat, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/** The upstream answer's end-to-end headers (hop-by-hop ones and the framing dropped). */
function endToEnd(answer: Upstream): Record<string, string> {
  return Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP.has(name)));
}

function rawHead(version: '1.0' | '1.1', status: number, headers: Record<string, string>): string {
  let head = `HTTP/${version} ${status} ${status === 201 ? 'Created' : 'Answer'}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return `${head}\r\n`;
}

/** Start a front server for `upstreamUrl` with one habit, on a free loopback port; `onBody` sees every request body. */
export async function startFrontServer(upstreamUrl: string, habit: FrontHabit, onBody?: (body: Buffer) => void): Promise<FrontServer> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const answeredOn = new WeakMap<Socket, number>();
  const sockets = new Set<Socket>();
  const state = { answers: 0, connections: 0 };

  const respond = (req: IncomingMessage, res: ServerResponse, answer: Upstream) => {
    state.answers++;
    const socket = req.socket;
    const n = (answeredOn.get(socket) ?? 0) + 1;
    answeredOn.set(socket, n);
    const headers = endToEnd(answer);
    switch (habit.kind) {
      case 'close-every':
        if (n % habit.n === 0) res.shouldKeepAlive = false; // Connection: close, then the server closes
        res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
        return void res.end(answer.body);
      case 'http10': {
        // An HTTP/1.0 server: no keep-alive, the body delimited by the close. Written raw, Node's response unused.
        socket.end(Buffer.concat([Buffer.from(rawHead('1.0', answer.status, headers), 'latin1'), answer.body]));
        return;
      }
      case 'chunked-body': {
        // Chunked, with a body even for the 201.
        res.writeHead(answer.status, { ...headers, 'content-type': 'application/json' });
        res.write(answer.body.length > 0 ? answer.body : Buffer.from('{"created":'));
        return void res.end(answer.body.length > 0 ? '' : 'true}');
      }
      case 'echo-64kib': {
        // The 201 echoes a 64 KiB JSON document; other answers unchanged.
        const body = answer.status === 201 ? Buffer.from(JSON.stringify({ echo: 'x'.repeat(64 * 1024) })) : answer.body;
        res.writeHead(answer.status, { ...headers, 'content-length': String(body.length) });
        return void res.end(body);
      }
      case 'no-content':
        // 204 instead of 201 (no body); other answers unchanged.
        res.writeHead(answer.status === 201 ? 204 : answer.status, answer.status === 201 ? {} : { ...headers, 'content-length': String(answer.body.length) });
        return void res.end(answer.status === 201 ? undefined : answer.body);
      case 'split-head': {
        // The whole answer a few bytes per TCP segment, then close.
        const bytes = Buffer.concat([Buffer.from(rawHead('1.1', answer.status, { ...headers, 'content-length': String(answer.body.length), connection: 'close' }), 'latin1'), answer.body]);
        socket.setNoDelay(true);
        let offset = 0;
        const step = () => {
          if (socket.destroyed) return;
          if (offset >= bytes.length) return void socket.end();
          socket.write(bytes.subarray(offset, offset + 3));
          offset += 3;
          setImmediate(step);
        };
        return step();
      }
      default:
        res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
        return void res.end(answer.body);
    }
  };

  const server: Server = createServer(async (req, res) => {
    // 100 Continue before the final answer, whether or not the client asked for it (some servers always send it).
    if (habit.kind === 'continue') res.writeContinue();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      onBody?.(body);
      respond(req, res, await forward(agent, upstream, req, body));
    } catch {
      // The client went away mid-request (or the upstream did): nothing to answer.
      res.destroy();
    }
  });
  if (habit.kind === 'idle-timeout') server.keepAliveTimeout = habit.ms;
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get answers() {
      return state.answers;
    },
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
