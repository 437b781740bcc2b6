// The last-byte release loop: each connection's final bytes written straight through its native stream handle (no
// Writable-stream machinery), after priming the kernel's loopback send path, so the writes follow each other closely.
//
// Measured on the 2-core VM (32 connections to a server in another process, median of 30 rounds, µs):
//   socket.write per connection ........................ ~24 per write (JS stream state + the write syscall)
//   cork() all, write, uncork() all .................... ~24 (cork only batches writes to ONE socket: no gain)
//   _handle.writeBuffer / writeLatin1String, reused req  ~10-16 per write: the syscall alone; this module
//   first write of the loop: ~60-80 cold, ~35 after a few primer writes on a loopback pair of our own (~15 when the
//   server is not woken: the rest is the wake-up of the idle server, paid inside the sender's write).
// Each loopback write runs the receiver's TCP path inline (~9.5 µs here), so 32 writes cannot take less than ~300 µs on
// one thread whatever the JS does: see bench/README.md for the numbers and the options tried.

import { createServer, connect, type Server, type Socket } from 'node:net';

/** The native write side of a libuv stream handle (TCPWrap), as Node 20 has it. */
interface NativeHandle {
  writeBuffer(req: object, data: Buffer): number;
}
type WriteWrapClass = new () => { handle?: unknown; oncomplete?: (status: number) => void; async?: boolean };

/** node's WriteWrap (the request object a native write needs), or undefined where this Node does not expose it. */
const WriteWrap: WriteWrapClass | undefined = (() => {
  try {
    const binding = (process as unknown as { binding(name: string): { WriteWrap?: WriteWrapClass } }).binding('stream_wrap');
    return typeof binding.WriteWrap === 'function' ? binding.WriteWrap : undefined;
  } catch {
    return undefined;
  }
})();

/** One connection's final bytes, ready to go: its native handle and a request object made in advance, or its socket. */
export interface PreparedRelease {
  socket: Socket;
  data: Buffer;
  handle: NativeHandle | undefined;
  req: object | undefined;
  /** The native write's error code (0 = written), for the caller to turn into an outcome. */
  status: number;
}

/**
 * Prepare the release of `data` on `socket`. The native path is used for plain TCP sockets whose earlier writes are all
 * flushed (nothing queued in the stream); TLS sockets and anything unusual go through socket.write.
 */
export function prepareRelease(socket: Socket, data: Buffer): PreparedRelease {
  // _handle is null once the socket is closed (e.g. the server gave up on the partial request): socket.write reports it.
  const handle = (socket as unknown as { _handle?: (NativeHandle & { constructor: { name: string } }) | null })._handle ?? undefined;
  const native = WriteWrap !== undefined && handle !== undefined && handle.constructor.name === 'TCP' && typeof handle.writeBuffer === 'function' && socket.writableLength === 0;
  if (!native) return { socket, data, handle: undefined, req: undefined, status: 0 };
  const prepared: PreparedRelease = { socket, data, handle, req: undefined, status: 0 };
  const req = new WriteWrap();
  req.handle = handle;
  req.async = false;
  // Called only when the kernel could not take the bytes at once (never for a few bytes on a flushed socket).
  req.oncomplete = (status: number) => {
    if (status < 0) socket.destroy(new Error(`release write failed (${status})`));
  };
  prepared.req = req;
  return prepared;
}

/**
 * Write every prepared release in one tight loop: no allocation, no await. Returns the ns from the start of the first
 * write to the start of the last. `writtenAt`, when given, receives performance.now() (ms) at the start of each write:
 * each request's own send time. A failed native write destroys its socket (its answer becomes an error).
 */
export function releaseAll(releases: readonly PreparedRelease[], writtenAt?: Float64Array): number {
  const count = releases.length;
  const start = process.hrtime.bigint();
  let last = start;
  for (let i = 0; i < count; i++) {
    if (i === count - 1) last = process.hrtime.bigint();
    if (writtenAt !== undefined) writtenAt[i] = performance.now();
    const r = releases[i]!;
    if (r.handle !== undefined) r.status = r.handle.writeBuffer(r.req!, r.data);
    else r.socket.write(r.data);
  }
  for (const r of releases) if (r.status < 0) r.socket.destroy(new Error(`release write failed (${r.status})`));
  return Number(last - start);
}

/**
 * A loopback connection to a listener of our own, to warm the kernel's TCP send path just before a release: the first
 * write after an idle wait costs ~2× the next ones, and that gap is the one that decides whether the server's first
 * read sees more than one request. The primer bytes go to our own sink, never to the target.
 */
export class SendPathPrimer {
  private constructor(
    private readonly server: Server,
    private readonly client: Socket,
    private readonly release: PreparedRelease,
  ) {}

  static async open(): Promise<SendPathPrimer> {
    const server = createServer((socket) => {
      socket.on('data', () => {});
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const client = await new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
      socket.once('error', reject);
    });
    return new SendPathPrimer(server, client, prepareRelease(client, Buffer.from([0])));
  }

  /** A few one-byte writes to our own sink (µs of work), immediately before the release loop. */
  prime(writes = 4): void {
    for (let i = 0; i < writes; i++) {
      if (this.release.handle !== undefined) this.release.handle.writeBuffer(this.release.req!, this.release.data);
      else this.client.write(this.release.data);
    }
  }

  close(): void {
    this.client.destroy();
    this.server.close();
  }
}
