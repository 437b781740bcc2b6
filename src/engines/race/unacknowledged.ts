// Which of our connections still have bytes the peer's kernel has not acknowledged (Linux: /proc/net/tcp's tx_queue).
//
// Why: a connect can complete on our side while the target's kernel has no socket for it. When the target's accept
// queue is full (a small listen backlog, a slow accept loop), Linux drops the final ACK of the handshake, or answers a
// SYN with a SYN cookie and then cannot create the socket; our bytes written meanwhile are dropped and retransmitted
// later, and a later segment (the released final byte) that meets no socket and no valid cookie is answered with a
// reset. A head acknowledged by the target's kernel proves the connection exists there: the last-byte release waits
// for that. Elsewhere (no /proc/net/tcp) nothing is known and nothing is waited for.

import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/** The sockets (by index) with unacknowledged bytes, or undefined where the kernel does not tell (not Linux). */
export async function unacknowledged(sockets: readonly Socket[]): Promise<Set<number> | undefined> {
  const wanted = new Map<string, number>();
  sockets.forEach((socket, i) => {
    if (socket.localPort !== undefined && socket.remotePort !== undefined) wanted.set(`${socket.localPort}:${socket.remotePort}`, i);
  });
  let found = false;
  const pending = new Set<number>();
  for (const table of TABLES) {
    let text: string;
    try {
      text = await readFile(table, 'latin1');
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split('\n').slice(1)) {
      // "  sl  local_address rem_address   st tx_queue:rx_queue …": addresses are HEX_IP:HEX_PORT.
      const fields = line.trim().split(/\s+/);
      if (fields.length < 5) continue;
      const local = Number.parseInt(fields[1]!.slice(fields[1]!.lastIndexOf(':') + 1), 16);
      const remote = Number.parseInt(fields[2]!.slice(fields[2]!.lastIndexOf(':') + 1), 16);
      const index = wanted.get(`${local}:${remote}`);
      if (index === undefined) continue;
      const txQueue = Number.parseInt(fields[4]!.split(':')[0]!, 16);
      if (txQueue > 0) pending.add(index);
    }
  }
  return found ? pending : undefined;
}
