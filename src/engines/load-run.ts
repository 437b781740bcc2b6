// One load run end to end: target, payload stream, engine, ledger, durability probe → the result document.

import { createPayloadPool } from '../../generators/pool.ts';
import { createDuplicateStream } from '../../generators/duplicates.ts';
import { LEDGER_DEFAULTS, LOAD_DEFAULTS } from '../defaults.ts';
import { Ledger } from '../ledger/ledger.ts';
import { detectionConfidence, pickProbeSample } from '../ledger/probe.ts';
import type { LoadOptions } from '../options/load-options.ts';
import { redactHeaders } from '../result/redact.ts';
import { measurements, runHeader } from '../result/document-parts.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { RunStats } from '../result/run-stats.ts';
import { judge } from '../result/verdict.ts';
import { runClosedModel } from './autocannon/closed-model.ts';
import type { EngineResult, LoadItem } from './load-item.ts';
import { acquireTarget } from './target.ts';
import { runDurabilityProbe } from './undici/durability-probe.ts';
import { runOpenModel } from './undici/open-model.ts';

export interface LoadRunHooks {
  /** Called about every `everyMs` during the load phase with what has been measured so far. */
  onProgress?: (progress: LoadProgress) => void;
  progressEveryMs?: number; // ms
  /** Told when the run moves on (started the embedded service, load done, probing…). */
  onPhase?: (phase: string) => void;
  /** Aborting (Ctrl-C) stops sending, waits briefly for answers in flight, skips the probe: the document is partial. */
  signal?: AbortSignal;
  toolVersion: string;
}

export interface LoadProgress {
  elapsedMs: number; // ms
  /** Until the planned end (duration runs), or undefined (request-count runs). */
  remainingMs: number | undefined; // ms
  sent: number;
  ok: number;
  fail: number;
  indeterminate: number;
  /** Answers per second over the last interval. */
  rate: number; // req/s
}

export async function runLoad(options: LoadOptions, hooks: LoadRunHooks): Promise<ResultDocument> {
  const started = new Date();
  const target = await acquireTarget(options, hooks.onPhase);
  const { url } = target;

  try {
    // Payloads: the pooled path with planned duplicates (ground truth per item). recycle: every engine copies the body
    // before asking for the next one.
    const stream = createDuplicateStream({ seed: options.seed, dupRatio: options.dupRatio, recycle: true });
    const next = (): LoadItem => {
      const item = stream.next();
      return item.id === item.canonicalId
        ? { body: item.body, canonicalId: item.canonicalId, kind: item.attempt }
        : { body: item.body, canonicalId: item.canonicalId, kind: item.attempt, sentId: item.id };
    };
    const expected = options.stop.kind === 'requests' ? options.stop.count : undefined;
    const ledger = new Ledger({ conflictStatus: options.conflictStatus, ...(expected ? { expectedIds: expected } : {}) });
    const stats = new RunStats();
    const t0 = performance.now();
    const clock = () => performance.now() - t0;
    const headers = Object.fromEntries(options.headers);
    const common = {
      url,
      ...(options.stop.kind === 'duration' ? { durationMs: options.stop.ms } : { requests: options.stop.count }),
      timeoutMs: options.timeoutMs,
      drainMs: options.timeoutMs,
      abortDrainMs: LOAD_DEFAULTS.interruptDrainMs,
      headers,
      next,
      sink: ledger,
      stats,
      clock,
      insecure: options.insecure,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    };

    const progressTimer = hooks.onProgress ? startProgress(ledger, clock, options, hooks) : undefined;
    let engine: EngineResult;
    try {
      engine =
        options.model.kind === 'closed'
          ? await runClosedModel({ ...common, connections: options.model.connections })
          : await runOpenModel({ ...common, ratePerSecond: options.model.rate, maxConnections: options.model.maxConnections });
    } finally {
      if (progressTimer) clearInterval(progressTimer);
    }
    const loadEnded = clock();
    ledger.close(loadEnded);

    // The durability probe: re-submit acknowledged IDs (all, or a seeded sample), expecting the conflict status.
    let detects: { lossRate: number; confidence: number } | undefined;
    let probeRan = false;
    if (options.probe.mode !== 'off' && !engine.interrupted) {
      // All acknowledged IDs are streamed from the ledger (no copy of a million strings); a sample is drawn in one pass.
      const acknowledged = ledger.acknowledgedCount;
      const sampleSize = options.probe.mode === 'sample' ? options.probe.size : Number.POSITIVE_INFINITY;
      const sampled = sampleSize < acknowledged;
      const ids = sampled ? pickProbeSample(ledger.acknowledgedIds(), sampleSize, options.seed) : ledger.acknowledgedIds();
      const count = sampled ? sampleSize : acknowledged;
      if (sampled) {
        const lossRate = LEDGER_DEFAULTS.probe.lossRate;
        detects = { lossRate, confidence: detectionConfidence(count, lossRate) };
      }
      hooks.onPhase?.(`durability probe: re-submitting ${count.toLocaleString('en-US')} of ${acknowledged.toLocaleString('en-US')} acknowledged IDs`);
      // Bodies for given IDs come from a non-recycling pool: the probe may hold several at once.
      const pool = createPayloadPool({ seed: options.seed });
      const probe = await runDurabilityProbe({
        url,
        ids,
        bodyFor: (id) => pool.withId(id).body,
        concurrency: options.model.kind === 'closed' ? options.model.connections : Math.min(options.model.maxConnections, 64),
        timeoutMs: options.timeoutMs,
        headers,
        clock,
        insecure: options.insecure,
        abortDrainMs: LOAD_DEFAULTS.interruptDrainMs,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onResult: (id, sentAt, answeredAt, status, error) => void ledger.probed(id, sentAt, answeredAt, status, error),
      });
      probeRan = !probe.interrupted;
    }
    const ended = new Date();
    const interrupted = engine.interrupted || (hooks.signal?.aborted ?? false);

    const counts = ledger.counts();
    const invariants = ledger.invariants({ ran: probeRan, ...(detects ? { detects } : {}) });
    const { verdict, reasons } = judge({ totals: counts.load, invariants, maxIndeterminateShare: options.maxIndeterminateShare });
    const document: ResultDocument = {
      ...runHeader({
        engine: options.model.kind === 'closed' ? 'autocannon' : 'undici',
        toolVersion: hooks.toolVersion,
        seed: options.seed,
        target: target.describe(),
        config: {
          model: options.model,
          stop: options.stop,
          dupRatio: options.dupRatio,
          timeoutMs: options.timeoutMs,
          probe: options.probe,
          conflictStatus: options.conflictStatus,
          maxIndeterminateShare: options.maxIndeterminateShare,
          headers: redactHeaders(options.headers),
          insecure: options.insecure,
        },
        started,
        ended,
        partialReason: interrupted ? 'interrupted (Ctrl-C): sending stopped, answers in flight were awaited briefly, the durability probe was skipped' : undefined,
      }),
      totals: { ...counts.total, byKind: counts.byKind },
      ...measurements(stats, { sent: counts.load.sent, sendingMs: loadEnded, model: options.model.kind }),
      invariants,
      probe: ledger.probeSummary(detects),
      verdict,
      verdictReasons: reasons,
    };
    return document;
  } finally {
    await target.release();
  }
}

function startProgress(ledger: Ledger, clock: () => number, options: LoadOptions, hooks: LoadRunHooks): NodeJS.Timeout {
  let lastAnswered = 0;
  let lastAt = 0;
  const everyMs = hooks.progressEveryMs ?? LOAD_DEFAULTS.progressPlainMs;
  const timer = setInterval(() => {
    const now = clock();
    const { load } = ledger.counts();
    const answered = load.ok + load.fail + load.indeterminate;
    const rate = now > lastAt ? ((answered - lastAnswered) / (now - lastAt)) * 1000 : 0;
    lastAnswered = answered;
    lastAt = now;
    hooks.onProgress?.({
      elapsedMs: now,
      remainingMs: options.stop.kind === 'duration' ? Math.max(0, options.stop.ms - now) : undefined,
      sent: load.sent,
      ok: load.ok,
      fail: load.fail,
      indeterminate: load.indeterminate,
      rate,
    });
  }, everyMs);
  timer.unref();
  return timer;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
