// Opening connections to a TLS target: one secure context and the latest session ticket shared per target, so every
// connection after the first resumes its session (a race burst opens 32 at once), and a target that will not resume
// still gets full handshakes.
import { constants } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../service/self-signed.ts';
import { openSocket, type ConnectTarget } from './socket-connect.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function tlsServer(options: { resume: boolean }): Promise<number> {
  const { key, cert } = await selfSignedCertificate('localhost');
  // Connections stay open until the client closes them: the TLS 1.3 ticket is sent after the handshake.
  // Not resuming: no tickets, and a session cache (the newSession/resumeSession hooks) that never finds a session.
  const server = createServer({ key, cert, ...(options.resume ? {} : { secureOptions: constants.SSL_OP_NO_TICKET }) }, (socket) => socket.resume());
  if (!options.resume) {
    server.on('newSession', (_id: Buffer, _data: Buffer, done: () => void) => done());
    server.on('resumeSession', (_id: Buffer, done: (error: Error | null, data: Buffer | null) => void) => done(null, null));
  }
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Opens `n` connections one after another, each kept until the next is open; how many resumed a session. */
async function resumed(target: ConnectTarget, n: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const socket = (await openSocket(target, 5000)) as TLSSocket;
    if (socket.isSessionReused()) count++;
    // Long enough for the server's ticket to arrive.
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
  }
  return count;
}

describe('openSocket over TLS', () => {
  it('every connection after the first to one target resumes its session', async () => {
    const port = await tlsServer({ resume: true });
    expect(await resumed({ host: '127.0.0.1', port, tls: { insecure: true } }, 5)).toBe(4);
  });

  it('a verifying connection to a target first reached with --insecure still rejects its self-signed certificate', async () => {
    const port = await tlsServer({ resume: true });
    await resumed({ host: '127.0.0.1', port, tls: { insecure: true } }, 2);
    // The self-signed certificate fails verification: a session carried over from --insecure would hide that.
    await expect(openSocket({ host: '127.0.0.1', port, tls: { servername: 'localhost' } }, 5000)).rejects.toThrow(/self[- ]signed/i);
  });

  it('a target that does not resume still gets connections (full handshakes)', async () => {
    const port = await tlsServer({ resume: false });
    expect(await resumed({ host: '127.0.0.1', port, tls: { insecure: true } }, 3)).toBe(0);
  });
});
