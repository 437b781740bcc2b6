// Starting a worker thread on one of our modules, compiled (dist/) or from TypeScript source (through tsx).

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { COMPILED } from './package-root.ts';

/**
 * A worker running `moduleUrl` (a .ts module URL, as `new URL('./x-body.ts', import.meta.url)` gives). Compiled, the
 * worker loads the .js beside it directly; from source, workers do not inherit the main thread's tsx loader on Node 20,
 * so a small bootstrap registers tsx first and then imports the module (its URL passed as the worker's last argv).
 */
export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (COMPILED) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.js')), options);
  return new Worker(new URL('./tsx-worker.mjs', import.meta.url), { ...options, argv: [...(options.argv ?? []), moduleUrl.href] });
}
