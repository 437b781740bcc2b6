// Compact per-request records of one or more k6 output files (~43 bytes each, typed arrays), to be replayed in time
// order into the ledger: the ID packed as 4 × uint32, send and answer times, latency, status, error code, kind, file.

import { canonicalId } from '../../contract/canonical-id.ts';
import { resized } from '../../ledger/typed-arrays.ts';
import { formatUuid, parseUuid } from '../../ledger/uuid-key.ts';

const KIND_DUPLICATE = 1; // the metadata said attempt=duplicate (else first)
const KIND_FALLBACK = 2; // the ID is not a UUID: its text lives in `fallbackIds`
const PAGE = 4096; // records

const KEY = new Uint32Array(4);
const UPPER_HEX = /[A-F]/;

export interface RequestRecord {
  /** The profile ID as sent (any case). */
  id: string;
  duplicate: boolean;
  /** ms since the epoch: just before the request left (metadata sent_at), or end − duration when absent. */
  sentAt: number;
  /** ms since the epoch: when k6 finished the request (the sample's data.time). */
  answeredAt: number;
  /** http_req_duration, ms; NaN until its sample is seen. */
  latency: number;
  /** 0: no answer. */
  status: number;
  /** k6's error_code tag for status 0, else 0. */
  errorCode: number;
  file: number;
}

export class RequestTable {
  private capacity = 0;
  size = 0;
  private keys = new Uint32Array(0);
  sentAt = new Float64Array(0); // ms since epoch
  answeredAt = new Float64Array(0); // ms since epoch
  latency = new Float32Array(0); // ms, NaN: unknown
  status = new Uint16Array(0);
  errorCode = new Uint16Array(0);
  private kind = new Uint8Array(0);
  file = new Uint16Array(0);
  /** IDs that are not UUIDs (should not happen), and spellings that differ from the canonical ID (upper case). */
  private readonly fallbackIds = new Map<number, string>();
  private readonly variants = new Map<number, string>();

  add(record: RequestRecord): number {
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    let kind = record.duplicate ? KIND_DUPLICATE : 0;
    if (parseUuid(record.id, KEY)) {
      this.keys.set(KEY, i * 4);
      if (UPPER_HEX.test(record.id)) this.variants.set(i, record.id);
    } else {
      kind |= KIND_FALLBACK;
      this.fallbackIds.set(i, canonicalId(record.id));
      if (canonicalId(record.id) !== record.id) this.variants.set(i, record.id);
    }
    this.kind[i] = kind;
    this.sentAt[i] = record.sentAt;
    this.answeredAt[i] = record.answeredAt;
    this.latency[i] = record.latency;
    this.status[i] = record.status;
    this.errorCode[i] = record.errorCode;
    this.file[i] = record.file;
    return i;
  }

  /** The canonical (lower-case) ID of record i. */
  idOf(i: number): string {
    if ((this.kind[i]! & KIND_FALLBACK) !== 0) return this.fallbackIds.get(i)!;
    const base = i * 4;
    return formatUuid(this.keys[base]!, this.keys[base + 1]!, this.keys[base + 2]!, this.keys[base + 3]!);
  }

  /** The spelling sent when it differs from the canonical ID. */
  sentIdOf(i: number): string | undefined {
    return this.variants.size === 0 ? undefined : this.variants.get(i);
  }

  isDuplicate(i: number): boolean {
    return (this.kind[i]! & KIND_DUPLICATE) !== 0;
  }

  /** Records whose canonical ID is one of `ids` (one pass; for the few violation examples). */
  recordsOf(ids: readonly string[]): Map<string, number[]> {
    const found = new Map<string, number[]>(ids.map((id) => [id, []]));
    const words = ids.map((id) => (parseUuid(id, KEY) ? KEY[0]! : -1));
    for (let i = 0; i < this.size; i++) {
      const fallback = (this.kind[i]! & KIND_FALLBACK) !== 0;
      const first = this.keys[i * 4]!;
      for (let k = 0; k < ids.length; k++) {
        if ((fallback || words[k] === first) && this.idOf(i) === ids[k]) found.get(ids[k]!)!.push(i);
      }
    }
    return found;
  }

  /** Bytes of the typed arrays (the side maps hold only non-UUID IDs and case variants). */
  memoryBytes(): number {
    return [this.keys, this.sentAt, this.answeredAt, this.latency, this.status, this.errorCode, this.kind, this.file].reduce((sum, a) => sum + a.byteLength, 0);
  }

  /** Grow by half (in pages): at most 1.5× slack. */
  private grow(): void {
    const n = Math.max(this.capacity + PAGE, Math.ceil((this.capacity * 1.5) / PAGE) * PAGE);
    this.keys = resized(this.keys, n * 4);
    this.sentAt = resized(this.sentAt, n);
    this.answeredAt = resized(this.answeredAt, n);
    this.latency = resized(this.latency, n);
    this.status = resized(this.status, n);
    this.errorCode = resized(this.errorCode, n);
    this.kind = resized(this.kind, n);
    this.file = resized(this.file, n);
    this.capacity = n;
  }
}
