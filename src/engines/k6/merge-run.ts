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
import { collectRequests, type InputSummary } from './collect-requests.ts';
import { probeAcknowledged, type ProbeTarget } from './probe-acknowledged.ts';
import type { RequestTable } from './request-table.ts';
import { replayIntoLedger } from './replay.ts';

export interface MergeOptions {
  files: readonly string[];
  conflictStatus: number;
  maxIndeterminateShare: number; // 0..1
  /** Run the durability probe against this target after the merge; undefined: U3 stays unknown. */
  probe: ProbeTarget | undefined;
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
  const { table, inputs } = await collectRequests(options.files);
  context.onPhase?.(`read ${options.files.length} file(s): ${table.size.toLocaleString('en-US')} requests in the ledger`);
  const ledger = new Ledger({ conflictStatus: options.conflictStatus, expectedIds: Math.max(1, table.size) });
  const stats = new RunStats();
  const replay = replayIntoLedger(table, ledger, stats, inputs.length);
  ledger.close(replay.lastAnsweredAt);

  let probe: { ran: boolean; detects: { lossRate: number; confidence: number } | undefined } = { ran: false, detects: undefined };
  if (options.probe !== undefined && context.partialReason === undefined && !(context.signal?.aborted ?? false)) {
    probe = await probeAcknowledged(ledger, options.probe, () => Date.now() - replay.t0, context.signal, context.onPhase);
  }

  const counts = ledger.counts();
  const invariants = ledger.invariants({ ran: probe.ran, ...(probe.detects ? { detects: probe.detects } : {}) });
  if (inputs.length > 1) attributeExamples(invariants, table, inputs, replay.t0);
  const { verdict, reasons } = judge({ totals: counts.load, invariants, maxIndeterminateShare: options.maxIndeterminateShare });
  const interrupted = context.partialReason ?? (context.signal?.aborted ? 'interrupted (Ctrl-C) during the durability probe' : undefined);
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
    ...measurements(stats, { sent: counts.load.sent, sendingMs: replay.lastAnsweredAt, model: 'closed' }),
    invariants,
    ...(probe.ran || counts.byKind.probe ? { probe: ledger.probeSummary(probe.detects) } : {}),
    phases: inputs.map((input, f) => phaseOf(input, replay.perFile[f]!, options.maxIndeterminateShare, context.partialReason !== undefined)),
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
    ...(input.firstSentAt !== undefined ? { firstSentAt: new Date(input.firstSentAt).toISOString() } : {}),
    ...(input.lastAnsweredAt !== undefined ? { lastAnsweredAt: new Date(input.lastAnsweredAt).toISOString() } : {}),
  };
}

/** Caveats worth a line: requests left out of the ledger, planned load never sent, a file cut short. */
function inputNotes(inputs: readonly InputSummary[]): string[] {
  const notes: string[] = [];
  const unledgered = inputs.reduce((n, input) => n + input.unledgered.requests, 0);
  if (unledgered > 0) {
    notes.push(`${unledgered} request(s) without stampede's profile_id/attempt metadata (setup(), other scripts) are counted in config.inputs but not judged`);
  }
  const dropped = inputs.reduce((n, input) => n + input.droppedIterations, 0);
  if (dropped > 0) notes.push(`k6 dropped ${dropped} iteration(s): not enough VUs to keep the arrival rate (raise MAX_VUS); that load was never sent`);
  for (const input of inputs) if (input.truncatedLastLine) notes.push(`${input.file}: the last line was cut short (k6 stopped mid-write) and ignored`);
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
 * Which machine did what: each U1/U2/U4 example's note gets the attempts of its ID per input file (one pass over the
 * records for all examples together).
 */
function attributeExamples(invariants: InvariantResult[], table: RequestTable, inputs: readonly InputSummary[], t0: number): void {
  const examples = invariants.filter((inv) => inv.id !== 'U3').flatMap((inv) => inv.examples);
  if (examples.length === 0) return;
  const records = table.recordsOf([...new Set(examples.map((e) => e.id))]);
  const ms = (x: number) => Math.round((x - t0) * 1000) / 1000;
  for (const example of examples) {
    const found = (records.get(example.id) ?? []).sort((a, b) => table.sentAt[a]! - table.sentAt[b]!);
    const shown = found.slice(0, K6_DEFAULTS.examplesAttemptsShown).map((i) => {
      const status = table.status[i]! === 0 ? `no answer (k6 error_code ${table.errorCode[i] || 'none'})` : String(table.status[i]);
      return `${basename(inputs[table.file[i]!]!.file)}: ${table.isDuplicate(i) ? 'duplicate' : 'first'} sent ${ms(table.sentAt[i]!)} ms → ${status} at ${ms(table.answeredAt[i]!)} ms`;
    });
    const more = found.length > shown.length ? `; ${found.length - shown.length} more` : '';
    example.note += ` — by input file: ${shown.join('; ')}${more}`;
  }
}
