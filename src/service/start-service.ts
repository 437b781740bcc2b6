// Starts the reference registration service (node:http, no framework) in-process and hands back its URL and controls.

import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createServer as createH2cServer, createSecureServer as createH2Server, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { ListenError } from '../errors.ts';
import { resolveServiceOptions, type ServiceOptions, type ServiceOptionsInput } from '../options/service-options.ts';
import { FaultInjector } from './faults.ts';
import { createRequestHandler } from './handler.ts';
import { StatsCounter, type ServiceStats } from './stats.ts';
import { selfSignedCertificate } from './self-signed.ts';
import { MemoryStore } from './store.ts';

export interface RunningService {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  /** The resolved options the service runs with (`tls` holds the generated certificate with --tls alone). */
  options: ServiceOptions;
  /** SHA-256 fingerprint of a certificate generated for --tls without --tls-cert/--tls-key. */
  selfSignedFingerprint?: string;
  stats(): ServiceStats;
  /** Stop accepting, let in-flight requests finish for up to `graceMs`, then drop the remaining connections. */
  close(graceMs?: number): Promise<void>;
}

/** How long close() waits for in-flight requests before cutting connections. */
const CLOSE_GRACE_MS = 1_000; // ms

export async function startService(input: ServiceOptionsInput = {}): Promise<RunningService> {
  const resolved = resolveServiceOptions(input);
  const generated = resolved.selfSigned ? await selfSignedCertificate(resolved.host) : undefined;
  const options: ServiceOptions = generated ? { ...resolved, tls: { cert: generated.cert, key: generated.key } } : resolved;
  const store = options.store ?? new MemoryStore({ keepPayloads: options.keepPayloads });
  const stats = new StatsCounter();
  const handler = createRequestHandler({
    store,
    stats,
    faults: new FaultInjector(options.faults, options.seed),
    maxBodyBytes: options.maxBodyBytes,
    lingerMs: options.lingerMs,
    keepPayloads: options.keepPayloads,
  });

  // The same handler behind HTTPS with --tls-cert/--tls-key (https.Server has http.Server's API), or HTTP/2 (h2c, or
  // h2 over TLS with the certificate).
  const h2 = { sessions: new Set<Http2Session>(), sockets: new Set<Socket>() };
  const create = (
    options.http2 ? (_o: object, h: Listener) => createH2(h, h2, options.tls)
    : options.tls ? (o: object, h: Listener) => createTlsServer({ ...o, ...options.tls }, h) as unknown as Server
    : createServer
  ) as typeof createServer;
  const server = create(
    {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (default 30 s): check at a quarter of the shorter one.
      connectionsCheckingInterval: Math.max(10, Math.min(options.headersTimeoutMs, options.requestTimeoutMs) / 4),
      noDelay: true,
    },
    (req, res) => handler(req, res),
  );
  // Expect: 100-continue — answer 413/415 before the client sends the body; otherwise the handler sends 100.
  server.on('checkContinue', (req, res) => handler(req, res, true));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, stats));

  await listen(server, options);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new ListenError('the service did not get a TCP address');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    options,
    ...(generated ? { selfSignedFingerprint: generated.fingerprint256 } : {}),
    stats: () => stats.snapshot(store.size),
    close(graceMs = CLOSE_GRACE_MS) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => (options.http2 ? h2.sockets.forEach((s) => s.destroy()) : server.closeAllConnections()), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        if (options.http2) h2.sessions.forEach((s) => s.close());
        else server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, options: ServiceOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE' ? `port ${options.port} is in use; choose another with --port, or --port 0 for a free one`
        : error.code === 'EADDRNOTAVAIL' ? `${options.host} is not an address of this machine; check --host`
        : error.code === 'EACCES' ? `not allowed to listen on port ${options.port}; use a port above 1023`
        : error.message;
      reject(new ListenError(`cannot listen on ${options.host}:${options.port}: ${hint}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * A request Node could not parse, or whose headers or body did not arrive in time: answer as Node would
 * (400 / 408 / 431), count it, and close. Never throws: a hostile client must not take the service down.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket, stats: StatsCounter): void {
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  // A response already in progress on this socket, or a socket already gone: nothing can be said, only dropped.
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    stats.dropped();
    socket.destroy();
    return;
  }
  stats.count(status);
  const reason = status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroySoon();
}

type Listener = Parameters<typeof createServer>[1];

/** Per-connection flow-control window of the HTTP/2 service: a whole burst of bodies fits without WINDOW_UPDATE waits. */
const H2_WINDOW = 16 * 1024 * 1024; // bytes

/**
 * `--http2`: the same request handler behind node:http2's compatibility API: over cleartext with prior knowledge (h2c),
 * or, with a certificate, over TLS with ALPN `h2` (HTTP/1.1 clients still served: ALPN `http/1.1`, allowHTTP1).
 * Typed as http.Server for the shared listen/close paths; only listen, close, address and on() are used on it.
 */
function createH2(handler: Listener, { sessions, sockets }: { sessions: Set<Http2Session>; sockets: Set<Socket> }, tls: ServiceOptions['tls']): Server {
  const settings = { initialWindowSize: H2_WINDOW };
  const server = tls ? createH2Server({ ...tls, allowHTTP1: true, settings }, handler as never) : createH2cServer({ settings }, handler as never);
  // Every connection, session or not (e.g. an HTTP/1.1 client), so close() can cut what is left after the grace.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.once('localSettings', () => session.setLocalWindowSize(H2_WINDOW));
  });
  return server as unknown as Server;
}
