// One race run end to end: target, seeded bursts (or a replay file's), the synchronised release, the naive baseline,
// per-request outcomes and the ledger → the result document (engine 'race') and the replay file.

import { join } from 'node:path';
import { RACE_DEFAULTS } from '../../defaults.ts';
import { BurstSetupError } from '../../errors.ts';
import { Ledger } from '../../ledger/ledger.ts';
import type { RaceOptions, SyncMode } from '../../options/race-options.ts';
import { redactHeaders } from '../../result/redact.ts';
import { type OutcomeCounts, type RaceBurst, type RaceSummary, type ResultDocument } from '../../result/result-document.ts';
import { measurements, runHeader } from '../../result/document-parts.ts';
import { RunStats } from '../../result/run-stats.ts';
import { judge } from '../../result/verdict.ts';
import { acquireTarget } from '../target.ts';
import { rate, recordBurst, spreadPercentiles, summariseBurst, unanswered } from './burst-record.ts';
import { connectPolicy, type ConnectPolicy } from './connect.ts';
import { lastByteBurst, naiveBurst, type BurstResult, type BurstTarget } from './last-byte-burst.ts';
import { planRace, readReplayFile, writeReplayFile, type RacePlan } from './race-plan.ts';
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
  /** Told once when target trouble ends the run early: what failed and what to do, in one line. */
  onTrouble?: (line: string) => void;
}

/** What every burst of a run shares: the warm-up request, the answer timeout, how connections are opened, the blocker. */
export interface BurstSettings {
  warmup: Buffer | undefined;
  timeoutMs: number; // ms
  connect: ConnectPolicy;
  /** last-byte only (options refuse it elsewhere). */
  blocker?: Buffer | undefined;
}

/** The burst function of a sync mode. */
export type BurstRunner = (target: BurstTarget, requests: readonly Buffer[], settings: BurstSettings) => Promise<BurstResult>;

export const BURST_RUNNERS: Record<SyncMode, BurstRunner> = {
  'last-byte': (target, requests, { warmup, timeoutMs, connect, blocker }) =>
    lastByteBurst(target, requests, {
      timeoutMs,
      connect,
      settleMs: RACE_DEFAULTS.settleMs,
      ...(warmup ? { warmup } : {}),
      ...(blocker ? { blocker: { request: blocker, leadUs: RACE_DEFAULTS.blockerLeadUs } } : {}),
    }),
  naive: (target, requests, { timeoutMs, connect }) => naiveBurst(target, requests, { timeoutMs, connect }),
  'single-packet': (target, requests, { warmup, timeoutMs, connect }) => singlePacketBurst(target, requests, { timeoutMs, connect, settleMs: RACE_DEFAULTS.settleMs, ...(warmup ? { warmup } : {}) }),
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
    const settings: BurstSettings = { warmup: plan.warmup, timeoutMs: options.timeoutMs, connect: connectPolicy(options.timeoutMs, options.connectConcurrency), blocker: plan.blocker };
    const bursts: RaceBurst[] = [];
    let multiWriteReleases = 0;
    const blockerAnswers: Record<string, number> = {};
    // Target trouble (a burst that could not be set up, or got no answer at all) ends the run: one line saying what
    // failed and what to do; what the earlier bursts measured is still judged and written (verdict at best unknown).
    let trouble: string | undefined;
    hooks.onPhase?.(`sending ${plan.bursts.length} ${sync} bursts of ${plan.width}`);
    for (let b = 0; b < plan.bursts.length; b++) {
      if (hooks.signal?.aborted) break;
      const planned = plan.bursts[b]!;
      let result: BurstResult;
      try {
        result = await runner(target, planned.requests, settings);
      } catch (error) {
        if (!(error instanceof BurstSetupError)) throw error;
        trouble = `burst ${b + 1} of ${plan.bursts.length} not sent: ${error.message}`;
        break;
      }
      if (result.blocker) {
        const key = 'response' in result.blocker ? String(result.blocker.response.status) : result.blocker.error;
        blockerAnswers[key] = (blockerAnswers[key] ?? 0) + 1;
      }
      if (result.releaseWrites !== undefined && result.releaseWrites !== 1) multiWriteReleases++;
      const burst = recordBurst(b, planned, result, { ledger, stats, totals, t0, conflictStatus: options.conflictStatus });
      bursts.push(burst);
      hooks.onBurst?.(burst, b + 1, plan.bursts.length);
      if (unanswered(result)) {
        trouble = `the target answered none of the ${result.outcomes.length} requests of burst ${b + 1} of ${plan.bursts.length} (${describeErrors(result)}), so the run stopped there; check that the target is up and answers POST /user-profiles within --timeout (${options.timeoutMs} ms)`;
        break;
      }
    }
    const loadEnded = performance.now() - t0;
    ledger.close(loadEnded);
    if (trouble !== undefined) hooks.onTrouble?.(trouble);

    let baseline: RaceSummary['baseline'];
    if (options.baselineBursts > 0 && sync !== 'naive' && !hooks.signal?.aborted && trouble === undefined) {
      hooks.onPhase?.(`naive baseline: ${options.baselineBursts} bursts of ${plan.width} ordinary concurrent ${sync === 'single-packet' ? 'HTTP/2' : 'HTTP/1.1'} requests`);
      const naivePlan = planRace({ seed: options.seed, sync: 'naive', bursts: options.baselineBursts, width: plan.width, ids: options.ids, warmup: false, host: url.host, headers: options.headers, stream: ':baseline' });
      const naive: RaceBurst[] = [];
      for (let b = 0; b < naivePlan.bursts.length; b++) {
        if (hooks.signal?.aborted) break;
        const planned = naivePlan.bursts[b]!;
        // Against single-packet (HTTP/2) the baseline is naive HTTP/2: the same protocol, no synchronisation.
        const result = sync === 'single-packet' ? await naiveH2Burst(target, planned.requests, settings) : await BURST_RUNNERS.naive(target, planned.requests, settings);
        naive.push(summariseBurst(b, planned, result));
        if (unanswered(result)) break;
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
    const judged = judge({ totals, invariants, maxIndeterminateShare: RACE_DEFAULTS.maxIndeterminateShare });
    const reasons = judged.reasons;
    let verdict = judged.verdict;
    const blockerAccepted = Object.entries(blockerAnswers).filter(([status]) => /^2\d\d$/.test(status)).reduce((n, [, c]) => n + c, 0);
    if (blockerAccepted > 0) reasons.push(`--blocker: the target answered 2xx to ${blockerAccepted} blocker request(s), a JSON array that is no valid body`);
    if (blockerAnswers['413']) reasons.push(`--blocker: the target refused ${blockerAnswers['413']} blocker request(s) as too large (413) before parsing them; give a size under its body limit`);
    if (multiWriteReleases > 0) reasons.push(`single-packet: the final frames of ${multiWriteReleases} burst(s) left in more than one socket write`);
    if (reproduced > 0) reasons.unshift(`race reproduced: more than one 2xx for one ID in ${reproduced} of ${bursts.length} bursts (${sync})`);
    if (trouble !== undefined) {
      reasons.unshift(trouble);
      if (verdict === 'pass') verdict = 'unknown';
    }
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
          connectConcurrency: options.connectConcurrency,
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

/** The body size of raw HTTP/1.1 request bytes (what follows the blank line). */
function contentLength(request: Buffer): number {
  return request.length - request.indexOf('\r\n\r\n') - 4;
}

/** The error kinds of a burst's outcomes, counted: "timeout ×32", "ECONNRESET ×30, EPIPE ×2". */
function describeErrors(result: BurstResult): string {
  const counts = new Map<string, number>();
  for (const o of result.outcomes) if ('error' in o) counts.set(o.error, (counts.get(o.error) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ×${n}`).join(', ');
}
