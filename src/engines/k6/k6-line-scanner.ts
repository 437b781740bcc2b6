// The targeted reader of one k6 `--out json` line: the few fields stampede needs, read in place from the line's bytes
// without building objects or strings, or a request to fall back to JSON.parse when the line is anything but plain.
//
// Contract (tested against JSON.parse on fixtures and hostile lines): scanLine() returns SCANNED only for a line that
// is valid JSON whose wanted fields are plain (ASCII strings without escapes, the expected types); `out` then reads
// exactly as pointFieldsOf(JSON.parse(line)) would. Anything else (escapes or non-ASCII in a wanted string or in any
// key, a wanted field of another type, invalid JSON, deep nesting) returns FALL_BACK and the caller parses the line
// with JSON.parse. Keys may come in any order and repeat (the last one wins, as in JSON.parse).

import { BAIL, ByteCursor, bytesOf, CLOSE_BRACE, COLON, COMMA, isDigit, MINUS, NINE, NULL, OPEN_BRACE, OPEN_BRACKET, QUOTE, ZERO } from './byte-cursor.ts';
import { parseK6Time } from './k6-output-format.ts';
import { FIELD_NAMES, latin1, METADATA_FIELDS, PointFields, TAG_FIELDS } from './point-fields.ts';


export const SCANNED = 1;
export const FALL_BACK = 0;

// Which object's keys the scanner is reading.
const AT_TOP = 0;
const AT_DATA = 1;
const AT_TAGS = 2;
const AT_METADATA = 3;

/** Envelope strings stampede compares against: kept as these constants instead of new strings. */
const KNOWN_STRINGS = ['Point', 'Metric', 'http_reqs', 'http_req_duration', 'dropped_iterations', 'stampede_run'];
const KNOWN_BYTES = KNOWN_STRINGS.map((s) => Buffer.from(s, 'latin1'));

/** The wanted keys' bytes (no two of a group share length and first byte). */
const FIELD_BYTES = FIELD_NAMES.map(bytesOf);

// The fixed parts of k6's layout.
const HEAD_METRIC = bytesOf('{"metric":"');
const HEAD_DATA = bytesOf(',"type":"Point","data":{"time":"');
const VALUE_KEY = bytesOf(',"value":');
const TAGS_KEY = bytesOf(',"tags":');
const METADATA_KEY = bytesOf(',"metadata":');
const CLOSE_TWO = bytesOf('}}');

/** Reads lines of one buffer in place. Reused for every line; scanning allocates nothing on k6's lines. */
export class LineScanner extends ByteCursor {
  // data.time: the last whole second seen (19 bytes) and zone, and its epoch ms.
  private readonly cachedSecond = new Uint8Array(19);
  private readonly cachedZone = new Uint8Array(6);
  private cachedZoneLength = 0;
  private cachedMs = Number.NaN;
  private fractionMs = 0; // ms, of the last time read
  /** The fields of the line being scanned. */
  private out = new PointFields();

  /**
   * Scan `bytes[start, end)` (one line, no newline) into `out`. SCANNED, or FALL_BACK (then `out` is unspecified).
   * `metric`: the caller has checked that the line starts with `{"metric":"` + this name + `"` (k6's layout).
   */
  scanLine(bytes: Uint8Array, start: number, end: number, out: PointFields, metric?: string): number {
    this.b = bytes;
    this.end = end;
    this.depth = 0;
    this.out = out;
    out.reset();
    out.bytes = bytes;
    try {
      // k6's own layout first, read straight through; anything else (or any surprise in it) takes the general path.
      this.i = start;
      if (this.canonical(out, metric)) return SCANNED;
      out.reset();
      this.i = start;
      this.depth = 0;
      this.ws();
      if (this.peek() !== OPEN_BRACE) return FALL_BACK;
      this.object(AT_TOP);
      this.ws();
      return this.i === end ? SCANNED : FALL_BACK;
    } catch (error) {
      if (error === BAIL) return FALL_BACK;
      throw error;
    }
  }

  /**
   * `{"metric":"NAME","type":"Point","data":{"time":"T","value":V,"tags":{…}|null,"metadata":{…}}}`, exactly as
   * k6 v1 writes it (no spaces, this key order, string-valued tags and metadata): true when the line is that and
   * was read whole; false to read it again with the general scanner (which also decides what is invalid).
   */
  private canonical(out: PointFields, metric: string | undefined): boolean {
    const b = this.b;
    if (metric !== undefined) {
      this.i += HEAD_METRIC.length + metric.length + 1;
      out.metric = metric;
    } else {
      if (!this.literal(HEAD_METRIC)) return false;
      const nameStart = this.i;
      const nameEnd = this.plainStringFrom(nameStart);
      if (nameEnd < 0) return false;
      out.metric = this.knownOr(nameStart, nameEnd);
    }
    if (!this.literal(HEAD_DATA)) return false;
    out.type = 'Point';
    out.hasData = true;
    this.i--; // back on the time's opening quote
    this.time(out);
    if (!this.literal(VALUE_KEY)) return false;
    const c = this.peek();
    if (!(c === MINUS || (c >= ZERO && c <= NINE))) return false;
    out.value = this.number();
    out.valueIsNumber = true;
    if (!this.literal(TAGS_KEY)) return false;
    if (this.literal(NULL)) {
      // no tags
    } else if (!this.pairs(TAG_FIELDS, out)) return false;
    if (this.literal(METADATA_KEY)) {
      out.hasMetadata = true;
      if (!this.pairs(METADATA_FIELDS, out)) return false;
    }
    if (!this.literal(CLOSE_TWO)) return false;
    return this.i === this.end && b[this.i - 1] === CLOSE_BRACE;
  }

  /** `{"k":"v",…}` with plain string keys and string values (the cursor on `{`); false on anything else. */
  private pairs(fields: readonly number[], out: PointFields): boolean {
    const b = this.b;
    if (b[this.i] !== OPEN_BRACE) return false;
    this.i++;
    if (b[this.i] === CLOSE_BRACE) {
      this.i++;
      return true;
    }
    for (;;) {
      if (b[this.i] !== QUOTE) return false;
      const k0 = this.i + 1;
      const k1 = this.plainStringFrom(k0);
      if (k1 < 0 || b[this.i] !== COLON || b[this.i + 1] !== QUOTE) return false;
      this.i++;
      const wanted = this.wantedKey(fields, k0, k1);
      const v0 = this.i + 1;
      if (wanted >= 0) {
        const v1 = this.plainStringFrom(v0);
        if (v1 < 0) return false;
        out.setSpan(wanted, v0, v1);
      } else {
        this.skipString();
      }
      const c = b[this.i];
      this.i++;
      if (c === COMMA) continue;
      return c === CLOSE_BRACE;
    }
  }

  /** Which of `fields` (tags or metadata) the key `b[k0, k1)` names, or -1; length and first byte pick the candidate. */
  private wantedKey(fields: readonly number[], k0: number, k1: number): number {
    const length = k1 - k0;
    const first = this.b[k0];
    for (let f = 0; f < 4; f++) {
      const k = fields[f]!;
      const name = FIELD_BYTES[k]!;
      if (name.length !== length || name[0] !== first) continue;
      const b = this.b;
      for (let i = 1; i < length; i++) if (b[k0 + i] !== name[i]) return -1;
      return k;
    }
    return -1;
  }

  /** The key `b[k0, k1)` is `name`. */
  private key(k0: number, k1: number, name: string): boolean {
    if (k1 - k0 !== name.length) return false;
    const b = this.b;
    for (let i = 0; i < name.length; i++) if (b[k0 + i] !== name.charCodeAt(i)) return false;
    return true;
  }

  /** The value of one member of an object read in context `at`: wanted ones are read, the rest validated and skipped. */
  protected override member(at: number, k0: number, k1: number): void {
    const out = this.out;
    const c = this.peek();
    const length = k1 - k0;
    const first = this.b[k0];
    if (at === AT_TOP) {
      if (length === 6 && this.key(k0, k1, 'metric')) return void (out.metric = this.envelopeString());
      if (length === 4 && first === 116 /* t */ && this.key(k0, k1, 'type')) return void (out.type = this.envelopeString());
      if (length === 4 && first === 100 /* d */ && this.key(k0, k1, 'data')) {
        out.resetData();
        if (c === OPEN_BRACE) {
          out.hasData = true;
          return this.object(AT_DATA);
        }
        if (c === OPEN_BRACKET) throw BAIL; // an array is an object to `typeof`: JSON.parse decides
        return this.skipValue();
      }
    } else if (at === AT_DATA) {
      if (length === 4 && first === 116 /* t */ && this.key(k0, k1, 'time')) {
        if (c !== QUOTE) {
          out.time = Number.NaN;
          return this.skipValue();
        }
        return this.time(out);
      }
      if (length === 5 && this.key(k0, k1, 'value')) {
        if (c === MINUS || (c >= ZERO && c <= NINE)) {
          out.value = this.number();
          out.valueIsNumber = true;
          return;
        }
        out.value = Number.NaN;
        out.valueIsNumber = false;
        return this.skipValue();
      }
      if (length === 4 && first === 116 /* t */ && this.key(k0, k1, 'tags')) {
        out.resetGroup(TAG_FIELDS);
        if (c === OPEN_BRACE) return this.object(AT_TAGS);
        if (c === OPEN_BRACKET) throw BAIL;
        return this.skipValue(); // null (e.g. vus) or a scalar: no tags
      }
      if (length === 8 && this.key(k0, k1, 'metadata')) {
        out.resetGroup(METADATA_FIELDS);
        out.hasMetadata = false;
        if (c === OPEN_BRACE) {
          out.hasMetadata = true;
          return this.object(AT_METADATA);
        }
        if (c === OPEN_BRACKET) throw BAIL;
        return this.skipValue();
      }
    } else if (at === AT_TAGS || at === AT_METADATA) {
      const fields = at === AT_TAGS ? TAG_FIELDS : METADATA_FIELDS;
      for (let f = 0; f < 4; f++) {
        const k = fields[f]!;
        if (this.key(k0, k1, FIELD_NAMES[k]!)) {
          if (c !== QUOTE) throw BAIL; // another type: JSON.parse decides
          const start = this.i + 1;
          const end = this.plainString();
          if (end < 0) throw BAIL;
          out.setSpan(k, start, end);
          return;
        }
      }
    }
    this.skipValue();
  }

  /** `type` or `metric`: a plain string, as one of the known constants when it is one. */
  private envelopeString(): string {
    if (this.peek() !== QUOTE) throw BAIL;
    const start = this.i + 1;
    const end = this.plainString();
    if (end < 0) throw BAIL;
    return this.knownOr(start, end);
  }

  /** The string `b[start, end)`: one of the known constants when it is one, else a new string. */
  private knownOr(start: number, end: number): string {
    const b = this.b;
    for (let s = 0; s < KNOWN_BYTES.length; s++) {
      const known = KNOWN_BYTES[s]!;
      if (known.length !== end - start) continue;
      let i = 0;
      while (i < known.length && b[start + i] === known[i]) i++;
      if (i === known.length) return KNOWN_STRINGS[s]!;
    }
    return latin1(b, start, end);
  }

  /** data.time: RFC 3339 with up to 9 fraction digits; the whole second is cached (consecutive samples share it). */
  private time(out: PointFields): void {
    const b = this.b;
    const start = this.i + 1;
    if (this.sameSecondAs(start)) {
      // The usual case: the second of the last line (its 19 bytes valid); only the fraction, the zone and the quote.
      const i = this.fraction(start + 19);
      if (i > 0 && this.sameZoneAs(i) && b[i + this.cachedZoneLength] === QUOTE) {
        this.i = i + this.cachedZoneLength + 1;
        out.time = this.cachedMs + this.fractionMs;
        return;
      }
    }
    const end = this.plainString();
    if (end < 0) throw BAIL; // escapes or non-ASCII: JSON.parse and parseK6Time decide
    out.time = Number.NaN;
    if (end - start < 20) return void (out.time = parseK6Time(latin1(b, start, end)));
    const i = this.fraction(start + 19);
    const zoneLength = end - i;
    if (i < 0 || (zoneLength !== 1 && zoneLength !== 6)) return; // malformed: NaN, as parseK6Time says
    if (!this.sameSecond(start, i, zoneLength)) {
      this.cachedSecond.set(b.subarray(start, start + 19));
      this.cachedZone.set(b.subarray(i, end));
      this.cachedZoneLength = zoneLength;
      this.cachedMs = parseK6Time(latin1(b, start, start + 19) + latin1(b, i, end));
    }
    out.time = this.cachedMs + this.fractionMs;
  }

  /**
   * An optional fraction at `at` ('.' and 1-9 digits) into fractionMs; returns where the zone starts, or -1 for a '.'
   * without digits. The ms are Number(`0.${digits}`) * 1000 as parseK6Time computes them: digits / 10^k is the same
   * correctly rounded quotient.
   */
  private fraction(at: number): number {
    this.fractionMs = 0;
    const b = this.b;
    if (b[at] !== 46) return at;
    let n = 0;
    let scale = 1;
    let i = at + 1;
    while (i < this.end && isDigit(b[i]!) && scale < 1e9) {
      n = n * 10 + (b[i]! - ZERO);
      scale *= 10;
      i++;
    }
    if (scale === 1) return -1;
    this.fractionMs = (n / scale) * 1000;
    return i;
  }

  /** The 19 bytes at `start` are the cached second (a quote right after them rules nothing out: checked later). */
  private sameSecondAs(start: number): boolean {
    if (this.cachedZoneLength === 0 || start + 20 > this.end) return false;
    const b = this.b;
    const cached = this.cachedSecond;
    for (let k = 18; k >= 0; k--) if (b[start + k] !== cached[k]) return false;
    return true;
  }

  private sameZoneAs(at: number): boolean {
    const length = this.cachedZoneLength;
    if (at + length >= this.end) return false;
    const b = this.b;
    for (let k = 0; k < length; k++) if (b[at + k] !== this.cachedZone[k]) return false;
    return true;
  }

  private sameSecond(start: number, zone: number, zoneLength: number): boolean {
    if (zoneLength !== this.cachedZoneLength) return false;
    const b = this.b;
    // The most significant digits change least: compare from the seconds backwards.
    for (let k = 18; k >= 0; k--) if (b[start + k] !== this.cachedSecond[k]) return false;
    for (let k = 0; k < zoneLength; k++) if (b[zone + k] !== this.cachedZone[k]) return false;
    return true;
  }
}
