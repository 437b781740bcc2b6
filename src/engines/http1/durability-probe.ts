// The durability probe (U3), on stampede's HTTP/1.1 client: after the load phase, re-submit acknowledged IDs and report each answer;
// the conflict status is expected, and a 2xx there is a lost acknowledged write.

import { InvalidOptionError } from '../../errors.ts';
import { Http1Client } from './client.ts';
import { PostRequestBytes } from './request-bytes.ts';

export interface DurabilityProbeOptions {
  /** Base URL of the target (its path is ignored: requests go to /user-profiles). */
  url: string;
  /** Canonical IDs to re-submit, each exactly once, in this order; read lazily (an iterator keeps memory flat). */
  ids: Iterable<string>;
  /** A valid body registering `id` (e.g. a non-recycle pool's withId(id).body); copied before sending. */
  bodyFor: (id: string) => Buffer;
  /** At most this many probes in flight at once (one connection each). */
  concurrency: number;
  /** A probe without its answer after this long is reported with error 'timeout'. */
  timeoutMs: number; // ms
  headers: Record<string, string>;
  /** ms since the start of the run. */
  clock: () => number;
  /** Aborting stops sending further probes; those in flight get `abortDrainMs` to answer, then error 'interrupted'. */
  signal?: AbortSignal;
  /** After an abort, how long probes in flight may still take (default: until their own timeout). */
  abortDrainMs?: number; // ms
  /** Accept any TLS certificate (https targets). */
  insecure?: boolean;
  /** One call per ID sent (the caller forwards it to its ledger's probed()). Times: ms since run start. */
  onResult: (id: string, sentAt: number, answeredAt: number, status: number | undefined, error?: string) => void;
}

export interface DurabilityProbeResult {
  /** IDs sent and reported to onResult. */
  probed: number;
  /** The abort signal fired: the IDs after the last one probed were not sent. */
  interrupted: boolean;
}

/** `concurrency` workers take the IDs in order from one shared iterator: every ID once, never more in flight. */
export async function runDurabilityProbe(options: DurabilityProbeOptions): Promise<DurabilityProbeResult> {
  const { ids, clock, signal } = options;
  if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
    throw new InvalidOptionError('concurrency', `must be a whole number ≥ 1 (got ${options.concurrency})`);
  }
  const bytes = new PostRequestBytes(options.url, options.headers);
  const client = new Http1Client({ url: options.url, connections: options.concurrency, timeoutMs: options.timeoutMs, ...(options.insecure ? { insecure: true } : {}) });
  const cursor = ids[Symbol.iterator]();
  let probed = 0;
  /** Probes on the wire (or waiting for a connection): cut as 'interrupted' when the abort drain ends. */
  const pending = new Set<(error: string) => void>();
  let cutTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (options.abortDrainMs === undefined) return;
    cutTimer = setTimeout(() => {
      client.close();
      for (const cut of [...pending]) cut('interrupted');
    }, options.abortDrainMs);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const probe = async (id: string): Promise<void> => {
    const request = bytes.build(options.bodyFor(id));
    const sentAt = clock();
    // The status is the finding: an answer cut after its status line still counts; a probe that never left (no
    // connection could be opened) is reported with the connect error, as indeterminate.
    const { status, error } = await new Promise<{ status?: number; error?: string }>((resolve) => {
      const settle = (result: { status?: number; error?: string }) => {
        pending.delete(cut);
        resolve(result);
      };
      const cut = (why: string) => settle({ error: why });
      pending.add(cut);
      client.request({
        bytes: request,
        writtenAt: 0,
        onResponse: (response) => settle({ status: response.status }),
        onError: (kind, partialStatus) => settle(partialStatus !== undefined ? { status: partialStatus } : { error: kind }),
      });
    });
    probed++;
    options.onResult(id, sentAt, clock(), status, error);
  };

  const worker = async (): Promise<void> => {
    while (!signal?.aborted) {
      const next = cursor.next();
      if (next.done) return;
      await probe(next.value);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (cutTimer !== undefined) clearTimeout(cutTimer);
    client.close();
  }
  return { probed, interrupted: signal?.aborted ?? false };
}
