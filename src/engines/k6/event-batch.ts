// A batch of one input file's requests, released in time order by its TimeWindow: sends sorted by send time and
// answers by answer time, every event before `watermark`. Plain typed arrays, so a worker thread can transfer them.

import type { InputSummary } from './request-records.ts';

/** Events per batch (sends or answers, whichever fills first). */
export const BATCH_EVENTS = 8192;
/** Bytes of an ID's text in `sendIds` (a UUID, lower case). */
export const ID_BYTES = 36;

/** Bits of `sendFlags`. */
export const SEND_DUPLICATE = 1; // the metadata said attempt=duplicate
export const SEND_EXTRA = 2; // the ID is not a UUID, or was sent in another case: see `extras`

export interface EventBatch {
  file: number;
  /** Every event of this file before this time (ms since the epoch) is in this batch or an earlier one. */
  watermark: number;
  sends: number;
  sendSeq: Float64Array;
  sendAt: Float64Array; // ms since epoch
  sendFlags: Uint8Array;
  /** ID_BYTES per send: the canonical (lower-case) UUID text; for SEND_EXTRA sends, see `extras`. */
  sendIds: Uint8Array;
  /** By send index: [canonical ID when not a UUID (else undefined), spelling sent when it differs (else undefined)]. */
  extras: Array<[number, string | undefined, string | undefined]>;
  answers: number;
  answerSeq: Float64Array;
  answerAt: Float64Array; // ms since epoch
  /** The send time of each answer's request (for the latency when http_req_duration is missing). */
  answerSentAt: Float64Array; // ms since epoch
  latency: Float32Array; // ms, NaN: unknown
  status: Uint16Array; // 0: no answer
  errorCode: Uint16Array; // k6's error_code for status 0
  /** Requests released out of order: they came later than the window's bound allowed. */
  late: number;
  /** The last batch of the file: its summary. */
  done?: { summary: InputSummary };
}

export function emptyBatch(file: number, capacity = BATCH_EVENTS): EventBatch {
  return {
    file,
    watermark: Number.NEGATIVE_INFINITY,
    sends: 0,
    sendSeq: new Float64Array(capacity),
    sendAt: new Float64Array(capacity),
    sendFlags: new Uint8Array(capacity),
    sendIds: new Uint8Array(capacity * ID_BYTES),
    extras: [],
    answers: 0,
    answerSeq: new Float64Array(capacity),
    answerAt: new Float64Array(capacity),
    answerSentAt: new Float64Array(capacity),
    latency: new Float32Array(capacity),
    status: new Uint16Array(capacity),
    errorCode: new Uint16Array(capacity),
    late: 0,
  };
}

/** A batch handed back by its consumer, emptied for reuse (no new typed arrays, so no garbage per batch). */
export function reuseBatch(batch: EventBatch, file: number): EventBatch {
  batch.file = file;
  batch.watermark = Number.NEGATIVE_INFINITY;
  batch.sends = 0;
  batch.answers = 0;
  batch.extras = [];
  batch.late = 0;
  delete batch.done;
  return batch;
}

/** The buffers a worker hands over with the batch (no copy). */
export function transferList(batch: EventBatch): ArrayBuffer[] {
  return [batch.sendSeq, batch.sendAt, batch.sendFlags, batch.sendIds, batch.answerSeq, batch.answerAt, batch.answerSentAt, batch.latency, batch.status, batch.errorCode].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
