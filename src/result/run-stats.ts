// Per-run measurements besides the ledger: per-second series, latency by outcome, status and error tables.

import { LatencyRecorder } from './latency-recorder.ts';
import type { Outcome, Percentiles, SecondSample } from './result-document.ts';

/**
 * Fed once per request sent and once per answer, from the engine's hot path: counters and HDR histograms only.
 * Times are ms since the run started; answers are expected in (roughly) increasing `answeredAt` order, which a
 * clock read in the answer callback guarantees.
 */
export class RunStats {
  private readonly rows: SecondSample[] = [];
  private readonly overall = new LatencyRecorder();
  private readonly byOutcome: Record<Outcome, LatencyRecorder> = { ok: new LatencyRecorder(), fail: new LatencyRecorder(), indeterminate: new LatencyRecorder() };
  // Per-second percentiles from one histogram reset every second: constant memory whatever the duration.
  private readonly second = new LatencyRecorder(2);
  private secondIndex = -1;
  private readonly statusCounts = new Map<number, number>();
  private readonly errorCounts = new Map<string, number>();

  sent(sentAt: number): void {
    this.row(Math.floor(sentAt / 1000)).sent++;
  }

  /** One answer (status) or failure (error kind); latency in ms, measured from the intended send time in the open model. */
  answered(outcome: Outcome, latencyMs: number, answeredAt: number, status: number | undefined, error?: string): void {
    const index = Math.floor(answeredAt / 1000);
    if (index !== this.secondIndex) this.closeSecond(index);
    this.row(index)[outcome]++;
    this.overall.record(latencyMs);
    this.byOutcome[outcome].record(latencyMs);
    this.second.record(latencyMs);
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

  latency(): { overall: Percentiles; byOutcome: Partial<Record<Outcome, Percentiles>> } {
    const byOutcome: Partial<Record<Outcome, Percentiles>> = {};
    for (const outcome of ['ok', 'fail', 'indeterminate'] as const) {
      if (this.byOutcome[outcome].count > 0) byOutcome[outcome] = this.byOutcome[outcome].summary();
    }
    return { overall: this.overall.summary(), byOutcome };
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
      row.p99 = round3(this.second.percentile(99));
    }
    if (next !== this.secondIndex) {
      this.second.reset();
      this.secondIndex = next;
    }
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
