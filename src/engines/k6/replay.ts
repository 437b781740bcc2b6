// Replays the requests of every input file into one ledger in time order: all sends ordered by send time and all
// answers by answer time, interleaved (a send at the same instant as an answer goes first), as the ledger requires.

import type { Ledger } from '../../ledger/ledger.ts';
import type { OutcomeCounts } from '../../result/result-document.ts';
import type { RunStats } from '../../result/run-stats.ts';
import { errorKindOfK6Code } from './k6-output-format.ts';
import type { RequestTable } from './request-table.ts';

export interface ReplayResult {
  /** The earliest send, ms since the epoch: time 0 of the ledger, the stats and the document. */
  t0: number; // ms since epoch
  /** The last send and the last answer, ms since t0. */
  lastSentAt: number; // ms
  lastAnsweredAt: number; // ms
  /** Outcomes of each input file's requests, as judged in the merged ledger. */
  perFile: OutcomeCounts[];
}

/** Feed every record of `table` to `ledger` and `stats`; the caller closes the ledger. Memory: 12 bytes per record. */
export function replayIntoLedger(table: RequestTable, ledger: Ledger, stats: RunStats, files: number): ReplayResult {
  const n = table.size;
  const { sentAt, answeredAt } = table;
  const bySent = indices(n).sort((a, b) => sentAt[a]! - sentAt[b]! || a - b);
  const byAnswer = indices(n).sort((a, b) => answeredAt[a]! - answeredAt[b]! || a - b);
  const tokens = new Int32Array(n);
  const perFile: OutcomeCounts[] = Array.from({ length: files }, () => ({ sent: 0, ok: 0, fail: 0, indeterminate: 0 }));
  const t0 = n > 0 ? sentAt[bySent[0]!]! : 0;

  let s = 0;
  for (let a = 0; a < n; ) {
    const next = byAnswer[a]!;
    if (s < n && sentAt[bySent[s]!]! <= answeredAt[next]!) {
      const i = bySent[s++]!;
      const at = sentAt[i]! - t0;
      tokens[i] = ledger.sent(table.idOf(i), table.isDuplicate(i) ? 'duplicate' : 'first', at, table.sentIdOf(i));
      stats.sent(at);
      perFile[table.file[i]!]!.sent++;
      continue;
    }
    a++;
    const at = answeredAt[next]! - t0;
    const code = table.status[next]!;
    const status = code === 0 ? undefined : code;
    const error = code === 0 ? errorKindOfK6Code(table.errorCode[next] === 0 ? undefined : String(table.errorCode[next])) : undefined;
    const outcome = ledger.answered(tokens[next]!, at, status, error);
    const latency = table.latency[next]!;
    stats.answered(outcome, Number.isNaN(latency) ? at - (sentAt[next]! - t0) : latency, at, status, error);
    perFile[table.file[next]!]![outcome]++;
  }
  return {
    t0,
    lastSentAt: n > 0 ? sentAt[bySent[n - 1]!]! - t0 : 0,
    lastAnsweredAt: n > 0 ? answeredAt[byAnswer[n - 1]!]! - t0 : 0,
    perFile,
  };
}

function indices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
