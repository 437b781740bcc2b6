// Where a run's result goes by default: results/<timestamp>/ (reports/index.ts writeReports writes result.json there).

import { join } from 'node:path';

/** `results/2026-11-30T21-58-03.123Z`: sortable, unique per run, valid on every file system. */
export function defaultResultDirectory(now: Date = new Date()): string {
  return join('results', now.toISOString().replace(/:/g, '-'));
}
