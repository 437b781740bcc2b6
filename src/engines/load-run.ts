// One load run end to end: target, the load (in this thread, or split over --workers threads) with its ledger and
// durability check → the result document.

import { LOAD_DEFAULTS } from '../defaults.ts';
import { InternalError, oneLine } from '../errors.ts';
import type { LoadOptions } from '../options/load-options.ts';
import { measurements, runHeader } from '../result/document-parts.ts';
import { judgeGeneratorLag } from '../result/generator-bound.ts';
import { redactHeaders } from '../result/redact.ts';
import { combineVerdicts, type OutcomeCounts, type ResultDocument } from '../result/result-document.ts';
import { judge } from '../result/verdict.ts';
import { startLoadPart, type LoadPart } from './load-part.ts';
import { acquireTarget, type RunTarget } from './target.ts';
import { startLoadWorkers, type WorkersRun } from './workers/load-workers.ts';

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
    const t0 = performance.now();
    const clock = () => performance.now() - t0;
    const running =
      options.workers > 1
        ? startLoadWorkers(options, {
            url,
            workers: options.workers,
            startedAt: performance.timeOrigin + t0,
            progressEveryMs: Math.min(hooks.progressEveryMs ?? LOAD_DEFAULTS.progressPlainMs, LOAD_DEFAULTS.progressTtyMs),
            ...(hooks.signal ? { signal: hooks.signal } : {}),
            ...(hooks.onPhase ? { onPhase: hooks.onPhase } : {}),
          })
        : startLoadPart({ options, url, clock, ...(hooks.signal ? { signal: hooks.signal } : {}), ...(hooks.onPhase ? { onPhase: hooks.onPhase } : {}) });
    const progressTimer = hooks.onProgress ? startProgress(running.progress, clock, options, hooks) : undefined;
    let part: LoadPart;
    try {
      part = await running.done;
    } finally {
      if (progressTimer) clearInterval(progressTimer);
    }
    const failures = 'failures' in running ? (running as WorkersRun).failures : [];
    const ended = new Date();
    return loadDocument(options, part, { target, started, ended, toolVersion: hooks.toolVersion, failures, interrupted: part.interrupted || (hooks.signal?.aborted ?? false) });
  } finally {
    await target.release();
  }
}

/** The result document of a load run from what its part (or its workers' merged parts) measured. */
export function loadDocument(
  options: LoadOptions,
  part: LoadPart,
  run: { target: RunTarget; started: Date; ended: Date; toolVersion: string; failures: string[]; interrupted: boolean },
): ResultDocument {
  const { counts, invariants, stats, engine, loadEnded, internal } = part;
  const unsentCount = Object.values(engine.unsentByError ?? {}).reduce((a, b) => a + b, 0);
  const unsent = unsentCount > 0 ? { count: unsentCount, byError: engine.unsentByError! } : undefined;
  const judged = judge({ totals: counts.load, invariants, maxIndeterminateShare: options.maxIndeterminateShare, ...(unsent ? { unsent } : {}) });
  const reasons = [...run.failures, ...judged.reasons];
  // A worker that died leaves its IDs unjudged: the verdict cannot be pass.
  const verdict = run.failures.length > 0 || internal !== undefined ? combineVerdicts([judged.verdict, 'unknown']) : judged.verdict;
  // Throughput and latency over the measured window only: the warm-up's requests are in the ledger, not here.
  const measured = measurements(stats, { sent: counts.load.sent - stats.warmup.sent, sendingMs: Math.max(0, loadEnded - options.warmupMs), model: options.model.kind });
  const bound = judgeGeneratorLag(measured.latency.lag, options.maxLag, options.model.kind);
  if (bound) {
    measured.latency.generatorBound = bound;
    reasons.push(bound.reason);
  }
  const partialReason =
    internal !== undefined ? `internal error of stampede (${oneLine(internal)}): the load stopped there, the durability probe was skipped`
    : run.interrupted ? 'interrupted (Ctrl-C): sending stopped, answers in flight were awaited briefly, the durability probe was skipped'
    : run.failures.length > 0 ? run.failures.join('; ')
    : undefined;
  const document: ResultDocument = {
    ...runHeader({
      engine: options.engine,
      toolVersion: run.toolVersion,
      seed: options.seed,
      target: run.target.describe(),
      config: {
        model: options.model,
        engine: options.engine,
        workers: options.workers,
        stop: options.stop,
        warmupMs: options.warmupMs,
        maxLag: options.maxLag.off ? 'off' : options.maxLag.text,
        dupRatio: options.dupRatio,
        timeoutMs: options.timeoutMs,
        probe: options.probe,
        conflictStatus: options.conflictStatus,
        maxIndeterminateShare: options.maxIndeterminateShare,
        headers: redactHeaders(options.headers),
        insecure: options.insecure,
      },
      started: run.started,
      ended: run.ended,
      partialReason,
    }),
    totals: { ...counts.total, byKind: counts.byKind },
    ...measured,
    ...(options.warmupMs > 0 ? { warmup: { durationMs: options.warmupMs, totals: { ...stats.warmup } } } : {}),
    ...(unsent ? { unsent } : {}),
    invariants,
    probe: part.probe,
    verdict,
    verdictReasons: internal !== undefined ? [`internal error of stampede: ${oneLine(internal)}`, ...reasons] : reasons,
  };
  if (internal !== undefined) throw new InternalError(oneLine(internal), { cause: internal, partial: document });
  return document;
}

function startProgress(counts: () => OutcomeCounts, clock: () => number, options: LoadOptions, hooks: LoadRunHooks): NodeJS.Timeout {
  let lastAnswered = 0;
  let lastAt = 0;
  const everyMs = hooks.progressEveryMs ?? LOAD_DEFAULTS.progressPlainMs;
  const timer = setInterval(() => {
    const now = clock();
    const load = counts();
    const answered = load.ok + load.fail + load.indeterminate;
    const rate = now > lastAt ? ((answered - lastAnswered) / (now - lastAt)) * 1000 : 0;
    lastAnswered = answered;
    lastAt = now;
    hooks.onProgress?.({
      elapsedMs: now,
      remainingMs: options.stop.kind === 'duration' ? Math.max(0, options.warmupMs + options.stop.ms - now) : undefined,
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
