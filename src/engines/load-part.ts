// One load over one share of the IDs — the whole run, or one --workers thread's share: payloads, engine, ledger and
// the durability check, measured into a LoadPart that load-run.ts turns into the result document (merging the parts
// of several workers first).

import { createDuplicateStream } from '../../generators/duplicates.ts';
import { LOAD_DEFAULTS } from '../defaults.ts';
import { StampedeError } from '../errors.ts';
import { Ledger, type LedgerCounts } from '../ledger/ledger.ts';
import type { LoadOptions } from '../options/load-options.ts';
import type { DurabilityProbe, InvariantResult, OutcomeCounts } from '../result/result-document.ts';
import { RunStats } from '../result/run-stats.ts';
import { runClosedModel } from './autocannon/closed-model.ts';
import { checkDurability } from './durability-check.ts';
import { runHttp1ClosedModel } from './http1/closed-model.ts';
import { runOpenModel } from './http1/open-model.ts';
import type { EngineResult, LoadItem } from './load-item.ts';
import { ownerOf, type Share } from './workers/partition.ts';

/** IDs the ledger is sized for up front at most (≈ 40 MB); a longer run's tables grow from there. */
const LEDGER_PRESIZE_LIMIT = 1_000_000;

export interface LoadPartInput {
  options: LoadOptions;
  /** Base URL of the target, already acquired. */
  url: string;
  /** ms since the run's time 0 (shared by every worker of a run). */
  clock: () => number;
  /** A worker's share: only the IDs it owns (every attempt of one ID goes through one worker). */
  share?: Share;
  signal?: AbortSignal;
  onPhase?: (phase: string) => void;
}

/** What one share of the run measured. */
export interface LoadPart {
  counts: LedgerCounts;
  invariants: InvariantResult[];
  probe: DurabilityProbe;
  /** The durability check's sample: the loss rate it detects, when the probe sampled. */
  detects: { lossRate: number; confidence: number } | undefined;
  stats: RunStats;
  engine: EngineResult;
  /** When sending ended. */
  loadEnded: number; // ms since time 0
  interrupted: boolean;
  /** A failure inside stampede during the load (the part is what was measured until then). */
  internal?: unknown;
}

export interface RunningPart {
  /** The ledger's load counts so far (progress). */
  progress(): OutcomeCounts;
  done: Promise<LoadPart>;
}

/** The payload stream, or a worker's share of it: the same items in the same order, those of its IDs only. */
function itemSource(options: LoadOptions, share: Share | undefined): () => LoadItem | undefined {
  // recycle: every engine copies the body before asking for the next one.
  const stream = createDuplicateStream({ seed: options.seed, dupRatio: options.dupRatio, recycle: true });
  const limit = options.stop.kind === 'requests' ? options.stop.count : Number.POSITIVE_INFINITY;
  let index = 0;
  return () => {
    for (;;) {
      // --requests N is the first N items of the stream, whichever worker sends them.
      if (index >= limit) return undefined;
      const item = stream.next();
      index++;
      if (share !== undefined && ownerOf(item.canonicalId, share.of) !== share.index) continue;
      return item.id === item.canonicalId
        ? { body: item.body, canonicalId: item.canonicalId, kind: item.attempt }
        : { body: item.body, canonicalId: item.canonicalId, kind: item.attempt, sentId: item.id };
    }
  };
}

/** How many of the first `count` stream items fall to `share` (the open model schedules exactly that many). */
function itemsOfShare(options: LoadOptions, share: Share, count: number): number {
  const stream = createDuplicateStream({ seed: options.seed, dupRatio: options.dupRatio, recycle: true });
  let mine = 0;
  for (let i = 0; i < count; i++) if (ownerOf(stream.next().canonicalId, share.of) === share.index) mine++;
  return mine;
}

/** `total` split over `of` shares: the first `total % of` get one more. */
export function shareOf(total: number, share: Share | undefined): number {
  if (share === undefined) return total;
  return Math.floor(total / share.of) + (share.index < total % share.of ? 1 : 0);
}

export function startLoadPart(input: LoadPartInput): RunningPart {
  const { options, url, clock, share } = input;
  // The ledger sized up front when the number of requests is known (--requests, or the open model's schedule): growing
  // its tables mid-run copies and rehashes them, a stall of milliseconds that would show as stampede's own lag.
  const scheduled =
    options.stop.kind === 'requests' ? options.stop.count
    : options.model.kind === 'open' ? Math.ceil((options.model.rate * (options.warmupMs + options.stop.ms)) / 1000)
    : undefined;
  const expected = scheduled !== undefined ? shareOf(Math.min(scheduled, LEDGER_PRESIZE_LIMIT), share) : undefined;
  const ledger = new Ledger({ conflictStatus: options.conflictStatus, ...(expected ? { expectedIds: expected } : {}) });
  const stats = new RunStats({ warmupMs: options.warmupMs, keepSeconds: share !== undefined });
  return { progress: () => ledger.counts().load, done: run() };

  async function run(): Promise<LoadPart> {
    const next = itemSource(options, share);
    const common = {
      url,
      // A warm-up comes on top of --duration: the measured window keeps its length. --requests N ends with the
      // stream (a worker's share of the first N items), or after N requests.
      ...(options.stop.kind === 'duration' ? { durationMs: options.warmupMs + options.stop.ms } : share === undefined ? { requests: options.stop.count } : {}),
      timeoutMs: options.timeoutMs,
      drainMs: options.timeoutMs,
      abortDrainMs: LOAD_DEFAULTS.interruptDrainMs,
      headers: Object.fromEntries(options.headers),
      next,
      sink: ledger,
      stats,
      clock,
      insecure: options.insecure,
      ...(input.signal ? { signal: input.signal } : {}),
    };

    let engine: EngineResult;
    let internal: unknown;
    try {
      const { model } = options;
      if (model.kind === 'closed') {
        const connections = shareOf(model.connections, share);
        engine = options.engine === 'autocannon' ? await runClosedModel({ ...common, connections }) : await runHttp1ClosedModel({ ...common, connections });
      } else {
        const requests = share !== undefined && options.stop.kind === 'requests' ? { requests: itemsOfShare(options, share, options.stop.count) } : {};
        engine = await runOpenModel({ ...common, ...requests, ratePerSecond: model.rate / (share?.of ?? 1), maxConnections: Math.max(1, shareOf(model.maxConnections, share)) });
      }
    } catch (error) {
      if (error instanceof StampedeError) throw error;
      internal = error;
      engine = { abandoned: 0, interrupted: true };
    }
    const loadEnded = clock();
    ledger.close(loadEnded);

    // The durability check (U3): re-submit acknowledged IDs (all, or a seeded sample), expecting the conflict status,
    // then each one answered 2xx once more to confirm it (durability-check.ts).
    let detects: { lossRate: number; confidence: number } | undefined;
    let probeRan = false;
    if (options.probe.mode !== 'off' && !engine.interrupted) {
      const plan = options.probe.mode === 'sample' ? { mode: 'sample' as const, size: Math.max(1, shareOf(options.probe.size, share)) } : options.probe;
      const concurrency = options.model.kind === 'closed' ? options.model.connections : Math.min(options.model.maxConnections, 64);
      const check = await checkDurability(ledger, {
        url,
        plan,
        seed: options.seed,
        headers: options.headers,
        insecure: options.insecure,
        timeoutMs: options.timeoutMs,
        concurrency: Math.max(1, shareOf(concurrency, share)),
        clock,
        abortDrainMs: LOAD_DEFAULTS.interruptDrainMs,
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.onPhase ? { onPhase: input.onPhase } : {}),
      });
      detects = check.detects;
      probeRan = check.ran;
    }
    return {
      counts: ledger.counts(),
      invariants: ledger.invariants({ ran: probeRan, ...(detects ? { detects } : {}) }),
      probe: ledger.probeSummary(detects),
      detects,
      stats,
      engine,
      loadEnded,
      interrupted: engine.interrupted || (input.signal?.aborted ?? false),
      ...(internal !== undefined ? { internal } : {}),
    };
  }
}
