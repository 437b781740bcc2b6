// The parts of a result document every engine fills the same way: the run's header and the per-request measurements.

import { randomUUID } from 'node:crypto';
import { RESULT_SCHEMA_VERSION, type Engine, type ResultDocument } from './result-document.ts';
import type { RunStats } from './run-stats.ts';

type Header = Pick<ResultDocument, 'schemaVersion' | 'tool' | 'engine' | 'runId' | 'seed' | 'target' | 'config' | 'startedAt' | 'endedAt' | 'durationMs' | 'partial' | 'partialReason'>;

/** Who ran what against which target, when; `partialReason` given = the run was interrupted. */
export function runHeader(input: {
  engine: Engine;
  toolVersion: string;
  seed: number;
  target: ResultDocument['target'];
  config: Record<string, unknown>;
  started: Date;
  ended: Date;
  partialReason?: string | undefined;
}): Header {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'stampede', version: input.toolVersion },
    engine: input.engine,
    runId: randomUUID(),
    seed: input.seed,
    target: input.target,
    config: input.config,
    startedAt: input.started.toISOString(),
    endedAt: input.ended.toISOString(),
    durationMs: Math.round(input.ended.getTime() - input.started.getTime()),
    partial: input.partialReason !== undefined,
    ...(input.partialReason !== undefined ? { partialReason: input.partialReason } : {}),
  };
}

/** Throughput over the sending phase (`sendingMs`), latency, statuses and error kinds, from the run's RunStats. */
export function measurements(stats: RunStats, input: { sent: number; sendingMs: number; model: 'closed' | 'open' }): Pick<ResultDocument, 'throughput' | 'latency' | 'statuses' | 'errors'> {
  return {
    throughput: {
      overall: input.sendingMs > 0 ? Math.round((input.sent / input.sendingMs) * 10_000) / 10 : 0, // req/s, 0.1 precision
      durationMs: Math.round(input.sendingMs),
      perSecond: stats.perSecond(),
    },
    latency: { ...stats.latency(), model: input.model },
    statuses: stats.statuses(),
    errors: stats.errors(),
  };
}
