// Counters of the reference service: requests answered by status, connections closed without an answer.

export interface ServiceStats {
  /** Answers sent, by HTTP status. */
  byStatus: Record<string, number>;
  /** All answers sent. */
  responses: number;
  /** Requests dropped without an answer (client aborted, protocol error, timeout). */
  dropped: number;
  /** Profiles currently stored. */
  profiles: number;
}

export class StatsCounter {
  // Indexed by status: cheaper on the hot path than a Map or object keyed by strings.
  private readonly counts = new Float64Array(600);
  private droppedCount = 0;

  count(status: number): void {
    this.counts[status]! += 1;
  }

  dropped(): void {
    this.droppedCount += 1;
  }

  snapshot(profiles: number): ServiceStats {
    const byStatus: Record<string, number> = {};
    let responses = 0;
    for (let status = 100; status < 600; status++) {
      const n = this.counts[status]!;
      if (n > 0) {
        byStatus[status] = n;
        responses += n;
      }
    }
    return { byStatus, responses, dropped: this.droppedCount, profiles };
  }
}

/** `requests 1234 (201: 1200, 409: 34) · dropped 0 · profiles 1200` */
export function formatStats(stats: ServiceStats): string {
  const parts = Object.entries(stats.byStatus).map(([status, n]) => `${status}: ${n}`);
  return `requests ${stats.responses}${parts.length ? ` (${parts.join(', ')})` : ''} · dropped ${stats.dropped} · profiles ${stats.profiles}`;
}
