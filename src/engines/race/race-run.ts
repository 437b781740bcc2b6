// One race run end to end: target, seeded bursts (or a replay file's), the synchronised release, the naive baseline,
// per-request outcomes and the ledger → the result document (engine 'race') and the replay file.

import { join } from 'node:path';
import { RACE_DEFAULTS } from '../../defaults.ts';
import { Ledger } from '../../ledger/ledger.ts';
import type { RaceOptions, SyncMode } from '../../options/race-options.ts';
import { redactHeaders } from '../../result/redact.ts';
import { type Outcome, type OutcomeCounts, type RaceBurst, type RaceSummary, type ResultDocument } from '../../result/result-document.ts';
import { measurements, runHeader } from '../../result/document-parts.ts';
import { RunStats } from '../../result/run-stats.ts';
import { judge } from '../../result/verdict.ts';
import { acquireTarget } from '../target.ts';
import { lastByteBurst, naiveBurst, type BurstOutcome, type BurstResult, type BurstTarget } from './last-byte-burst.ts';
import { planRace, readReplayFile, writeReplayFile, type PlannedBurst, type RacePlan } from './race-plan.ts';
import { naiveH2Burst, singlePacketBurst } from './single-packet-burst.ts';

export interface RaceRunHooks {
  toolVersion: string;
  /** Aborting (Ctrl-C) stops after the burst in flight: the document is partial. */
  signal?: AbortSignal;
  /** Told when the run moves on (embedded service started, baseline…). */
  onPhase?: (phase: string) => void;
  /** After each burst of the main mode. */
  onBurst?: (burst: RaceBurst, done: number, total: number) => void;
  /** Where result.json goes: the replay file is written there too (undefined: no replay file). */
  outDir?: string;
}

/** The burst function of a sync mode; `blocker` is used by last-byte only (options refuse it elsewhere). */
export type BurstRunner = (target: BurstTarget, requests: readonly Buffer[], warmup: Buffer | undefined, timeoutMs: number, blocker?: Buffer) => Promise<BurstResult>;

export const BURST_RUNNERS: Record<SyncMode, BurstRunner> = {
  'last-byte': (target, requests, warmup, timeoutMs, blocker) =>
    lastByteBurst(target, requests, {
      timeoutMs,
      settleMs: RACE_DEFAULTS.settleMs,
      ...(warmup ? { warmup } : {}),
      ...(blocker ? { blocker: { request: blocker, leadUs: RACE_DEFAULTS.blockerLeadUs } } : {}),
    }),
  naive: (target, requests, _warmup, timeoutMs) => naiveBurst(target, requests, { timeoutMs }),
  'single-packet': (target, requests, warmup, timeoutMs) => singlePacketBurst(target, requests, { timeoutMs, settleMs: RACE_DEFAULTS.settleMs, ...(warmup ? { warmup } : {}) }),
};

export async function runRace(options: RaceOptions, hooks: RaceRunHooks): Promise<ResultDocument> {
  const started = new Date();
  const replay = options.replay === undefined ? undefined : await readReplayFile(options.replay);
  // single-packet speaks HTTP/2: the embedded service then serves h2c.
  const runTarget = await acquireTarget({ ...options, http2: (replay?.plan.sync ?? options.sync) === 'single-packet' }, hooks.onPhase);
  const url = new URL(runTarget.url);
  const target: BurstTarget = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ...(url.protocol === 'https:' ? { tls: { servername: url.hostname, insecure: options.insecure } } : {}),
  };

  try {
    const plan: RacePlan =
      replay?.plan ??
      planRace({ seed: options.seed, sync: options.sync, bursts: options.bursts, width: options.width, ids: options.ids, warmup: options.warmup, host: url.host, headers: options.headers, blockerBytes: options.blockerBytes });
    const sync = plan.sync;
    const targetUrl = runTarget.describe().url;
    let replayFile: string | undefined;
    if (hooks.outDir !== undefined && replay === undefined) {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(hooks.outDir, { recursive: true });
      await writeReplayFile(join(hooks.outDir, RACE_DEFAULTS.replayFile), plan, { url: targetUrl, embedded: runTarget.embedded !== undefined });
      replayFile = RACE_DEFAULTS.replayFile;
    }

    const ledger = new Ledger({ conflictStatus: options.conflictStatus, expectedIds: plan.bursts.length });
    const stats = new RunStats();
    const totals: OutcomeCounts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
    const t0 = performance.now();
    const runner = BURST_RUNNERS[sync];
    const bursts: RaceBurst[] = [];
    let multiWriteReleases = 0;
    const blockerAnswers: Record<string, number> = {};
    hooks.onPhase?.(`sending ${plan.bursts.length} ${sync} bursts of ${plan.width}`);
    for (let b = 0; b < plan.bursts.length; b++) {
      if (hooks.signal?.aborted) break;
      const planned = plan.bursts[b]!;
      const result = await runner(target, planned.requests, plan.warmup, options.timeoutMs, plan.blocker);
      if (result.blocker) {
        const key = 'response' in result.blocker ? String(result.blocker.response.status) : result.blocker.error;
        blockerAnswers[key] = (blockerAnswers[key] ?? 0) + 1;
      }
      if (result.releaseWrites !== undefined && result.releaseWrites !== 1) multiWriteReleases++;
      const burst = record(b, planned, result, { ledger, stats, totals, t0, conflictStatus: options.conflictStatus });
      bursts.push(burst);
      hooks.onBurst?.(burst, b + 1, plan.bursts.length);
    }
    const loadEnded = performance.now() - t0;
    ledger.close(loadEnded);

    let baseline: RaceSummary['baseline'];
    if (options.baselineBursts > 0 && sync !== 'naive' && !hooks.signal?.aborted) {
      hooks.onPhase?.(`naive baseline: ${options.baselineBursts} bursts of ${plan.width} ordinary concurrent ${sync === 'single-packet' ? 'HTTP/2' : 'HTTP/1.1'} requests`);
      const naivePlan = planRace({ seed: options.seed, sync: 'naive', bursts: options.baselineBursts, width: plan.width, ids: options.ids, warmup: false, host: url.host, headers: options.headers, stream: ':baseline' });
      const naive: RaceBurst[] = [];
      for (let b = 0; b < naivePlan.bursts.length; b++) {
        if (hooks.signal?.aborted) break;
        const planned = naivePlan.bursts[b]!;
        // Against single-packet (HTTP/2) the baseline is naive HTTP/2: the same protocol, no synchronisation.
        const result = sync === 'single-packet' ? await naiveH2Burst(target, planned.requests, { timeoutMs: options.timeoutMs }) : await BURST_RUNNERS.naive(target, planned.requests, undefined, options.timeoutMs);
        naive.push(summariseBurst(b, planned, result));
      }
      const reproduced = naive.filter((x) => x.successes > 1).length;
      baseline = { sync: 'naive', bursts: naive.length, reproduced, detectionRate: rate(reproduced, naive.length), spreadUs: spreadPercentiles(naive) };
    }

    const ended = new Date();
    const interrupted = hooks.signal?.aborted ?? false;
    const reproduced = bursts.filter((x) => x.successes > 1).length;
    const race: RaceSummary = {
      sync,
      width: plan.width,
      bursts,
      reproduced,
      detectionRate: rate(reproduced, bursts.length),
      spreadUs: spreadPercentiles(bursts),
      ...(replayFile ? { replayFile } : {}),
      ...(baseline ? { baseline } : {}),
      ...(plan.blocker ? { blocker: { bytes: contentLength(plan.blocker), leadUs: RACE_DEFAULTS.blockerLeadUs, sent: bursts.length, answers: blockerAnswers } } : {}),
    };
    // U3 needs a durability probe, which a race run does not send: only the invariants the bursts decide.
    const invariants = ledger.invariants({ ran: false }).filter((i) => i.id !== 'U3');
    const { verdict, reasons } = judge({ totals, invariants, maxIndeterminateShare: RACE_DEFAULTS.maxIndeterminateShare });
    const blockerAccepted = Object.entries(blockerAnswers).filter(([status]) => /^2\d\d$/.test(status)).reduce((n, [, c]) => n + c, 0);
    if (blockerAccepted > 0) reasons.push(`--blocker: the target answered 2xx to ${blockerAccepted} blocker request(s), a JSON array that is no valid body`);
    if (blockerAnswers['413']) reasons.push(`--blocker: the target refused ${blockerAnswers['413']} blocker request(s) as too large (413) before parsing them; give a size under its body limit`);
    if (multiWriteReleases > 0) reasons.push(`single-packet: the final frames of ${multiWriteReleases} burst(s) left in more than one socket write`);
    if (reproduced > 0) reasons.unshift(`race reproduced: more than one 2xx for one ID in ${reproduced} of ${bursts.length} bursts (${sync})`);
    const counts = ledger.counts();
    return {
      ...runHeader({
        engine: 'race',
        toolVersion: hooks.toolVersion,
        seed: plan.seed,
        target: runTarget.describe(),
        config: {
          sync,
          bursts: plan.bursts.length,
          width: plan.width,
          ids: replay ? 'from replay file' : options.ids,
          warmup: plan.warmup !== undefined,
          ...(plan.blocker ? { blockerBytes: contentLength(plan.blocker) } : {}),
          timeoutMs: options.timeoutMs,
          conflictStatus: options.conflictStatus,
          baselineBursts: options.baselineBursts,
          headers: redactHeaders(options.headers),
          insecure: options.insecure,
          ...(options.replay ? { replay: options.replay } : {}),
        },
        started,
        ended,
        partialReason: interrupted ? 'interrupted (Ctrl-C): bursts stopped after the one in flight; the baseline was skipped' : undefined,
      }),
      totals: { ...totals, byKind: counts.byKind },
      ...measurements(stats, { sent: totals.sent, sendingMs: loadEnded, model: 'closed' }),
      invariants,
      race,
      verdict,
      verdictReasons: reasons,
    };
  } finally {
    await runTarget.release();
  }
}

interface Sinks {
  ledger: Ledger;
  stats: RunStats;
  totals: OutcomeCounts;
  t0: number;
  conflictStatus: number;
}

/**
 * One burst's outcomes into the ledger, the run stats and the totals. ok: the burst's single (first) 2xx or the conflict
 * status; fail: an extra 2xx or another definite answer; indeterminate: 5xx or no answer.
 */
function record(index: number, planned: PlannedBurst, result: BurstResult, sinks: Sinks): RaceBurst {
  const burst = summariseBurst(index, planned, result);
  const sentAt = result.releasedAt - sinks.t0;
  const order = result.outcomes.map((o, i) => ({ o, i })).sort((a, b) => a.o.at - b.o.at);
  let successes = 0;
  for (const { o, i } of order) {
    const sentId = planned.sentIds[i];
    const token = sinks.ledger.sent(planned.id, i === 0 ? 'first' : 'duplicate', sentAt, sentId !== planned.id ? sentId : undefined);
    sinks.stats.sent(sentAt);
    const answeredAt = o.at - sinks.t0;
    const status = 'response' in o ? o.response.status : undefined;
    const error = 'error' in o ? o.error : undefined;
    sinks.ledger.answered(token, answeredAt, status, error);
    let outcome: Outcome;
    if (status === undefined || status >= 500) outcome = 'indeterminate';
    else if (status >= 200 && status < 300) outcome = ++successes === 1 ? 'ok' : 'fail';
    else outcome = status === sinks.conflictStatus ? 'ok' : 'fail';
    sinks.totals.sent++;
    sinks.totals[outcome]++;
    sinks.stats.answered(outcome, Math.max(0, answeredAt - sentAt), answeredAt, status, error);
  }
  return burst;
}

function summariseBurst(index: number, planned: PlannedBurst, result: BurstResult): RaceBurst {
  const statuses = result.outcomes.map((o: BurstOutcome) => ('response' in o ? o.response.status : 0));
  const errors = result.outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
  return {
    index,
    id: planned.id,
    statuses,
    successes: statuses.filter((s) => s >= 200 && s < 300).length,
    spreadUs: Math.round(result.releaseSpreadNs / 100) / 10,
    ...(errors.length ? { errors } : {}),
  };
}

/** The body size of raw HTTP/1.1 request bytes (what follows the blank line). */
function contentLength(request: Buffer): number {
  return request.length - request.indexOf('\r\n\r\n') - 4;
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function spreadPercentiles(bursts: readonly RaceBurst[]): RaceSummary['spreadUs'] {
  const sorted = bursts.map((b) => b.spreadUs).sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1) ?? 0 };
}
