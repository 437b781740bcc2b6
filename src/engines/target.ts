// The target of a run: the embedded reference service (in a worker thread), or a given URL checked for reachability.

import { redactUrl } from '../result/redact.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { startServiceInWorker, type WorkerService } from '../service/worker-service.ts';
import { checkReachable } from './reachability.ts';

export interface RunTarget {
  /** Base URL requests go to, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The embedded service, when stampede started it. */
  embedded: WorkerService | undefined;
  /** The result document's `target`: the URL (redacted unless embedded), and the embedded service's faults. */
  describe(): ResultDocument['target'];
  /** Stop the embedded service, if any. */
  release(): Promise<void>;
}

export interface TargetOptions {
  /** Undefined: start the embedded reference service. */
  target: URL | undefined;
  faults: readonly string[];
  seed: number;
  insecure: boolean;
  timeoutMs: number; // ms
  /** The embedded service speaks HTTP/2 (h2c). */
  http2?: boolean;
}

/** Start the embedded service, or check that the target answers (InvalidOptionError('--target') when it does not). */
export async function acquireTarget(options: TargetOptions, onPhase?: (phase: string) => void): Promise<RunTarget> {
  if (options.target === undefined) {
    const embedded = await startServiceInWorker({ faults: options.faults, seed: options.seed, ...(options.http2 ? { http2: true } : {}) });
    onPhase?.(`embedded reference service on ${embedded.url}${options.faults.length ? ` with faults ${options.faults.join(', ')}` : ''}`);
    return {
      url: embedded.url,
      embedded,
      describe: () => ({ url: embedded.url, embedded: true, ...(options.faults.length ? { faults: [...options.faults] } : {}) }),
      release: async () => void (await embedded.close()),
    };
  }
  const url = options.target.origin;
  await checkReachable(options.target, { insecure: options.insecure, timeoutMs: Math.min(options.timeoutMs, 5_000) });
  return { url, embedded: undefined, describe: () => ({ url: redactUrl(url), embedded: false }), release: async () => {} };
}
