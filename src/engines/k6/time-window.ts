// One input file's requests held until they can be released in time order: a k6 file is only nearly time-ordered
// (lines are written when requests END, flushed every 200 ms), so a request is released once every request that could
// still come later in the file is known to be later in time. That is the merge's bound (README.md beside this file):
// a line appears at most `disorderMs` after lines of requests that ended later, and a request is sent at most its
// timeout before it ends; so once the file has shown a request ending at F, every request still to come was sent
// after F − (timeout + disorder), and everything before that time can go.
//
// Memory: the requests of the last (timeout + disorder) of the file, ~60 bytes each (ring-indexed typed arrays and
// two sorted queues), whatever the length of the run.

import { resized } from '../../ledger/typed-arrays.ts';
import { BATCH_EVENTS, emptyBatch, ID_BYTES, reuseBatch, SEND_DUPLICATE, SEND_EXTRA, type EventBatch } from './event-batch.ts';

/** A finished request, as the window takes it (the ID as four words unless `extraId`/`sentId`). */
export interface WindowRecord {
  k0: number;
  k1: number;
  k2: number;
  k3: number;
  /** The canonical ID when it is not a UUID (then the words are unused). */
  extraId: string | undefined;
  /** The spelling sent when it differs from the canonical ID (upper case). */
  sentId: string | undefined;
  duplicate: boolean;
  sentAt: number; // ms since epoch
  answeredAt: number; // ms since epoch
  latency: number; // ms, NaN: unknown
  status: number;
  errorCode: number;
}

const INITIAL_RING = 1 << 12; // requests

/** Sequence numbers kept sorted by (time of `keys`, sequence), mostly appended at the end. */
class SortedQueue {
  items = new Float64Array(1024);
  head = 0;
  tail = 0;

  get size(): number {
    return this.tail - this.head;
  }

  first(): number {
    return this.items[this.head]!;
  }

  shift(): void {
    this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Insert `seq` whose time is `time`; `timeOf` gives the time of queued sequences. */
  insert(seq: number, time: number, timeOf: (seq: number) => number): void {
    if (this.tail === this.items.length) this.makeRoom();
    const items = this.items;
    let at = this.tail;
    if (at > this.head && timeOf(items[at - 1]!) > time) {
      // Out of order (a request that ended earlier than the last one queued): binary search, then shift.
      let lo = this.head;
      let hi = at - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (timeOf(items[mid]!) > time) hi = mid;
        else lo = mid + 1;
      }
      items.copyWithin(lo + 1, lo, at);
      at = lo;
    }
    items[at] = seq;
    this.tail++;
  }

  private makeRoom(): void {
    if (this.head > this.items.length / 2) {
      this.items.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    } else {
      this.items = resized(this.items, this.items.length * 2);
    }
  }
}

export class TimeWindow {
  /** The latest answer time seen, ms since epoch. */
  private frontier = Number.NEGATIVE_INFINITY;
  /** Everything before this was released. */
  private released = Number.NEGATIVE_INFINITY;
  private seq = 0;
  private mask = INITIAL_RING - 1;
  private keys = new Uint32Array(INITIAL_RING * 4);
  private sentAt = new Float64Array(INITIAL_RING);
  private answeredAt = new Float64Array(INITIAL_RING);
  private latency = new Float32Array(INITIAL_RING);
  private status = new Uint16Array(INITIAL_RING);
  private errorCode = new Uint16Array(INITIAL_RING);
  private flags = new Uint8Array(INITIAL_RING); // SEND_* bits + LIVE
  private readonly extras = new Map<number, [string | undefined, string | undefined]>();
  private readonly sends = new SortedQueue();
  private readonly answers = new SortedQueue();
  private readonly sendTime = (seq: number) => this.sentAt[seq & this.mask]!;
  private readonly answerTime = (seq: number) => this.answeredAt[seq & this.mask]!;
  private batch: EventBatch;
  /** Batches filled and not yet taken. */
  readonly ready: EventBatch[] = [];
  /** Batches the consumer handed back, to be filled again. */
  private readonly free: EventBatch[] = [];
  /** Requests that came after their time had been released (beyond the bound). */
  late = 0;
  /** Most requests held at once (for the memory figures). */
  peakHeld = 0;

  constructor(
    private readonly file: number,
    /** ms: how far back a request still to come may have been sent, relative to the latest answer seen. */
    public boundMs: number,
    private readonly capacity = BATCH_EVENTS,
  ) {
    this.batch = emptyBatch(file, capacity);
  }

  get held(): number {
    return this.answers.size;
  }

  add(r: WindowRecord): void {
    const seq = this.seq++;
    let slot = seq & this.mask;
    while ((this.flags[slot]! & LIVE) !== 0) {
      this.grow();
      slot = seq & this.mask;
    }
    const base = slot * 4;
    this.keys[base] = r.k0;
    this.keys[base + 1] = r.k1;
    this.keys[base + 2] = r.k2;
    this.keys[base + 3] = r.k3;
    this.sentAt[slot] = r.sentAt;
    this.answeredAt[slot] = r.answeredAt;
    this.latency[slot] = r.latency;
    this.status[slot] = r.status;
    this.errorCode[slot] = r.errorCode;
    let flags = LIVE | (r.duplicate ? SEND_DUPLICATE : 0);
    if (r.extraId !== undefined || r.sentId !== undefined) {
      flags |= SEND_EXTRA;
      this.extras.set(seq, [r.extraId, r.sentId]);
    }
    this.flags[slot] = flags;
    if (r.answeredAt > this.frontier) this.frontier = r.answeredAt;
    if (r.sentAt < this.released) {
      // Later than the bound allowed: released at once, in a batch of its own so that batches stay sorted.
      this.late++;
      this.ship(this.released);
      this.emitSend(seq);
      if (r.answeredAt < this.released) {
        this.emitAnswer(seq);
        return;
      }
    } else {
      this.sends.insert(seq, r.sentAt, this.sendTime);
    }
    this.answers.insert(seq, r.answeredAt, this.answerTime);
    if (this.answers.size > this.peakHeld) this.peakHeld = this.answers.size;
  }

  /** Release what the bound allows (everything when `final`); full batches go to `ready`, the last one too if final. */
  release(final: boolean): void {
    const until = final ? Number.POSITIVE_INFINITY : this.frontier - this.boundMs;
    if (until <= this.released) return;
    const { sends, answers } = this;
    while (sends.size > 0 && this.sendTime(sends.first()) < until) {
      this.emitSend(sends.first());
      sends.shift();
    }
    while (answers.size > 0 && this.answerTime(answers.first()) < until) {
      this.emitAnswer(answers.first());
      answers.shift();
    }
    this.released = until;
    this.batch.watermark = until;
    if (final) this.ship(until);
  }

  /** The batch being filled, shipped now (when it has events or is the last). */
  private ship(watermark: number): void {
    const batch = this.batch;
    if (batch.sends === 0 && batch.answers === 0 && watermark !== Number.POSITIVE_INFINITY) return;
    batch.watermark = watermark;
    this.ready.push(batch);
    this.batch = this.newBatch();
    this.batch.watermark = watermark;
  }

  /** A consumed batch back for reuse. */
  recycle(batch: EventBatch): void {
    if (batch.sendSeq.length === this.capacity && batch.sendSeq.byteLength > 0) this.free.push(batch);
  }

  private newBatch(): EventBatch {
    const reused = this.free.pop();
    return reused === undefined ? emptyBatch(this.file, this.capacity) : reuseBatch(reused, this.file);
  }

  /** Ship a full batch mid-release: its watermark is the earliest event not yet released. */
  private shipFull(): void {
    const send = this.sends.size > 0 ? this.sendTime(this.sends.first()) : Number.POSITIVE_INFINITY;
    const answer = this.answers.size > 0 ? this.answerTime(this.answers.first()) : Number.POSITIVE_INFINITY;
    const next = Math.min(send, answer);
    this.ship(next === Number.POSITIVE_INFINITY ? this.released : Math.max(this.released, next));
  }

  private emitSend(seq: number): void {
    if (this.batch.sends === this.capacity) this.shipFull();
    const b = this.batch;
    const i = b.sends++;
    const slot = seq & this.mask;
    const flags = this.flags[slot]!;
    b.sendSeq[i] = seq;
    b.sendAt[i] = this.sentAt[slot]!;
    b.sendFlags[i] = flags & (SEND_DUPLICATE | SEND_EXTRA);
    if ((flags & SEND_EXTRA) !== 0) {
      const [extraId, sentId] = this.extras.get(seq)!;
      this.extras.delete(seq);
      b.extras.push([i, extraId, sentId]);
      if (extraId !== undefined) return;
    }
    const base = slot * 4;
    const at = i * ID_BYTES;
    const ids = b.sendIds;
    hexWord(ids, at, this.keys[base]!, -1);
    hexWord(ids, at + 9, this.keys[base + 1]!, at + 13);
    hexWord(ids, at + 19, this.keys[base + 2]!, at + 23);
    hexWord(ids, at + 28, this.keys[base + 3]!, -1);
    ids[at + 8] = ids[at + 13] = ids[at + 18] = ids[at + 23] = 45; // -
  }

  private emitAnswer(seq: number): void {
    if (this.batch.answers === this.capacity) this.shipFull();
    const b = this.batch;
    const i = b.answers++;
    const slot = seq & this.mask;
    b.answerSeq[i] = seq;
    b.answerAt[i] = this.answeredAt[slot]!;
    b.answerSentAt[i] = this.sentAt[slot]!;
    b.latency[i] = this.latency[slot]!;
    b.status[i] = this.status[slot]!;
    b.errorCode[i] = this.errorCode[slot]!;
    this.flags[slot] = 0;
  }

  /** Double the ring (a request is held longer than the ring is long): live requests move to their new slots. */
  private grow(): void {
    const old = { mask: this.mask, keys: this.keys, sentAt: this.sentAt, answeredAt: this.answeredAt, latency: this.latency, status: this.status, errorCode: this.errorCode, flags: this.flags };
    const n = (this.mask + 1) * 2;
    this.mask = n - 1;
    this.keys = new Uint32Array(n * 4);
    this.sentAt = new Float64Array(n);
    this.answeredAt = new Float64Array(n);
    this.latency = new Float32Array(n);
    this.status = new Uint16Array(n);
    this.errorCode = new Uint16Array(n);
    this.flags = new Uint8Array(n);
    const q = this.answers;
    for (let k = q.head; k < q.tail; k++) {
      const seq = q.items[k]!;
      const from = seq & old.mask;
      const to = seq & this.mask;
      this.keys.set(old.keys.subarray(from * 4, from * 4 + 4), to * 4);
      this.sentAt[to] = old.sentAt[from]!;
      this.answeredAt[to] = old.answeredAt[from]!;
      this.latency[to] = old.latency[from]!;
      this.status[to] = old.status[from]!;
      this.errorCode[to] = old.errorCode[from]!;
      this.flags[to] = old.flags[from]!;
    }
  }
}

const LIVE = 128;
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Eight lower-case hex digits of `word` at `at`, stepping over the dash position `dashAt`. */
function hexWord(out: Uint8Array, at: number, word: number, dashAt: number): void {
  for (let n = 0, p = at; n < 8; n++, p++) {
    if (p === dashAt) p++;
    out[p] = HEX[(word >>> (28 - 4 * n)) & 15]!;
  }
}
