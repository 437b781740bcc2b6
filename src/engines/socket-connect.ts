// Opening one TCP (or TLS) connection to the target, and which connect errors are worth another try: shared by the
// load engines' client (http1/connector.ts) and the race bursts (race/connect.ts).

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';

export interface ConnectTarget {
  host: string;
  port: number;
  /** Connect with TLS (an https:// target). */
  tls?: { servername?: string; insecure?: boolean };
}

/** The target of a URL: host without IPv6 brackets, port, TLS for https. */
export function connectTarget(url: URL, insecure = false): ConnectTarget {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return url.protocol === 'https:' ? { host, port, tls: { servername: url.hostname, insecure } } : { host, port };
}

/**
 * What TLS connections to one target share, as browsers and HTTP clients do: one secure context (tls.connect would
 * build one per connection) and the latest session ticket, so a connection after the first resumes its session
 * instead of a full handshake (a race burst opens 32 connections; a full handshake costs milliseconds of CPU on both
 * sides). A target that does not resume simply gets full handshakes.
 */
interface TlsShared {
  context: SecureContext;
  session?: Buffer;
}
const tlsShared = new Map<string, TlsShared>();

function sharedFor(target: ConnectTarget, alpn: string): TlsShared {
  const key = `${target.host}\0${target.port}\0${target.tls!.servername ?? ''}\0${target.tls!.insecure === true}\0${alpn}`;
  let shared = tlsShared.get(key);
  if (shared === undefined) {
    shared = { context: createSecureContext() };
    tlsShared.set(key, shared);
  }
  return shared;
}

/**
 * A connected socket (TCP, or TLS once the handshake is done, offering `alpn`), Nagle off: a request, or a race's last
 * byte, must leave at once. Rejects with the socket's error, or ETIMEDOUT after `timeoutMs`.
 */
export function openSocket(target: ConnectTarget, timeoutMs: number, alpn: 'http/1.1' | 'h2' = 'http/1.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const shared = target.tls ? sharedFor(target, alpn) : undefined;
    const socket: Socket = target.tls
      ? tlsConnect({
          host: target.host,
          port: target.port,
          // SNI only for host names, never IP literals.
          ...(target.tls.servername && !/^[\d.]+$|:/.test(target.tls.servername) ? { servername: target.tls.servername } : {}),
          rejectUnauthorized: !target.tls.insecure,
          ALPNProtocols: [alpn],
          secureContext: shared!.context,
          ...(shared!.session ? { session: shared!.session } : {}),
        })
      : netConnect({ host: target.host, port: target.port, noDelay: true });
    // TLS 1.3 tickets come after the handshake; the latest one is offered by the next connection.
    if (shared) (socket as TLSSocket).on('session', (session: Buffer) => (shared.session = session));
    const ready = target.tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connect timeout after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once(ready, () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.off('error', onError);
      resolve(socket);
    });
    socket.once('error', onError);
  });
}

/** The kind of a connection error: the system code (ECONNRESET…) or the message. */
export function errorKind(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(error);
}

const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAGAIN', 'EADDRNOTAVAIL', 'timeout', 'connection closed without an answer']);

/**
 * ECONNRESET, a timeout or a connection closed under us: worth another try (a full accept queue, a busy server). A
 * refused connection is not: nothing listens there.
 */
export function isRetryable(kind: string): boolean {
  return RETRYABLE.has(kind) || kind.startsWith('connect timeout') || kind.startsWith('no HTTP/2 SETTINGS');
}
