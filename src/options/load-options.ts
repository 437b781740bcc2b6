// Validation of `stampede load` options (CLI or code), in one place, into resolved values; messages name the option.

import { randomInt } from 'node:crypto';
import { LOAD_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseMaxLag, parseWarmup, type MaxLag } from './lag-options.ts';
import { parseHeader, resolveTarget } from './target-options.ts';
import { parseDuration, parseFraction, parseInteger, parseStatus } from './units.ts';

export interface LoadOptionsInput {
  target?: string;
  connections?: string | number;
  rate?: string | number;
  maxConnections?: string | number;
  duration?: string | number;
  requests?: string | number;
  dupRatio?: string | number;
  seed?: string | number;
  header?: readonly string[];
  insecure?: boolean;
  timeout?: string | number;
  probe?: string;
  out?: string;
  conflictStatus?: string | number;
  maxIndeterminate?: string | number;
  /** Faults of the embedded reference service (only without --target). */
  fault?: readonly string[];
  /** Closed model: http1 (stampede's own HTTP/1.1 client, the default) or autocannon. */
  engine?: string;
  /** A duration, 0 or off (default: 2 s for open-model duration runs, else none). */
  warmup?: string | number;
  /** `p99=5ms` or off. */
  maxLag?: string;
  /** Worker threads, each with its own share of the IDs and of the connections (default 1). */
  workers?: string | number;
}

export const LOAD_ENGINES = ['http1', 'autocannon'] as const;
export type LoadEngineName = (typeof LOAD_ENGINES)[number];

export type ProbePlan = { mode: 'off' } | { mode: 'all' } | { mode: 'sample'; size: number };

export interface LoadOptions {
  /** Undefined: start the embedded reference service. */
  target: URL | undefined;
  model: { kind: 'closed'; connections: number } | { kind: 'open'; rate: number; maxConnections: number };
  /** What sends the closed model's load: stampede's own HTTP/1.1 client, or autocannon (for comparison). */
  engine: LoadEngineName;
  /** Worker threads sharing the load: each owns the IDs that hash to it, with its share of the connections or rate. */
  workers: number;
  stop: { kind: 'duration'; ms: number } | { kind: 'requests'; count: number };
  /** Sent first (on top of a --duration), judged by the ledger, kept out of throughput and latency. */
  warmupMs: number; // ms
  maxLag: MaxLag;
  dupRatio: number;
  seed: number;
  /** Extra request headers, in order; values are secrets as far as reports are concerned. */
  headers: Array<[string, string]>;
  insecure: boolean;
  timeoutMs: number; // ms
  probe: ProbePlan;
  /** Output directory; undefined = results/<timestamp>/. */
  out: string | undefined;
  conflictStatus: number;
  maxIndeterminateShare: number; // 0..1
  faults: readonly string[];
}

export function resolveLoadOptions(input: LoadOptionsInput): LoadOptions {
  const { target, faults } = resolveTarget(input);

  if (input.connections !== undefined && input.rate !== undefined) {
    throw new InvalidOptionError('--rate', 'cannot be combined with --connections: --connections N is the closed model (N busy connections), --rate R the open model (R requests started per second); choose one');
  }
  const model: LoadOptions['model'] =
    input.rate !== undefined
      ? {
          kind: 'open',
          rate: parseRate(input.rate),
          maxConnections: parseInteger('--max-connections', input.maxConnections ?? LOAD_DEFAULTS.maxConnections, { min: 1, max: 10_000 }),
        }
      : { kind: 'closed', connections: parseInteger('--connections', input.connections ?? LOAD_DEFAULTS.connections, { min: 1, max: 10_000 }) };
  const engine = parseEngine(input.engine ?? LOAD_DEFAULTS.engine);
  if (engine === 'autocannon' && model.kind === 'open') {
    throw new InvalidOptionError('--engine', 'autocannon runs the closed model only (--connections); the open model (--rate) runs on http1');
  }
  if (model.kind === 'closed' && input.maxConnections !== undefined) {
    throw new InvalidOptionError('--max-connections', 'caps the open model (--rate); with --connections the count is fixed already');
  }

  if (input.duration !== undefined && input.requests !== undefined) {
    throw new InvalidOptionError('--requests', 'cannot be combined with --duration; choose how the run ends: after a time or after a number of requests');
  }
  const stop: LoadOptions['stop'] =
    input.requests !== undefined
      ? { kind: 'requests', count: parseInteger('--requests', input.requests, { min: 1, max: 1_000_000_000 }) }
      : { kind: 'duration', ms: parseDuration('--duration', input.duration ?? LOAD_DEFAULTS.durationMs, { min: 100, max: 7 * 86_400_000 }) };
  if (model.kind === 'closed' && stop.kind === 'requests' && stop.count < model.connections) {
    throw new InvalidOptionError('--requests', `must be at least --connections (${model.connections}): every connection sends at least one request`);
  }

  const workers = parseInteger('--workers', input.workers ?? LOAD_DEFAULTS.workers, { min: 1, max: 64 });
  if (workers > 1 && engine === 'autocannon') {
    throw new InvalidOptionError('--workers', 'splits the load of the http1 engine; autocannon runs in one thread (drop --engine autocannon or --workers)');
  }
  if (model.kind === 'closed' && workers > model.connections) {
    throw new InvalidOptionError('--workers', `must be at most --connections (${model.connections}): each worker keeps at least one connection busy`);
  }
  const warmupMs =
    input.warmup !== undefined ? parseWarmup('--warmup', input.warmup) : model.kind === 'open' && stop.kind === 'duration' ? LOAD_DEFAULTS.openWarmupMs : 0;
  const dupRatio = parseFraction('--dup-ratio', input.dupRatio ?? LOAD_DEFAULTS.dupRatio);
  if (dupRatio >= 1) throw new InvalidOptionError('--dup-ratio', 'must be below 1: every duplicate needs a first attempt; e.g. --dup-ratio 0.05');

  const maxIndeterminateShare = parseFraction('--max-indeterminate', input.maxIndeterminate ?? LOAD_DEFAULTS.maxIndeterminateShare);
  return {
    target,
    model,
    engine,
    workers,
    stop,
    warmupMs,
    maxLag: parseMaxLag('--max-lag', input.maxLag ?? LOAD_DEFAULTS.maxLag),
    dupRatio,
    // A fresh seed per run unless given: a persistent target remembers IDs, so replaying a seed against it conflicts.
    seed: input.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
    headers: (input.header ?? []).map(parseHeader),
    insecure: input.insecure ?? false,
    timeoutMs: parseDuration('--timeout', input.timeout ?? LOAD_DEFAULTS.timeoutMs, { min: 1, max: 600_000 }),
    probe: parseProbe(input.probe ?? LOAD_DEFAULTS.probe),
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
    conflictStatus: parseStatus('--conflict-status', input.conflictStatus ?? SERVICE_DEFAULTS.conflictStatus, { min: 400, max: 499 }),
    maxIndeterminateShare,
    faults,
  };
}

function parseRate(value: string | number): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1_000_000) {
    throw new InvalidOptionError('--rate', `${JSON.stringify(String(value))} is not a rate; write requests per second, above 0 and at most 1000000 (e.g. --rate 500)`);
  }
  return rate;
}

function parseEngine(value: string): LoadEngineName {
  if ((LOAD_ENGINES as readonly string[]).includes(value)) return value as LoadEngineName;
  throw new InvalidOptionError('--engine', `${JSON.stringify(value)} is not an engine; write ${LOAD_ENGINES.join(' or ')} (default ${LOAD_DEFAULTS.engine})`);
}

export function parseProbe(text: string): ProbePlan {
  if (text === 'all' || text === 'off') return { mode: text };
  const sample = /^sample:(\d+)$/.exec(text);
  if (sample) return { mode: 'sample', size: parseInteger('--probe', sample[1]!, { min: 1, max: 100_000_000 }) };
  throw new InvalidOptionError('--probe', `${JSON.stringify(text)} is not a probe plan; write all, sample:N (e.g. sample:5000) or off`);
}
