// HTTP/1.1 last-byte synchronisation: every request but its final byte goes out first, then all final bytes at once.

import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Http1ResponseReader, type RawResponse } from './http1-wire.ts';

export interface BurstOptions {
  /** How long to wait after the partial writes so the server has read them before the release. */
  settleMs?: number; // ms
  /** Give up on answers after this long; unanswered requests are reported as errors. */
  timeoutMs?: number; // ms
}

/** The answer to one request of a burst: a response, or why there is none (reset, timeout). */
export type BurstOutcome = { response: RawResponse } | { error: string };

export interface BurstResult {
  outcomes: BurstOutcome[];
  /** Time from the first to the last final-byte write. */
  releaseSpreadNs: number; // ns
}

const DEFAULT_SETTLE_MS = 20; // ms
const DEFAULT_TIMEOUT_MS = 10_000; // ms

/**
 * Send each raw request (complete HTTP/1.1 bytes, `Connection: close`) on its own connection, holding back the last
 * byte; release every last byte in one tight loop over pre-built buffers, and collect the answers.
 */
export async function lastByteBurst(target: { host: string; port: number }, requests: readonly Buffer[], options: BurstOptions = {}): Promise<BurstResult> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sockets = await Promise.all(requests.map(() => open(target, timeoutMs)));
  const answers = sockets.map((socket) => collect(socket, timeoutMs));
  try {
    const heads = requests.map((bytes) => bytes.subarray(0, bytes.length - 1));
    const tails = requests.map((bytes) => bytes.subarray(bytes.length - 1));
    await Promise.all(sockets.map((socket, i) => new Promise<void>((resolve) => socket.write(heads[i]!, () => resolve()))));
    await sleep(settleMs);

    // The release: no allocation, no await, nothing but one write per socket.
    const start = process.hrtime.bigint();
    for (let i = 0; i < sockets.length; i++) sockets[i]!.write(tails[i]!);
    const releaseSpreadNs = Number(process.hrtime.bigint() - start);

    return { outcomes: await Promise.all(answers), releaseSpreadNs };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

function open(target: { host: string; port: number }, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, noDelay: true }); // no Nagle: the last byte must leave now
    const timer = setTimeout(() => socket.destroy(new Error(`connect timeout after ${timeoutMs}ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Read one response from a connection the server closes after answering. */
function collect(socket: Socket, timeoutMs: number): Promise<BurstOutcome> {
  return new Promise((resolve) => {
    const reader = new Http1ResponseReader();
    let settled = false;
    const settle = (outcome: BurstOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ error: `no answer within ${timeoutMs}ms` }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      try {
        const [response] = reader.push(chunk);
        if (response) settle({ response });
      } catch (error) {
        settle({ error: (error as Error).message });
      }
    });
    socket.on('end', () => {
      const response = reader.end();
      settle(response ? { response } : { error: 'connection closed without an answer' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    socket.on('close', () => settle({ error: 'connection closed without an answer' }));
  });
}
