// Per-run measurements besides the ledger: per-second series, latency by outcome, the generator's own lag apart from
// the target's service time, status and error tables, and the warm-up kept out of all of them.

import { LatencyRecorder } from './latency-recorder.ts';
import type { LagSummary, Outcome, OutcomeCounts, Percentiles, SecondSample } from './result-document.ts';

/** A request that started more than this late counts as late in `lateShare`. */
export const LATE_AFTER_MS = 1; // ms

export interface RunStatsOptions {
  /** Requests sent before this (ms since start) are warm-up: judged by the ledger, kept out of every figure here. */
  warmupMs?: number; // ms
  /** Keep each second's histograms (encoded) so that state() can be merged exactly with other runs' (--workers). */
  keepSeconds?: boolean;
}

/** Everything a RunStats measured, in a form another thread can receive and merge (RunStats.merge). */
export interface RunStatsState {
  warmupMs: number; // ms
  warmup: OutcomeCounts;
  late: number;
  /** Counts per second; percentiles come from `seconds`. */
  rows: Array<OutcomeCounts & { t: number }>;
  /** Per second: the encoded latency histogram and the lag one (null: no answer that second). */
  seconds: Array<{ latency: string; lag?: string } | null>;
  histograms: Record<'overall' | 'ok' | 'fail' | 'indeterminate' | 'lag' | 'service', string>;
  statuses: Array<[number, number]>;
  errors: Array<[string, number]>;
}

/**
 * Fed once per request sent and once per answer, from the engine's hot path: counters and HDR histograms only.
 * Times are ms since the run started; answers are expected in (roughly) increasing `answeredAt` order, which a
 * clock read in the answer callback guarantees. With a warm-up, per-second rows count from its end.
 */
export class RunStats {
  private readonly rows: SecondSample[] = [];
  private readonly overall = new LatencyRecorder();
  private readonly byOutcome: Record<Outcome, LatencyRecorder> = { ok: new LatencyRecorder(), fail: new LatencyRecorder(), indeterminate: new LatencyRecorder() };
  /** How late each request left (open model: after its intended start; closed model: the sending loop's delay). */
  private readonly lag = new LatencyRecorder();
  /** Bytes handed to the socket → answer: the target's own time (plus the network). */
  private readonly service = new LatencyRecorder();
  private late = 0;
  // Per-second percentiles from histograms reset every second: constant memory whatever the duration.
  private readonly second = new LatencyRecorder(2);
  private readonly secondLag = new LatencyRecorder(2);
  private secondIndex = -1;
  private readonly statusCounts = new Map<number, number>();
  private readonly errorCounts = new Map<string, number>();
  readonly warmupMs: number; // ms
  /** Outcomes of the warm-up requests (sent before warmupMs): in the ledger, in no figure. */
  readonly warmup: OutcomeCounts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
  /** Encoded per-second histograms (keepSeconds), by second index. */
  private readonly kept: Array<{ latency: string; lag?: string } | null> | undefined;

  constructor(options: RunStatsOptions = {}) {
    this.warmupMs = options.warmupMs ?? 0;
    this.kept = options.keepSeconds ? [] : undefined;
  }

  /** What was measured, for another thread to merge (call once sending has ended). */
  state(): RunStatsState {
    const rows = this.perSecond().map(({ t, sent, ok, fail, indeterminate }) => ({ t, sent, ok, fail, indeterminate }));
    return {
      warmupMs: this.warmupMs,
      warmup: { ...this.warmup },
      late: this.late,
      rows,
      seconds: rows.map((row) => this.kept?.[row.t] ?? null),
      histograms: {
        overall: this.overall.encode(),
        ok: this.byOutcome.ok.encode(),
        fail: this.byOutcome.fail.encode(),
        indeterminate: this.byOutcome.indeterminate.encode(),
        lag: this.lag.encode(),
        service: this.service.encode(),
      },
      statuses: [...this.statusCounts],
      errors: [...this.errorCounts],
    };
  }

  /**
   * One RunStats holding several runs' measurements as if one run had made them: counts added, histograms merged
   * bucket by bucket (never averaged), each second's percentiles from the merged histograms of that second.
   */
  static merge(states: readonly RunStatsState[]): RunStats {
    const merged = new RunStats({ warmupMs: states[0]?.warmupMs ?? 0 });
    const seconds: Array<{ latency: LatencyRecorder; lag: LatencyRecorder } | undefined> = [];
    for (const state of states) {
      for (const key of ['sent', 'ok', 'fail', 'indeterminate'] as const) merged.warmup[key] += state.warmup[key];
      merged.late += state.late;
      merged.overall.addEncoded(state.histograms.overall);
      for (const outcome of ['ok', 'fail', 'indeterminate'] as const) merged.byOutcome[outcome].addEncoded(state.histograms[outcome]);
      merged.lag.addEncoded(state.histograms.lag);
      merged.service.addEncoded(state.histograms.service);
      for (const [status, n] of state.statuses) merged.statusCounts.set(status, (merged.statusCounts.get(status) ?? 0) + n);
      for (const [error, n] of state.errors) merged.errorCounts.set(error, (merged.errorCounts.get(error) ?? 0) + n);
      state.rows.forEach((row, i) => {
        const into = merged.row(row.t);
        into.sent += row.sent;
        into.ok += row.ok;
        into.fail += row.fail;
        into.indeterminate += row.indeterminate;
        const second = state.seconds[i];
        if (!second) return;
        const slot = (seconds[row.t] ??= { latency: new LatencyRecorder(2), lag: new LatencyRecorder(2) });
        slot.latency.addEncoded(second.latency);
        if (second.lag) slot.lag.addEncoded(second.lag);
      });
    }
    seconds.forEach((slot, t) => {
      if (!slot || slot.latency.count === 0) return;
      const row = merged.row(t);
      row.p50 = round3(slot.latency.percentile(50));
      row.p90 = round3(slot.latency.percentile(90));
      row.p99 = round3(slot.latency.percentile(99));
      row.p999 = round3(slot.latency.percentile(99.9));
      if (slot.lag.count > 0) row.lagP99 = round3(slot.lag.percentile(99));
    });
    // Rows are complete: no second is open any more.
    merged.secondIndex = -1;
    return merged;
  }

  sent(sentAt: number): void {
    if (this.warmupMs > 0 && sentAt < this.warmupMs) {
      this.warmup.sent++;
      return;
    }
    this.row(Math.floor((sentAt - this.warmupMs) / 1000)).sent++;
  }

  /**
   * One answer (status) or failure (error kind). `latencyMs` is the headline figure: from the intended start in the
   * open model (lag + service), from the send in the closed model. `timing`, when the engine measures it, splits off
   * the generator's own lag (open model: intended start → bytes handed over; closed: its event-loop delay at the send)
   * from the service time (bytes handed over → answer).
   */
  answered(outcome: Outcome, latencyMs: number, answeredAt: number, status: number | undefined, error?: string, timing?: { lagMs: number; serviceMs: number }): void {
    if (this.warmupMs > 0 && answeredAt - latencyMs < this.warmupMs) {
      this.warmup[outcome]++;
      return;
    }
    const index = Math.floor((answeredAt - this.warmupMs) / 1000);
    if (index !== this.secondIndex) this.closeSecond(index);
    this.row(index)[outcome]++;
    this.overall.record(latencyMs);
    this.byOutcome[outcome].record(latencyMs);
    this.second.record(latencyMs);
    if (timing !== undefined) {
      this.lag.record(timing.lagMs);
      this.secondLag.record(timing.lagMs);
      this.service.record(timing.serviceMs);
      if (timing.lagMs > LATE_AFTER_MS) this.late++;
    }
    if (status !== undefined) this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
    else this.errorCounts.set(error ?? 'unknown', (this.errorCounts.get(error ?? 'unknown') ?? 0) + 1);
  }

  /** An attempt that never got an answer (still in flight at the end): counted, no latency. */
  unanswered(error: string): void {
    this.errorCounts.set(error, (this.errorCounts.get(error) ?? 0) + 1);
  }

  perSecond(): SecondSample[] {
    this.closeSecond(this.secondIndex);
    const rows: SecondSample[] = [];
    for (let t = 0; t < this.rows.length; t++) rows.push(this.rows[t] ?? { t, sent: 0, ok: 0, fail: 0, indeterminate: 0 });
    return rows;
  }

  latency(): { overall: Percentiles; byOutcome: Partial<Record<Outcome, Percentiles>>; lag?: LagSummary; service?: Percentiles; curve: Array<[number, number]> } {
    const byOutcome: Partial<Record<Outcome, Percentiles>> = {};
    for (const outcome of ['ok', 'fail', 'indeterminate'] as const) {
      if (this.byOutcome[outcome].count > 0) byOutcome[outcome] = this.byOutcome[outcome].summary();
    }
    const measuredLag = this.lag.count > 0;
    return {
      overall: this.overall.summary(),
      byOutcome,
      ...(measuredLag ? { lag: { ...this.lag.summary(), lateShare: round6(this.late / this.lag.count), lateAfterMs: LATE_AFTER_MS }, service: this.service.summary() } : {}),
      curve: this.overall.curve(),
    };
  }

  statuses(): Record<string, number> {
    return Object.fromEntries([...this.statusCounts].sort(([a], [b]) => a - b).map(([status, n]) => [String(status), n]));
  }

  errors(): Record<string, number> {
    return Object.fromEntries([...this.errorCounts].sort(([, a], [, b]) => b - a));
  }

  private row(index: number): SecondSample {
    let row = this.rows[index];
    if (row === undefined) {
      row = { t: index, sent: 0, ok: 0, fail: 0, indeterminate: 0 };
      this.rows[index] = row;
    }
    return row;
  }

  /** Write the finished second's percentiles into its row, then start `next`. */
  private closeSecond(next: number): void {
    if (this.secondIndex >= 0 && this.second.count > 0) {
      const row = this.row(this.secondIndex);
      row.p50 = round3(this.second.percentile(50));
      row.p90 = round3(this.second.percentile(90));
      row.p99 = round3(this.second.percentile(99));
      row.p999 = round3(this.second.percentile(99.9));
      if (this.secondLag.count > 0) row.lagP99 = round3(this.secondLag.percentile(99));
      if (this.kept) this.kept[this.secondIndex] = { latency: this.second.encode(), ...(this.secondLag.count > 0 ? { lag: this.secondLag.encode() } : {}) };
    }
    if (next !== this.secondIndex) {
      this.second.reset();
      this.secondLag.reset();
      this.secondIndex = next;
    }
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function round6(share: number): number {
  return Math.round(share * 1e6) / 1e6;
}
