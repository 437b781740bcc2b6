// The last-byte release loop over real loopback sockets: bytes arrive exactly, plain TCP goes through the native handle,
// TLS and sockets with queued writes fall back to socket.write, and the primer writes only to its own sink.
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRelease, releaseAll, SendPathPrimer } from './native-release.ts';

describe('releaseAll', () => {
  const received = new Map<number, Buffer>();
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => received.set(socket.remotePort!, Buffer.concat([received.get(socket.remotePort!) ?? Buffer.alloc(0), chunk])));
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const open = () => new Promise<Socket>((resolve) => { const s = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s)); });
  const arrived = async (sockets: Socket[], want: string[]) => {
    for (let i = 0; i < 100 && !sockets.every((s, k) => received.get(s.localPort!)?.toString() === want[k]); i++) await new Promise((r) => setTimeout(r, 10));
    return sockets.map((s) => received.get(s.localPort!)?.toString());
  };

  it('writes each prepared final byte after its head, through the native handle of plain TCP sockets', async () => {
    const sockets = await Promise.all([open(), open(), open()]);
    sockets.forEach((s, i) => s.write(`head${i}`));
    await arrived(sockets, ['head0', 'head1', 'head2']);
    const releases = sockets.map((s, i) => prepareRelease(s, Buffer.from(`!${i}`)));
    expect(releases.every((r) => r.handle !== undefined)).toBe(true);
    const spread = releaseAll(releases);
    expect(spread).toBeGreaterThanOrEqual(0);
    expect(releases.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(await arrived(sockets, ['head0!0', 'head1!1', 'head2!2'])).toEqual(['head0!0', 'head1!1', 'head2!2']);
    sockets.forEach((s) => s.destroy());
  });

  it('a socket with writes still queued in its stream falls back to socket.write, keeping the byte order', async () => {
    const socket = await open();
    socket.cork();
    socket.write('queued');
    const release = prepareRelease(socket, Buffer.from('!'));
    expect(release.handle).toBeUndefined();
    socket.uncork();
    releaseAll([release]);
    expect(await arrived([socket], ['queued!'])).toEqual(['queued!']);
    socket.destroy();
  });

  it('the send-path primer writes to its own sink, never to the target', async () => {
    const socket = await open();
    const primer = await SendPathPrimer.open();
    primer.prime(8);
    primer.close();
    releaseAll([prepareRelease(socket, Buffer.from('only'))]);
    expect(await arrived([socket], ['only'])).toEqual(['only']);
    socket.destroy();
  });
});
