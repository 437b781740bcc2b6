// What the targeted line reader takes out of one k6 envelope line: the envelope, time and value, and the tag and
// metadata values stampede needs, each either a span of the line's bytes (read in place, no string) or a value
// JSON.parse gave. pointFieldsOf() is the reference: the scanner's reading must be exactly what it gives.

import { parseUuid as parseUuidText } from '../../ledger/uuid-key.ts';
import { parseK6Time } from './k6-output-format.ts';

/** The tag and metadata values stampede reads, by index. */
export const STATUS = 0;
export const ERROR_CODE = 1;
export const URL_TAG = 2;
export const TIMEOUT_MS = 3;
export const PROFILE_ID = 4;
export const ATTEMPT = 5;
export const REQUEST_ID = 6;
export const SENT_AT = 7;
const FIELDS = 8;
export const TAG_FIELDS = [STATUS, ERROR_CODE, URL_TAG, TIMEOUT_MS];
export const METADATA_FIELDS = [PROFILE_ID, ATTEMPT, REQUEST_ID, SENT_AT];
export const FIELD_NAMES = ['status', 'error_code', 'url', 'timeout_ms', 'profile_id', 'attempt', 'request_id', 'sent_at'];

// How a field is held: absent, a span of plain ASCII bytes of `bytes`, or a value JSON.parse gave (any type).
const ABSENT = 0;
const SPAN = 1;
const VALUE = 2;

const EMPTY = new Uint8Array(0);
const ZERO = 48;
const NINE = 57;
const MINUS = 45;

/** What stampede reads from one envelope line. Read the tag and metadata values through the accessors. */
export class PointFields {
  /** The envelope's `type` and `metric` (any JSON type; strings for k6 lines). */
  type: unknown;
  metric: unknown;
  /** `data` was present and a non-null object. */
  hasData = false;
  /** ms since the epoch, sub-ms kept; NaN when absent or malformed. */
  time = Number.NaN;
  /** data.value when it is a number (valueIsNumber), else NaN. */
  value = Number.NaN;
  valueIsNumber = false;
  /** data.metadata was a non-null object (arrays included, as `typeof` says). */
  hasMetadata = false;
  bytes: Uint8Array = EMPTY;
  private readonly kinds = new Uint8Array(FIELDS);
  private readonly spans = new Int32Array(FIELDS * 2);
  private readonly values: unknown[] = new Array<unknown>(FIELDS).fill(undefined);

  reset(): void {
    this.type = undefined;
    this.metric = undefined;
    this.resetData();
  }

  resetData(): void {
    this.hasData = false;
    this.time = Number.NaN;
    this.value = Number.NaN;
    this.valueIsNumber = false;
    this.resetGroup(TAG_FIELDS);
    this.resetGroup(METADATA_FIELDS);
    this.hasMetadata = false;
  }

  resetGroup(fields: readonly number[]): void {
    for (const k of fields) this.kinds[k] = ABSENT;
  }

  setSpan(k: number, start: number, end: number): void {
    this.kinds[k] = SPAN;
    this.spans[2 * k] = start;
    this.spans[2 * k + 1] = end;
  }

  setValue(k: number, value: unknown): void {
    this.kinds[k] = value === undefined ? ABSENT : VALUE;
    this.values[k] = value;
  }

  /** The value as JSON.parse would give it (a string for spans; undefined when absent). */
  get(k: number): unknown {
    const kind = this.kinds[k]!;
    if (kind === SPAN) return latin1(this.bytes, this.spans[2 * k]!, this.spans[2 * k + 1]!);
    return kind === VALUE ? this.values[k] : undefined;
  }

  has(k: number): boolean {
    return this.kinds[k] !== ABSENT;
  }

  /** Number(value), as the old reader computed it (undefined → NaN), without a string for plain digits. */
  number(k: number): number {
    if (this.kinds[k] === SPAN) {
      const digits = digitsValue(this.bytes, this.spans[2 * k]!, this.spans[2 * k + 1]!);
      if (digits >= 0) return digits;
    }
    return Number(this.get(k));
  }

  /** The value is a string of at least one character. */
  isNonEmptyString(k: number): boolean {
    const kind = this.kinds[k]!;
    if (kind === SPAN) return this.spans[2 * k + 1]! > this.spans[2 * k]!;
    return kind === VALUE && typeof this.values[k] === 'string' && this.values[k] !== '';
  }

  /** The value is exactly the ASCII string `text`. */
  is(k: number, text: string): boolean {
    const kind = this.kinds[k]!;
    if (kind === VALUE) return this.values[k] === text;
    if (kind !== SPAN) return false;
    const start = this.spans[2 * k]!;
    if (this.spans[2 * k + 1]! - start !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (this.bytes[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /**
   * The field as a UUID's four words into `out`: 0 when it is not a UUID in 8-4-4-4-12 hex, 1 when it is one in lower
   * case, 2 when it has upper-case digits. Reads span bytes in place (no string).
   */
  uuid(k: number, out: Uint32Array): number {
    if (this.kinds[k] !== SPAN) {
      const value = this.get(k);
      return typeof value === 'string' && parseUuidText(value, out) ? (/[A-F]/.test(value) ? 2 : 1) : 0;
    }
    const start = this.spans[2 * k]!;
    if (this.spans[2 * k + 1]! - start !== 36) return 0;
    const b = this.bytes;
    let word = 0;
    let nibbles = 0;
    let w = 0;
    let upper = false;
    for (let i = 0; i < 36; i++) {
      const c = b[start + i]!;
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (c !== MINUS) return 0;
        continue;
      }
      let v: number;
      if (c >= ZERO && c <= NINE) v = c - ZERO;
      else if (c >= 97 && c <= 102) v = c - 87;
      else if (c >= 65 && c <= 70) {
        v = c - 55;
        upper = true;
      } else return 0;
      word = (word << 4) | v;
      if (++nibbles === 8) {
        out[w++] = word;
        word = 0;
        nibbles = 0;
      }
    }
    return upper ? 2 : 1;
  }

  /** The field and `other`'s field `k` hold the same string (spans compared byte for byte). */
  sameAs(k: number, other: { bytes: Uint8Array; length: number }): boolean {
    if (this.kinds[k] !== SPAN) return false;
    const start = this.spans[2 * k]!;
    const length = this.spans[2 * k + 1]! - start;
    if (length !== other.length) return false;
    const b = this.bytes;
    for (let i = 0; i < length; i++) if (b[start + i] !== other.bytes[i]) return false;
    return true;
  }

  /** Copy the span of field `k` into `into` (its length, or -1 when not a span or longer than `into`). */
  copySpan(k: number, into: Uint8Array): number {
    if (this.kinds[k] !== SPAN) return -1;
    const start = this.spans[2 * k]!;
    const length = this.spans[2 * k + 1]! - start;
    if (length > into.length) return -1;
    for (let i = 0; i < length; i++) into[i] = this.bytes[start + i]!;
    return length;
  }

  /** Every field as JSON.parse would give it (tests compare the two paths with this). */
  view(): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type, metric: this.metric, hasData: this.hasData, time: this.time, value: this.value, valueIsNumber: this.valueIsNumber, hasMetadata: this.hasMetadata };
    for (let k = 0; k < FIELDS; k++) out[FIELD_NAMES[k]!] = this.get(k);
    return out;
  }
}

/** The reference semantics: the fields of an envelope parsed by JSON.parse (the slow path uses exactly this). */
export function pointFieldsOf(value: unknown, out: PointFields): void {
  out.reset();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const envelope = value as Record<string, unknown>;
  out.type = envelope.type;
  out.metric = envelope.metric;
  const data = envelope.data;
  if (typeof data !== 'object' || data === null) return;
  out.hasData = true;
  const d = data as Record<string, unknown>;
  out.time = typeof d.time === 'string' ? parseK6Time(d.time) : Number.NaN;
  out.valueIsNumber = typeof d.value === 'number';
  out.value = out.valueIsNumber ? (d.value as number) : Number.NaN;
  if (typeof d.tags === 'object' && d.tags !== null) for (const k of TAG_FIELDS) out.setValue(k, own(d.tags as Record<string, unknown>, FIELD_NAMES[k]!));
  if (typeof d.metadata === 'object' && d.metadata !== null) {
    out.hasMetadata = true;
    for (const k of METADATA_FIELDS) out.setValue(k, own(d.metadata as Record<string, unknown>, FIELD_NAMES[k]!));
  }
}

/** A property of a parsed object, own only (JSON.parse makes no inherited ones, but arrays have `length`). */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** A string of one char per byte (plain ASCII spans, or bytes headed for JSON.parse's error path). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** The value of 1-15 ASCII digits, or -1 when the span is anything else (then Number() of its text decides). */
function digitsValue(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}
