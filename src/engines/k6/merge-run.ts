// One or more k6 `--out json` files → one ledger → one result document (engine `k6` for one file, `merged` for
// several): totals, throughput, latency, statuses, invariants U1–U4, the optional durability probe, one verdict.

import { basename } from 'node:path';
import { K6_DEFAULTS } from '../../defaults.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { measurements, runHeader } from '../../result/document-parts.ts';
import { redactHeaders } from '../../result/redact.ts';
import type { InvariantResult, OutcomeCounts, PhaseSummary, ResultDocument, Verdict } from '../../result/result-document.ts';
import { RunStats } from '../../result/run-stats.ts';
import { judge } from '../../result/verdict.ts';
import { openEventSources } from './event-sources.ts';
import { findAttempts } from './find-attempts.ts';
import { probeAcknowledged, type ProbeTarget } from './probe-acknowledged.ts';
import { replayEvents } from './replay.ts';
import type { InputSummary } from './request-records.ts';

export interface MergeOptions {
  files: readonly string[];
  conflictStatus: number;
  maxIndeterminateShare: number; // 0..1
  /** Run the durability probe against this target after the merge; undefined: U3 stays unknown. */
  probe: ProbeTarget | undefined;
  /** Worker threads reading the files (0: the main thread); default: one per file up to the CPUs, for large inputs. */
  threads?: number;
  /** Events per batch between the readers and the ledger (tests use small ones). */
  batchEvents?: number;
}

export interface MergeContext {
  toolVersion: string;
  /** The document's target; default: the probe target, else the origin seen in the `url` tag, else "unknown". */
  target?: ResultDocument['target'];
  seed?: number;
  runId?: string;
  /** Extra configuration recorded by the caller (the k6 runner's scenario and options). */
  config?: Record<string, unknown>;
  /** Set when the run was interrupted: the document is partial (and the probe is skipped). */
  partialReason?: string;
  /** Lines added to the verdict reasons (e.g. k6's own exit code). */
  notes?: string[];
  signal?: AbortSignal;
  onPhase?: (phase: string) => void;
}

const LATENCY_SOURCE = "k6's http_req_duration (sending + waiting + receiving; blocked, connecting and TLS time excluded), as k6's own summary reports it";
const CLOCKS =
  "send times are each machine's Date.now() before the request (metadata sent_at), answer times k6's sample time (the end of the request); across machines, keep clocks NTP-synchronised: skew shifts the U2 judgement of conflicts between machines";

export async function mergeK6Outputs(options: MergeOptions, context: MergeContext): Promise<ResultDocument> {
  const ledger = new Ledger({ conflictStatus: options.conflictStatus });
  const stats = new RunStats();
  const sources = openEventSources(options.files, { ...(options.threads !== undefined ? { threads: options.threads } : {}), ...(options.batchEvents ? { batchEvents: options.batchEvents } : {}) });
  let replay;
  try {
    // Ctrl-C stops the reading too, unless the run was already interrupted (then what k6 wrote is read through).
    replay = await replayEvents(sources, options.files, ledger, stats, context.partialReason === undefined ? context.signal : undefined);
  } finally {
    await sources.close();
  }
  const { inputs } = replay;
  context.onPhase?.(
    `read ${options.files.length} file(s)${sources.threads > 0 ? ` (${sources.threads} worker thread(s))` : ''}: ${replay.requests.toLocaleString('en-US')} requests in the ledger`,
  );
  ledger.close(replay.lastAnsweredAt);

  let probe: { ran: boolean; detects: { lossRate: number; confidence: number } | undefined } = { ran: false, detects: undefined };
  const readingStopped = replay.interrupted ? 'interrupted (Ctrl-C) while reading the files: the requests read until then were judged; the durability probe was skipped' : undefined;
  if (options.probe !== undefined && context.partialReason === undefined && !(context.signal?.aborted ?? false)) {
    probe = await probeAcknowledged(ledger, options.probe, () => Date.now() - replay.t0, context.signal, context.onPhase);
  }

  const counts = ledger.counts();
  const invariants = ledger.invariants({ ran: probe.ran, ...(probe.detects ? { detects: probe.detects } : {}) });
  if (inputs.length > 1) await attributeExamples(invariants, options.files, replay.t0);
  const { verdict, reasons } = judge({ totals: counts.load, invariants, maxIndeterminateShare: options.maxIndeterminateShare });
  const interrupted = context.partialReason ?? readingStopped ?? (context.signal?.aborted ? 'interrupted (Ctrl-C) during the durability probe' : undefined);
  const origin = inputs.find((input) => input.origin !== undefined)?.origin;

  return {
    ...runHeader({
      engine: inputs.length > 1 ? 'merged' : 'k6',
      toolVersion: context.toolVersion,
      seed: context.seed ?? 0,
      target: context.target ?? { url: options.probe?.url ?? origin ?? 'unknown', embedded: false },
      config: {
        ...context.config,
        inputs: inputs.map(describeInput),
        conflictStatus: options.conflictStatus,
        maxIndeterminateShare: options.maxIndeterminateShare,
        probe: options.probe
          ? { target: options.probe.url, plan: options.probe.plan, headers: redactHeaders(options.probe.headers), insecure: options.probe.insecure }
          : 'off',
        latency: LATENCY_SOURCE,
        clocks: CLOCKS,
      },
      started: new Date(replay.t0),
      ended: new Date(replay.t0 + replay.lastAnsweredAt),
      partialReason: interrupted,
    }),
    ...(context.runId ? { runId: context.runId } : {}),
    totals: { ...counts.total, byKind: counts.byKind },
    ...k6Measurements(stats, counts.load.sent, replay.lastAnsweredAt, inputs),
    invariants,
    ...(probe.ran || counts.byKind.probe ? { probe: ledger.probeSummary(probe.detects) } : {}),
    phases: inputs.map((input, f) => phaseOf(input, replay.perFile[f]!, options.maxIndeterminateShare, (context.partialReason ?? readingStopped) !== undefined)),
    verdict,
    verdictReasons: [...reasons, ...inputNotes(inputs), ...(context.notes ?? [])],
  };
}

function describeInput(input: InputSummary): Record<string, unknown> {
  return {
    file: input.file,
    lines: input.lines,
    requests: input.requests,
    ledgered: input.ledgered,
    unledgered: input.unledgered,
    droppedIterations: input.droppedIterations,
    ...(input.truncatedLastLine ? { truncatedLastLine: true } : {}),
    ...(input.declaredTimeoutMs !== undefined ? { declaredTimeoutMs: input.declaredTimeoutMs } : {}),
    ...(input.late > 0 ? { late: input.late } : {}),
    ...(input.firstSentAt !== undefined ? { firstSentAt: new Date(input.firstSentAt).toISOString() } : {}),
    ...(input.lastAnsweredAt !== undefined ? { lastAnsweredAt: new Date(input.lastAnsweredAt).toISOString() } : {}),
  };
}

/**
 * Throughput and latency from k6's own timings. When k6 dropped iterations, it could not start the load it was asked
 * for (too few VUs, or a saturated load generator): its latency figures are marked generator-bound, as stampede's own
 * open model marks its lag, so no gate judges them on the target.
 */
function k6Measurements(stats: RunStats, sent: number, sendingMs: number, inputs: readonly InputSummary[]): ReturnType<typeof measurements> {
  const measured = measurements(stats, { sent, sendingMs, model: 'closed' });
  const dropped = inputs.reduce((n, input) => n + input.droppedIterations, 0);
  if (dropped > 0) {
    const share = dropped / (dropped + sent);
    measured.latency.generatorBound = {
      limit: 'no dropped iterations',
      observed: dropped,
      lateShare: Math.round(share * 1e6) / 1e6,
      reason: `generator-bound: k6 dropped ${dropped} iteration(s) (${(share * 100).toFixed(share < 0.01 ? 2 : 1)}% of the schedule): it could not start the load it was asked for, so its latency figures describe k6 as much as the target: raise MAX_VUS, lower RATE, or spread the run over more machines (execution segments, then stampede merge)`,
    };
  }
  return measured;
}

/** Caveats worth a line: requests left out of the ledger, planned load never sent, a file cut short. */
function inputNotes(inputs: readonly InputSummary[]): string[] {
  const notes: string[] = [];
  const unledgered = inputs.reduce((n, input) => n + input.unledgered.requests, 0);
  if (unledgered > 0) {
    notes.push(`${unledgered} request(s) without stampede's profile_id/attempt metadata (setup(), other scripts) are counted in config.inputs but not judged`);
  }
  const dropped = inputs.reduce((n, input) => n + input.droppedIterations, 0);
  if (dropped > 0) notes.push(`k6 dropped ${dropped} iteration(s): that load was never sent, and the latency figures are generator-bound (raise MAX_VUS or lower RATE)`);
  for (const input of inputs) if (input.truncatedLastLine) notes.push(`${input.file}: the last line was cut short (k6 stopped mid-write) and ignored`);
  for (const input of inputs) {
    if (input.late > 0) {
      const bound = (input.declaredTimeoutMs ?? K6_DEFAULTS.mergeAssumedTimeoutMs) + K6_DEFAULTS.mergeDisorderMs;
      notes.push(
        `${input.file}: ${input.late} request(s) appeared in the file more than ${bound / 1000} s after requests that ended later (the merge's bound: the request timeout${input.declaredTimeoutMs === undefined ? ' k6 uses by default' : ' the script declared'} + ${K6_DEFAULTS.mergeDisorderMs / 1000} s); they were judged out of time order, which can misjudge a conflict on their IDs`,
      );
    }
  }
  return notes;
}

/** One phase per input file: its requests' outcomes as judged in the merged ledger. */
function phaseOf(input: InputSummary, totals: OutcomeCounts, maxIndeterminateShare: number, partial: boolean): PhaseSummary {
  const reasons: string[] = [];
  let verdict: Verdict = 'pass';
  if (totals.fail > 0) {
    verdict = 'fail';
    reasons.push(`${totals.fail} definite wrong answer(s) out of ${totals.sent} (judged against every file's attempts)`);
  }
  if (totals.sent === 0 || totals.indeterminate / totals.sent > maxIndeterminateShare) {
    if (verdict === 'pass') verdict = 'unknown';
    reasons.push(totals.sent === 0 ? 'no request with stampede metadata' : `${totals.indeterminate} indeterminate outcome(s) of ${totals.sent}`);
  }
  const durationMs = input.firstSentAt !== undefined && input.lastAnsweredAt !== undefined ? Math.round(input.lastAnsweredAt - input.firstSentAt) : 0;
  return { name: basename(input.file), engine: 'k6', runId: input.file, verdict, verdictReasons: reasons, durationMs, partial, totals };
}

/**
 * Which machine did what: each U1/U2/U4 example's note gets the attempts of its ID per input file (one more read of
 * the files for all examples together; the merge keeps no per-request record).
 */
async function attributeExamples(invariants: InvariantResult[], files: readonly string[], t0: number): Promise<void> {
  const examples = invariants.filter((inv) => inv.id !== 'U3').flatMap((inv) => inv.examples);
  if (examples.length === 0) return;
  const attempts = await findAttempts(files, [...new Set(examples.map((e) => e.id))]);
  const ms = (x: number) => Math.round((x - t0) * 1000) / 1000;
  for (const example of examples) {
    const found = [...(attempts.get(example.id) ?? [])].sort((a, b) => a.sentAt - b.sentAt);
    const shown = found.slice(0, K6_DEFAULTS.examplesAttemptsShown).map((a) => {
      const status = a.status === 0 ? `no answer (k6 error_code ${a.errorCode || 'none'})` : String(a.status);
      return `${basename(files[a.file]!)}: ${a.duplicate ? 'duplicate' : 'first'} sent ${ms(a.sentAt)} ms → ${status} at ${ms(a.answeredAt)} ms`;
    });
    const more = found.length > shown.length ? `; ${found.length - shown.length} more` : '';
    example.note += ` — by input file: ${shown.join('; ')}${more}`;
  }
}
