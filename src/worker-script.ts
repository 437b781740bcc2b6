// Starting a worker thread on one of our modules, compiled (dist/) or from TypeScript source (through tsx).

import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { COMPILED, PACKAGE_ROOT } from './package-root.ts';

/**
 * Running from source, whether dist/ is a current build of it (bin/compiled-is-current.js, the rule bin/stampede.js
 * follows): workers then load their compiled module. From source, each worker registers tsx and compiles its whole
 * module graph again, ~0.5 s of CPU per worker (an embedded reference service, a --workers share, a merge reader).
 */
const DIST_IS_CURRENT: boolean = COMPILED ? false : await distIsCurrent();

async function distIsCurrent(): Promise<boolean> {
  const rule = join(PACKAGE_ROOT, 'bin', 'compiled-is-current.js');
  if (!existsSync(rule)) return false;
  const { compiledIsCurrent } = (await import(pathToFileURL(rule).href)) as { compiledIsCurrent: (root: string) => boolean };
  return compiledIsCurrent(pathToFileURL(`${PACKAGE_ROOT}/`).href);
}

/** The compiled twin of a source module (src/x.ts → dist/src/x.js), when dist/ is current and has it. */
function compiledTwin(moduleUrl: URL): URL | undefined {
  if (!DIST_IS_CURRENT || moduleUrl.protocol !== 'file:') return undefined;
  const path = relative(PACKAGE_ROOT, fileURLToPath(moduleUrl));
  // Test helpers (src/testing/) are never compiled: they stay on tsx.
  const twin = join(PACKAGE_ROOT, 'dist', path.replace(/\.ts$/, '.js'));
  return path.startsWith('..') || !existsSync(twin) ? undefined : pathToFileURL(twin);
}

/**
 * A worker running `moduleUrl` (a .ts module URL, as `new URL('./x-body.ts', import.meta.url)` gives). Compiled, the
 * worker loads the .js beside it directly; from source, the compiled twin in a current dist/ when there is one, else a
 * small bootstrap registers tsx first (workers do not inherit the main thread's tsx loader on Node 20) and then imports
 * the module (its URL passed as the worker's last argv).
 */
export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (COMPILED) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.js')), options);
  const twin = compiledTwin(moduleUrl);
  if (twin !== undefined) return new Worker(twin, options);
  return new Worker(new URL('./tsx-worker.mjs', import.meta.url), { ...options, argv: [...(options.argv ?? []), moduleUrl.href] });
}
