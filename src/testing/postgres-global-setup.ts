// vitest global setup: a directory for this run's shared PostgreSQL cluster (started lazily by the first test file
// that needs one, see postgres.ts), and the teardown that stops that cluster, if one was started, when the run ends.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CLUSTER_DIRECTORY, stopCluster } from './postgres-cluster.ts';

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-pg-run-'));
  project.provide('stampedePostgresDir', dir);
  return () => stopCluster(join(dir, CLUSTER_DIRECTORY), dir);
}
