// Test helper: a raw TCP server on loopback that records every request's exact bytes and answers each 201, closing.
import { createServer, type Server } from 'node:net';

export interface RecordingServer {
  server: Server;
  port: number;
  /** Each complete request (head and Content-Length body) as received, in arrival order. */
  received: Buffer[];
}

export async function recordingServer(): Promise<RecordingServer> {
  const received: Buffer[] = [];
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const head = all.indexOf('\r\n\r\n');
      if (head === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(all.subarray(0, head).toString('latin1'))?.[1] ?? 0);
      if (all.length < head + 4 + length) return;
      received.push(all);
      socket.end('HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, received };
}
