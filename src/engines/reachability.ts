// Before a run: can the target be reached at all (TCP, and TLS with a trusted certificate unless --insecure)?

import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { InvalidOptionError } from '../errors.ts';

/** Resolves when a connection (and TLS handshake) to `url` succeeds; throws InvalidOptionError('--target') otherwise. */
export function checkReachable(url: URL, options: { insecure: boolean; timeoutMs: number }): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'https:'
        ? connectTls({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: !options.insecure })
        : connectTcp({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new InvalidOptionError('--target', `cannot reach ${url.origin}: ${why}`));
    };
    const timer = setTimeout(() => fail(`no connection within ${options.timeoutMs}ms; check the address and that the service is running`), options.timeoutMs);
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint =
        error.code === 'ECONNREFUSED' ? 'connection refused; is the service running on that port?'
        : error.code === 'ENOTFOUND' ? 'unknown host name'
        : /certificate|self.signed|CERT/i.test(`${error.code} ${error.message}`) ? `${error.message}; pass --insecure to accept an untrusted certificate`
        : error.code ?? error.message;
      fail(hint);
    });
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
