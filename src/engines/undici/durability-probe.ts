// The durability probe (U3), on undici: after the load phase, re-submit acknowledged IDs and report each answer;
// the conflict status is expected, and a 2xx there is a lost acknowledged write.

import { InvalidOptionError } from '../../errors.ts';
import { errorKind } from './error-kind.ts';
import { createPool, requestHeaders } from './open-model.ts';

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
  const headers = requestHeaders(options.headers);
  const pool = createPool(options.url, options.concurrency, options.timeoutMs, options.insecure);
  const cursor = ids[Symbol.iterator]();
  let probed = 0;
  // After an abort and `abortDrainMs`, the pool is destroyed: the probes it fails were cut by the interruption.
  let cut = false;
  let cutTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (options.abortDrainMs === undefined) return;
    cutTimer = setTimeout(() => {
      cut = true;
      void pool.destroy().catch(() => undefined);
    }, options.abortDrainMs);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const probe = async (id: string): Promise<void> => {
    const body = Buffer.from(options.bodyFor(id));
    const sentAt = clock();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const answer = await pool.request({ path: '/user-profiles', method: 'POST', headers, body });
      status = answer.statusCode;
      // The status is the finding; a body cut short does not change it.
      await answer.body.dump().catch(() => undefined);
    } catch (cause) {
      error = cut ? 'interrupted' : errorKind(cause);
    }
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
    await pool.destroy().catch(() => undefined);
  }
  return { probed, interrupted: signal?.aborted ?? false };
}
