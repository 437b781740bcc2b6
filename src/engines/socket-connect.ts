// Opening one TCP (or TLS) connection to the target, and which connect errors are worth another try: shared by the
// load engines' client (http1/connector.ts) and the race bursts (race/connect.ts).

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

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
 * A connected socket (TCP, or TLS once the handshake is done, offering `alpn`), Nagle off: a request, or a race's last
 * byte, must leave at once. Rejects with the socket's error, or ETIMEDOUT after `timeoutMs`.
 */
export function openSocket(target: ConnectTarget, timeoutMs: number, alpn: 'http/1.1' | 'h2' = 'http/1.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({
          host: target.host,
          port: target.port,
          // SNI only for host names, never IP literals.
          ...(target.tls.servername && !/^[\d.]+$|:/.test(target.tls.servername) ? { servername: target.tls.servername } : {}),
          rejectUnauthorized: !target.tls.insecure,
          ALPNProtocols: [alpn],
        })
      : netConnect({ host: target.host, port: target.port, noDelay: true });
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
