// Replays the requests of every input file into one ledger in time order: each file's sends (by send time) and
// answers (by answer time) arrive sorted in EventBatches; they are merged across files up to the smallest watermark
// (every event before it is known), a send at the same instant as an answer first, ties by file then file order.

import type { Ledger } from '../../ledger/ledger.ts';
import type { OutcomeCounts } from '../../result/result-document.ts';
import type { RunStats } from '../../result/run-stats.ts';
import { ID_BYTES, SEND_DUPLICATE, SEND_EXTRA, type EventBatch } from './event-batch.ts';
import type { EventSources } from './event-sources.ts';
import { errorKindOfK6Code } from './k6-output-format.ts';
import { emptySummary, type InputSummary } from './request-records.ts';

export interface ReplayResult {
  /** The earliest send, ms since the epoch: time 0 of the ledger, the stats and the document. */
  t0: number; // ms since epoch
  /** The last send and the last answer, ms since t0. */
  lastSentAt: number; // ms
  lastAnsweredAt: number; // ms
  /** Outcomes of each input file's requests, as judged in the merged ledger. */
  perFile: OutcomeCounts[];
  inputs: InputSummary[];
  /** Requests replayed. */
  requests: number;
  /** The reading was stopped (Ctrl-C) before every file was read: what was read up to then was replayed. */
  interrupted: boolean;
}

const SEND = 0;
const ANSWER = 1;

/** One file's received batches and where its send and answer streams are in them. */
class FileState {
  batches: EventBatch[] = [];
  /** Index in `batches` and position in that batch, per stream (SEND, ANSWER). */
  readonly at = [0, 0];
  readonly pos = [0, 0];
  watermark = Number.NEGATIVE_INFINITY;
  summary: InputSummary | undefined;
  readonly tokens = new TokenRing();
  /** Per batch: the IDs' text (decoded once) and the next entry of `extras`. */
  idText: string[] = [];
  extraAt: number[] = [];
  constructor(
    readonly file: number,
    private readonly sources: EventSources,
  ) {}

  /** The time of the stream's next event, or NaN when no received batch has one. */
  head(stream: number): number {
    for (;;) {
      const batch = this.batches[this.at[stream]!];
      if (batch === undefined) return Number.NaN;
      const pos = this.pos[stream]!;
      if (stream === SEND ? pos < batch.sends : pos < batch.answers) return stream === SEND ? batch.sendAt[pos]! : batch.answerAt[pos]!;
      this.at[stream]!++;
      this.pos[stream] = 0;
      this.dropPassed();
    }
  }

  add(batch: EventBatch): void {
    this.batches.push(batch);
    this.idText.push('');
    this.extraAt.push(0);
    this.watermark = batch.watermark;
    if (batch.done !== undefined) this.summary = batch.done.summary;
  }

  /** Batches both streams are past are let go. */
  private dropPassed(): void {
    const passed = Math.min(this.at[SEND]!, this.at[ANSWER]!);
    if (passed === 0) return;
    for (let k = 0; k < passed; k++) this.sources.recycle(this.batches[k]!);
    this.batches.splice(0, passed);
    this.idText.splice(0, passed);
    this.extraAt.splice(0, passed);
    this.at[SEND]! -= passed;
    this.at[ANSWER]! -= passed;
  }
}

/** Ledger tokens of a file's sends awaiting their answers, by the request's sequence number (open addressing). */
class TokenRing {
  private seqs = new Float64Array(1024).fill(-1);
  private tokens = new Int32Array(1024);

  set(seq: number, token: number): void {
    let mask = this.seqs.length - 1;
    while (this.seqs[seq & mask] !== -1) {
      this.grow();
      mask = this.seqs.length - 1;
    }
    this.seqs[seq & mask] = seq;
    this.tokens[seq & mask] = token;
  }

  take(seq: number): number {
    const slot = seq & (this.seqs.length - 1);
    if (this.seqs[slot] !== seq) throw new Error(`merge: the answer of request ${seq} came before its send`);
    this.seqs[slot] = -1;
    return this.tokens[slot]!;
  }

  private grow(): void {
    const seqs = this.seqs;
    const tokens = this.tokens;
    this.seqs = new Float64Array(seqs.length * 2).fill(-1);
    this.tokens = new Int32Array(seqs.length * 2);
    const mask = this.seqs.length - 1;
    for (let i = 0; i < seqs.length; i++) {
      if (seqs[i] === -1) continue;
      this.seqs[seqs[i]! & mask] = seqs[i]!;
      this.tokens[seqs[i]! & mask] = tokens[i]!;
    }
  }
}

/**
 * Feed every request of every file to `ledger` and `stats`; the caller closes the ledger. When `signal` aborts, the
 * reading stops at the next batch and what was received is replayed (the files not read through get summaries of
 * what was judged).
 */
export async function replayEvents(sources: EventSources, paths: readonly string[], ledger: Ledger, stats: RunStats, signal?: AbortSignal): Promise<ReplayResult> {
  const files = paths.length;
  const states = Array.from({ length: files }, (_, f) => new FileState(f, sources));
  const perFile: OutcomeCounts[] = Array.from({ length: files }, () => ({ sent: 0, ok: 0, fail: 0, indeterminate: 0 }));
  let t0 = Number.NaN;
  let lastSentAt = 0;
  let lastAnsweredAt = 0;
  let requests = 0;

  const send = (state: FileState): void => {
    const b = state.at[SEND]!;
    const batch = state.batches[b]!;
    const i = state.pos[SEND]!++;
    const sentAt = batch.sendAt[i]!;
    if (Number.isNaN(t0)) t0 = sentAt;
    const at = sentAt - t0;
    let id: string;
    let sentId: string | undefined;
    const flags = batch.sendFlags[i]!;
    let extraId: string | undefined;
    if ((flags & SEND_EXTRA) !== 0) {
      const extra = batch.extras[state.extraAt[b]!++]!;
      extraId = extra[1];
      sentId = extra[2];
    }
    if (extraId !== undefined) id = extraId;
    else {
      if (state.idText[b] === '') state.idText[b] = Buffer.from(batch.sendIds.buffer, batch.sendIds.byteOffset, batch.sends * ID_BYTES).toString('latin1');
      id = state.idText[b]!.substring(i * ID_BYTES, (i + 1) * ID_BYTES);
    }
    const token = ledger.sent(id, (flags & SEND_DUPLICATE) !== 0 ? 'duplicate' : 'first', at, sentId);
    state.tokens.set(batch.sendSeq[i]!, token);
    stats.sent(at);
    perFile[state.file]!.sent++;
    if (at > lastSentAt) lastSentAt = at;
    requests++;
  };

  const answer = (state: FileState): void => {
    const batch = state.batches[state.at[ANSWER]!]!;
    const i = state.pos[ANSWER]!++;
    const token = state.tokens.take(batch.answerSeq[i]!);
    const at = batch.answerAt[i]! - t0;
    const code = batch.status[i]!;
    const status = code === 0 ? undefined : code;
    const error = code === 0 ? errorKindOfK6Code(batch.errorCode[i] === 0 ? undefined : String(batch.errorCode[i])) : undefined;
    const outcome = ledger.answered(token, at, status, error);
    const latency = batch.latency[i]!;
    stats.answered(outcome, Number.isNaN(latency) ? at - (batch.answerSentAt[i]! - t0) : latency, at, status, error);
    perFile[state.file]![outcome]++;
    if (at > lastAnsweredAt) lastAnsweredAt = at;
  };

  const streams = files * 2;
  const times = new Float64Array(streams); // the next event's time per stream; NaN: none received yet
  const pending = states.slice();
  let interrupted = false;
  for (;;) {
    if (signal?.aborted === true && pending.length > 0) {
      interrupted = true;
      pending.length = 0; // replay what was received, then stop
    }
    // Every file not finished must have told how far it is complete: fetch from the ones furthest behind.
    let limit = Number.POSITIVE_INFINITY;
    for (const state of pending) limit = Math.min(limit, state.watermark);
    if (pending.length > 0) {
      const behind = pending.filter((state) => state.watermark === limit);
      const batches = await Promise.all(behind.map((state) => sources.next(state.file)));
      batches.forEach((batch, k) => behind[k]!.add(batch));
      for (let k = pending.length - 1; k >= 0; k--) if (pending[k]!.summary !== undefined) pending.splice(k, 1);
      limit = Number.POSITIVE_INFINITY;
      for (const state of pending) limit = Math.min(limit, state.watermark);
    }
    // Replay every event before the limit, in order across files: the stream with the earliest next event, sends
    // before answers at the same instant, then the lower file (streams are scanned in that order: all sends, then
    // all answers, each by file; a strictly earlier time wins). Files are few (one per k6 instance): a scan is cheaper
    // than a heap here.
    for (let s = 0; s < streams; s++) times[s] = states[s % files]!.head(s < files ? SEND : ANSWER);
    for (;;) {
      let best = -1;
      let bestTime = limit;
      for (let s = 0; s < streams; s++) {
        const time = times[s]!;
        if (time < bestTime) {
          bestTime = time;
          best = s;
        }
      }
      if (best < 0) break;
      const state = states[best % files]!;
      if (best < files) {
        send(state);
        times[best] = state.head(SEND);
      } else {
        answer(state);
        times[best] = state.head(ANSWER);
      }
    }
    if (pending.length === 0) break;
  }
  return {
    t0: Number.isNaN(t0) ? 0 : t0,
    lastSentAt,
    lastAnsweredAt,
    perFile,
    inputs: states.map((state) => state.summary ?? partialSummary(paths[state.file]!, perFile[state.file]!)),
    requests,
    interrupted,
  };
}

/** A file not read through (interrupted): its requests judged so far, nothing else known. */
function partialSummary(file: string, judged: OutcomeCounts): InputSummary {
  return { ...emptySummary(file), requests: judged.sent, ledgered: judged.sent };
}
