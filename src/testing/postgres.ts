// Test helper: the PostgreSQL cluster of a vitest run, shared by every test file that needs it. The global setup
// (postgres-global-setup.ts) gives each run a directory; the first file to ask starts the cluster there (under a
// lock), later files reuse it, and the global teardown stops it. Without the global setup (a file run on its own by
// another runner), the file starts a cluster of its own and stops it after its tests. A cluster that cannot start
// fails the test that asked for it: it is never skipped.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { CLUSTER_DIRECTORY, startCluster, stopCluster, type PostgresCluster } from './postgres-cluster.ts';

export { poolOn, type PostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory the global setup gave this vitest run for its shared cluster. */
    stampedePostgresDir: string;
  }
}

const LOCK_WAIT_MS = 90_000; // ms: another file may be running initdb

let shared: Promise<PostgresCluster> | undefined;

/**
 * The cluster of this vitest run (started by the first file that asks), or, outside the global setup, one of this
 * file's own, stopped after its tests. Call at the top level of a test file or in beforeAll.
 */
export function usePostgres(): Promise<PostgresCluster> {
  if (shared) return shared;
  let runDir = '';
  try {
    runDir = inject('stampedePostgresDir') ?? '';
  } catch {
    runDir = '';
  }
  if (runDir === '') {
    const own = mkdtempSync(join(tmpdir(), 'stampede-pg-'));
    afterAll(() => stopCluster(join(own, CLUSTER_DIRECTORY), own));
    shared = startCluster(join(own, CLUSTER_DIRECTORY));
  } else {
    shared = sharedCluster(runDir);
  }
  return shared;
}

/** Start the run's cluster in `runDir` unless another file did: a lock directory, then a ready file. */
async function sharedCluster(runDir: string): Promise<PostgresCluster> {
  const ready = join(runDir, 'ready.json');
  const lock = join(runDir, 'lock');
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as PostgresCluster;
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > until) throw new Error(`timed out after ${LOCK_WAIT_MS} ms waiting for another test file to start PostgreSQL in ${runDir}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as PostgresCluster;
    const cluster = await startCluster(join(runDir, CLUSTER_DIRECTORY));
    writeFileSync(ready, JSON.stringify(cluster));
    return cluster;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
