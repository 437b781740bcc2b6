// One input file's samples → finished requests for its TimeWindow: each http_reqs Point with stampede's metadata is a
// request, its http_req_duration Point (same request_id, normally the next line) gives the latency; the rest is
// counted in the file's summary (unledgered requests by status, dropped iterations).

import { canonicalId } from '../../contract/canonical-id.ts';
import { K6_DEFAULTS } from '../../defaults.ts';
import { K6OutputError } from '../../errors.ts';
import { HTTP_REQS } from './k6-output-format.ts';
import { ATTEMPT, ERROR_CODE, PROFILE_ID, REQUEST_ID, SENT_AT, STATUS, TIMEOUT_MS, URL_TAG, type PointFields } from './point-fields.ts';
import { M_DROPPED, M_DURATION, M_RUN, type K6ScanResult, type MetricCode } from './k6-output-reader.ts';
import type { WindowRecord } from './time-window.ts';

/** Where finished requests go (a TimeWindow, or a search for a few IDs); `boundMs` is set from the declared timeout. */
export interface RecordSink {
  add(record: WindowRecord): void;
  boundMs: number;
}

/** What one input file held, for the result document's config and phases. */
export interface InputSummary {
  file: string;
  lines: number;
  /** Bytes after decompression. */
  bytes: number;
  /** http_reqs Points. */
  requests: number;
  /** Requests with stampede's metadata (profile_id, attempt first|duplicate): judged in the ledger. */
  ledgered: number;
  /** Requests without it (setup(), other scripts, smoke's malformed bodies): counted here only, by status. */
  unledgered: { requests: number; byStatus: Record<string, number> };
  /** Iterations an arrival-rate executor could not start (not enough VUs): load that was planned and never sent. */
  droppedIterations: number;
  truncatedLastLine: boolean;
  /** ms since the epoch, over ledgered requests; undefined when there were none. */
  firstSentAt: number | undefined;
  lastAnsweredAt: number | undefined;
  /** Origin of the requests when the `url` tag holds one (it does not when the script sets a `name` tag). */
  origin: string | undefined;
  /** The request timeout the scripts declared (stampede_run), ms; undefined: not declared (k6's default assumed). */
  declaredTimeoutMs: number | undefined;
  /** Requests that came later in the file than the merge's bound allowed (judged out of time order). */
  late: number;
  /** Most requests the file's window held at once. */
  peakHeld: number;
}

interface Pending extends WindowRecord {
  key: unknown;
}

const KEY = new Uint32Array(4);
/** request_id texts longer than this pair through strings (the scripts' are `vu:iteration`, ~10 bytes). */
const MAX_KEY_BYTES = 64;

export class RecordBuilder {
  readonly summary: InputSummary;
  /**
   * The usual case, without allocating: the http_reqs Point just read, waiting for its http_req_duration on the
   * next line; its request_id kept as bytes. `hasLast`: the slot holds such a request.
   */
  private readonly last: Pending = { key: undefined, k0: 0, k1: 0, k2: 0, k3: 0, extraId: undefined, sentId: undefined, duplicate: false, sentAt: 0, answeredAt: 0, latency: 0, status: 0, errorCode: 0 };
  private hasLast = false;
  private readonly lastKey = { bytes: new Uint8Array(MAX_KEY_BYTES), length: -1 };
  // Any other order (bounded: a file lacking one of the two samples must not grow them without end).
  private readonly waitingForDuration = new Map<unknown, Pending>();
  private readonly waitingForRequest = new Map<unknown, number>(); // key → http_req_duration (ms)

  constructor(
    private readonly path: string,
    private readonly window: RecordSink,
  ) {
    this.summary = emptySummary(path);
  }

  readonly onPoint = (metric: MetricCode, f: PointFields, line: number): void => {
    if (metric === M_DROPPED) {
      this.summary.droppedIterations += f.value;
      return;
    }
    if (metric === M_RUN) {
      const timeout = f.number(TIMEOUT_MS);
      if (Number.isFinite(timeout) && timeout > 0) {
        const declared = Math.max(timeout, this.summary.declaredTimeoutMs ?? 0);
        this.summary.declaredTimeoutMs = declared;
        this.window.boundMs = declared + K6_DEFAULTS.mergeDisorderMs;
      }
      return;
    }
    const ledgered = f.hasMetadata && f.isNonEmptyString(PROFILE_ID) && (f.is(ATTEMPT, 'first') || f.is(ATTEMPT, 'duplicate'));
    if (metric === M_DURATION) {
      if (ledgered) this.duration(f);
      return;
    }
    this.request(f, ledgered, line);
  };

  private duration(f: PointFields): void {
    if (this.hasLast && (this.lastKey.length >= 0 ? f.sameAs(REQUEST_ID, this.lastKey) : this.last.key === pairingKey(f))) {
      this.hasLast = false;
      this.last.latency = f.value;
      this.finish(this.last);
      return;
    }
    const key = pairingKey(f);
    if (this.hasLast && this.lastKey.length >= 0 && this.keyOfLast() === key) {
      // the same request_id, written differently (escapes): still this request
      this.hasLast = false;
      this.last.latency = f.value;
      this.finish(this.last);
      return;
    }
    const waiting = this.waitingForDuration.get(key);
    if (waiting !== undefined) {
      this.waitingForDuration.delete(key);
      waiting.latency = f.value;
      this.finish(waiting);
      return;
    }
    if (this.waitingForRequest.size >= K6_DEFAULTS.maxUnpaired) this.waitingForRequest.delete(this.waitingForRequest.keys().next().value);
    this.waitingForRequest.set(key, f.value);
  }

  private request(f: PointFields, ledgered: boolean, line: number): void {
    const s = this.summary;
    s.requests++;
    const status = f.number(STATUS);
    if (!f.has(STATUS) || !Number.isInteger(status) || status < 0 || status > 999) {
      throw new K6OutputError(this.path, `an ${HTTP_REQS} Point without a numeric status tag (got ${JSON.stringify(f.get(STATUS))}); keep the status system tag (do not drop it with --system-tags)`, line);
    }
    if (!ledgered) {
      s.unledgered.requests++;
      s.unledgered.byStatus[String(status)] = (s.unledgered.byStatus[String(status)] ?? 0) + 1;
      return;
    }
    s.ledgered++;
    if (s.origin === undefined && f.has(URL_TAG)) s.origin = originOf(f.get(URL_TAG));
    if (this.hasLast) this.park(this.keyOfLast());
    const record = this.last;
    const sentAt = f.number(SENT_AT);
    record.duplicate = f.is(ATTEMPT, 'duplicate');
    // Date.now() just before the request (whole ms, so never later than the truth); clamped to the end time.
    record.sentAt = f.has(SENT_AT) && Number.isFinite(sentAt) ? Math.min(sentAt, f.time) : Number.NaN;
    record.answeredAt = f.time;
    record.latency = Number.NaN;
    record.status = status;
    record.errorCode = status === 0 ? errorCodeOf(f) : 0;
    record.extraId = undefined;
    record.sentId = undefined;
    const uuid = f.uuid(PROFILE_ID, KEY);
    if (uuid !== 0) {
      record.k0 = KEY[0]!;
      record.k1 = KEY[1]!;
      record.k2 = KEY[2]!;
      record.k3 = KEY[3]!;
      if (uuid === 2) record.sentId = copy(f.get(PROFILE_ID) as string);
    } else {
      const id = copy(f.get(PROFILE_ID) as string);
      record.extraId = canonicalId(id);
      if (record.extraId !== id) record.sentId = id;
    }
    // The pairing key: request_id's bytes when it has plain ones (no string), else its value (or ID@time).
    this.lastKey.length = f.copySpan(REQUEST_ID, this.lastKey.bytes);
    record.key = this.lastKey.length >= 0 ? undefined : pairingKey(f);
    if (this.waitingForRequest.size > 0) {
      const key = this.keyOfLast();
      const waiting = this.waitingForRequest.get(key);
      if (waiting !== undefined) {
        this.waitingForRequest.delete(key);
        record.latency = waiting;
        this.finish(record);
        return;
      }
    }
    this.hasLast = true;
  }

  /** The last request's pairing key as a value (a string for request_id bytes). */
  private keyOfLast(): unknown {
    if (this.lastKey.length < 0) return this.last.key;
    return Buffer.from(this.lastKey.bytes.buffer, 0, this.lastKey.length).toString('latin1');
  }

  /** The last request did not get its duration on the next line: a copy goes into the map, bounded (the oldest is given up). */
  private park(key: unknown): void {
    this.hasLast = false;
    if (this.waitingForDuration.size >= K6_DEFAULTS.maxUnpaired) {
      const [oldestKey, oldest] = this.waitingForDuration.entries().next().value as [unknown, Pending];
      this.waitingForDuration.delete(oldestKey);
      this.finish(oldest);
    }
    this.waitingForDuration.set(key, { ...this.last, key });
  }

  /** Without sent_at metadata: the end minus the duration (blocked/connect time excluded), else the end itself. */
  private finish(record: Pending): void {
    if (Number.isNaN(record.sentAt)) record.sentAt = record.answeredAt - (Number.isNaN(record.latency) ? 0 : record.latency);
    const s = this.summary;
    if (s.firstSentAt === undefined || record.sentAt < s.firstSentAt) s.firstSentAt = record.sentAt;
    if (s.lastAnsweredAt === undefined || record.answeredAt > s.lastAnsweredAt) s.lastAnsweredAt = record.answeredAt;
    this.window.add(record);
  }

  /** The end of the file: requests still waiting for their duration are finished without it; the file's checks. */
  end(scan: K6ScanResult): InputSummary {
    if (this.hasLast) this.finish(this.last);
    this.hasLast = false;
    for (const record of this.waitingForDuration.values()) this.finish(record);
    this.waitingForDuration.clear();
    const s = this.summary;
    s.lines = scan.lines;
    s.bytes = scan.bytes;
    s.truncatedLastLine = scan.truncatedLastLine;
    if (s.requests === 0) {
      throw new K6OutputError(this.path, `no ${HTTP_REQS} Points in ${scan.lines} line(s): k6 sent no HTTP request (did the script fail in setup, or is this the output of another run?)`);
    }
    return s;
  }
}

/** The summary of a file before anything is read (the merge also uses it for a file whose reading was interrupted). */
export function emptySummary(file: string): InputSummary {
  return {
    file,
    lines: 0,
    bytes: 0,
    requests: 0,
    ledgered: 0,
    unledgered: { requests: 0, byStatus: {} },
    droppedIterations: 0,
    truncatedLastLine: false,
    firstSentAt: undefined,
    lastAnsweredAt: undefined,
    origin: undefined,
    declaredTimeoutMs: undefined,
    late: 0,
    peakHeld: 0,
  };
}

/** request_id is unique per request within one k6 instance (the scripts' contract); else the ID and end time. */
function pairingKey(f: PointFields): unknown {
  return f.get(REQUEST_ID) ?? `${f.get(PROFILE_ID) as string}@${f.time}`;
}

/** `Number(tags.error_code ?? 0) || 0`, as the old reader computed it. */
function errorCodeOf(f: PointFields): number {
  if (!f.has(ERROR_CODE)) return 0;
  const value = f.get(ERROR_CODE);
  return Number(value ?? 0) || 0;
}

/** A flat copy: a substring of the chunk's text would keep the whole chunk alive while the request is held. */
function copy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
