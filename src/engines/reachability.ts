// Before a run: can the target be reached at all (TCP, and TLS with a trusted certificate unless --insecure)?

import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { InvalidOptionError, TargetUnreachableError } from '../errors.ts';

/**
 * Resolves when a connection (and TLS handshake) to `url` succeeds. A target that refuses, resets or ignores the
 * connection is the target's trouble: TargetUnreachableError (exit 3). An unknown host name or an untrusted certificate
 * is the configuration's: InvalidOptionError('--target') (exit 2), naming the fix.
 */
export function checkReachable(url: URL, options: { insecure: boolean; timeoutMs: number }): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'https:'
        ? connectTls({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: !options.insecure })
        : connectTcp({ host, port });
    const fail = (why: string, configuration = false) => {
      socket.destroy();
      reject(configuration ? new InvalidOptionError('--target', `cannot reach ${url.origin}: ${why}`) : new TargetUnreachableError(url.origin, { cause: new Error(why) }));
    };
    const timer = setTimeout(() => fail(`no connection within ${options.timeoutMs} ms`), options.timeoutMs);
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOTFOUND') return fail('unknown host name; check the spelling of --target', true);
      if (/certificate|self.signed|CERT/i.test(`${error.code} ${error.message}`)) return fail(`${error.message}; pass --insecure to accept an untrusted certificate`, true);
      fail(
        error.code === 'ECONNREFUSED' ? 'connection refused: is the service running on that port?'
        : error.code === 'ECONNRESET' ? 'the connection was reset as soon as it was accepted'
        : error.code ?? error.message,
      );
    });
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
