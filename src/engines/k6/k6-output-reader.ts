// Streams one k6 `--out json` file (plain or gzip) and hands the samples stampede needs to a callback, reading each
// line as little as it can: a line in k6's own layout (`{"metric":"NAME",…`) of a metric stampede does not read is
// skipped on its first ~20 characters; the needed lines go through the targeted scanner (k6-line-scanner.ts), and only
// lines it cannot read in place through JSON.parse. Nothing but the current chunk (and one partial line) is held.

import { K6OutputError } from '../../errors.ts';
import { openK6Input } from './k6-input.ts';
import { DROPPED_ITERATIONS, HTTP_REQ_DURATION, HTTP_REQS, STAMPEDE_RUN } from './k6-output-format.ts';
import { LineScanner, SCANNED } from './k6-line-scanner.ts';
import { pointFieldsOf, PointFields } from './point-fields.ts';

/** Which sample a callback gets. */
export const M_REQS = 1;
export const M_DURATION = 2;
export const M_DROPPED = 3;
export const M_RUN = 4;
export type MetricCode = typeof M_REQS | typeof M_DURATION | typeof M_DROPPED | typeof M_RUN;

/** Called for each needed Point in file order; `fields` is reused for the next line (copy what you keep). */
export type OnPoint = (metric: MetricCode, fields: PointFields, line: number) => void;

export interface K6ScanResult {
  /** Lines read (empty ones included). */
  lines: number;
  /** Bytes read after decompression. */
  bytes: number;
  /** The last line was cut short (k6 killed mid-write) and ignored. */
  truncatedLastLine: boolean;
}

export interface ScanOptions {
  /** Called after each chunk (~256 KiB): a promise pauses the reading until it settles (backpressure). */
  onChunk?: () => void | Promise<void>;
}

/** A single line longer than this is not k6 output (k6 lines are a few hundred bytes). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 10;
/** Chunks (256 KiB each) read between two turns of the event loop: ~4 MB, a few ms. */
const YIELD_EVERY_CHUNKS = 16;

const CANONICAL_PREFIX = 'metric":"'; // after `{"`: k6 v1 writes "metric" first (easyjson field order)
const NAME_START = 11; // `{"metric":"` is 11 characters

/** Read `path` through, calling `onPoint` for each needed Point in file order. Throws K6OutputError on bad input. */
export async function scanK6Output(path: string, onPoint: OnPoint, options: ScanOptions = {}): Promise<K6ScanResult> {
  const input = await openK6Input(path);
  const reader = new LineReader(path, onPoint);
  let pending: Buffer | undefined; // the start of a line whose end is in a later chunk (a copy: chunks are reused)
  let chunks = 0;
  try {
    for (;;) {
      let chunk: Buffer | undefined;
      try {
        chunk = await input.next();
      } catch (error) {
        throw new K6OutputError(path, `cannot be read to the end (${(error as Error).message}); a .gz file may be corrupt`, reader.lines + 1);
      }
      if (chunk === undefined) break;
      reader.bytes += chunk.length;
      let from = 0;
      if (pending !== undefined) {
        const nl = chunk.indexOf(NEWLINE);
        if (nl < 0) {
          pending = Buffer.concat([pending, chunk]);
          if (pending.length > MAX_LINE_BYTES) throw new K6OutputError(path, `a line longer than ${MAX_LINE_BYTES} bytes: not k6 --out json output`, reader.lines + 1);
          continue;
        }
        const joined = Buffer.concat([pending, chunk.subarray(0, nl + 1)]);
        reader.lines_(joined, 0, joined.length);
        pending = undefined;
        from = nl + 1;
      }
      const last = chunk.lastIndexOf(NEWLINE);
      if (last >= from) {
        reader.lines_(chunk, from, last + 1);
        from = last + 1;
      }
      if (from < chunk.length) pending = Buffer.from(chunk.subarray(from));
      reader.endChunk();
      if (options.onChunk !== undefined) {
        const paused = options.onChunk();
        if (paused !== undefined) await paused;
      }
      // Reading is synchronous (k6-input.ts): let timers, signals (Ctrl-C) and messages through now and then.
      if (++chunks % YIELD_EVERY_CHUNKS === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (pending !== undefined && !input.cutShort) {
      const last = Buffer.concat([pending, Buffer.from('\n')]);
      reader.lines_(last, 0, last.length);
    }
  } finally {
    await input.close();
  }
  return reader.finish(input.cutShort);
}

/** Line splitting, the fast skip, the scanner and its fallback, and the checks of the old reader. */
class LineReader {
  lines = 0;
  bytes = 0;
  private seenFirst = false;
  /** A line that is not JSON is an error unless it is the last one (k6 killed mid-write): held until the next line. */
  private unparsable: number | undefined;
  /** The last non-empty line when it was skipped unread (checked at the end: cut short by a kill?): its bytes, where. */
  private skipped: Buffer | undefined;
  private skippedStart = 0;
  private skippedEnd = 0;
  private readonly scanner = new LineScanner();
  private readonly fields = new PointFields();

  constructor(
    private readonly path: string,
    private readonly onPoint: OnPoint,
  ) {}

  /** Every line of `buf[from, to)`, which ends with a newline. Lines stay bytes until one is needed. */
  lines_(buf: Buffer, from: number, to: number): void {
    let p = from;
    while (p < to) {
      const nl = buf.indexOf(NEWLINE, p);
      let e = nl;
      if (e > p && buf[e - 1] === 13) e--; // CRLF
      this.lines++;
      if (e > p) this.line(buf, p, e);
      p = nl + 1;
    }
  }

  private line(buf: Buffer, p: number, e: number): void {
    const canonical = this.seenFirst && isCanonical(buf, p, e);
    if (!canonical && isBlank(buf, p, e)) return;
    if (this.unparsable !== undefined) throw new K6OutputError(this.path, 'not JSON (each line of k6 --out json output is one JSON object)', this.unparsable);
    const needed = canonical ? neededMetricAt(buf, p + NAME_START) : 0;
    if (canonical && needed === 0) {
      // k6's own layout, a metric stampede does not read: skipped unread, but a line k6 wrote whole ends with }.
      if (buf[e - 1] !== 125) {
        this.unparsable = this.lines;
        return;
      }
      this.skipped = buf;
      this.skippedStart = p;
      this.skippedEnd = e;
      return;
    }
    this.skipped = undefined;
    const first = !this.seenFirst;
    this.seenFirst = true;
    const fields = this.fields;
    if (first || this.scanner.scanLine(buf, p, e, fields, needed === 0 ? undefined : METRIC_NAMES[needed]) !== SCANNED) {
      let value: unknown;
      try {
        value = JSON.parse(buf.toString('utf8', p, e));
      } catch {
        if (first) throw new K6OutputError(this.path, notK6('the first line is not JSON'), this.lines);
        this.unparsable = this.lines;
        return;
      }
      pointFieldsOf(value, fields);
    }
    this.envelope(fields, first);
  }

  /** The old reader's checks on an envelope; the Point of a needed metric goes to the callback. */
  private envelope(fields: PointFields, first: boolean): void {
    const known = (fields.type === 'Metric' || fields.type === 'Point') && typeof fields.metric === 'string';
    if (!known) {
      if (first) throw new K6OutputError(this.path, notK6('the first line is not a {"type":"Metric"|"Point","metric":…,"data":…} object'), this.lines);
      return; // some other JSON line: not a sample
    }
    if (fields.type !== 'Point') return;
    const metric = metricCode(fields.metric as string);
    if (metric === 0) return;
    if (!fields.hasData || Number.isNaN(fields.time) || !fields.valueIsNumber) {
      throw new K6OutputError(this.path, `a ${fields.metric as string} Point without a valid data.time (RFC 3339) and numeric data.value`, this.lines);
    }
    this.onPoint(metric, fields, this.lines);
  }

  /** The chunk's bytes are about to be reused: keep a copy of the last skipped line (checked at the end). */
  endChunk(): void {
    if (this.skipped === undefined) return;
    this.skipped = Buffer.from(this.skipped.subarray(this.skippedStart, this.skippedEnd));
    this.skippedStart = 0;
    this.skippedEnd = this.skipped.length;
  }

  /** `cutShort`: a .gz file ended without its trailer; its last (partial) line was dropped. */
  finish(cutShort: boolean): K6ScanResult {
    if (!this.seenFirst) throw new K6OutputError(this.path, notK6('the file is empty'));
    return { lines: this.lines, bytes: this.bytes, truncatedLastLine: cutShort || this.unparsable !== undefined || (this.skipped !== undefined && !isJson(this.skipped.toString('utf8', this.skippedStart, this.skippedEnd))) };
  }
}

const PREFIX = Buffer.from(`{"${CANONICAL_PREFIX}`, 'latin1'); // {"metric":"
const METRIC_NAMES = ['', HTTP_REQS, HTTP_REQ_DURATION, DROPPED_ITERATIONS, STAMPEDE_RUN];

/** The line starts with `{"metric":"` (k6's own layout). */
function isCanonical(buf: Buffer, p: number, e: number): boolean {
  if (e - p < NAME_START + 2) return false;
  for (let i = 0; i < NAME_START; i++) if (buf[p + i] !== PREFIX[i]) return false;
  return true;
}

/** `name` followed by a quote at `at`. */
function nameAt(buf: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (buf[at + i] !== name.charCodeAt(i)) return false;
  return buf[at + name.length] === 34;
}

/** The needed metric whose name (and closing quote) starts at `at` of a canonical line, or 0. */
function neededMetricAt(buf: Buffer, at: number): MetricCode | 0 {
  const c = buf[at];
  // Most lines are other metrics: a byte or two rules out all but http_reqs, http_req_duration, dropped_… and stampede_run.
  if (c === 104 /* h */) {
    const d = buf[at + 8];
    if (d === 115 /* s */) return nameAt(buf, at, HTTP_REQS) ? M_REQS : 0;
    if (d === 95 /* _ */ && buf[at + 9] === 100 /* d */) return nameAt(buf, at, HTTP_REQ_DURATION) ? M_DURATION : 0;
    return 0;
  }
  if (c === 100 /* d */ && buf[at + 1] === 114 /* r */) return nameAt(buf, at, DROPPED_ITERATIONS) ? M_DROPPED : 0;
  if (c === 115 /* s */ && buf[at + 9] === 114 /* r */) return nameAt(buf, at, STAMPEDE_RUN) ? M_RUN : 0;
  return 0;
}

function metricCode(name: string): MetricCode | 0 {
  if (name === HTTP_REQS) return M_REQS;
  if (name === HTTP_REQ_DURATION) return M_DURATION;
  if (name === DROPPED_ITERATIONS) return M_DROPPED;
  if (name === STAMPEDE_RUN) return M_RUN;
  return 0;
}

function isBlank(buf: Buffer, p: number, e: number): boolean {
  for (let i = p; i < e; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function notK6(why: string): string {
  return `not k6 --out json output: ${why}; write it with \`k6 run --out json=FILE script.ts\` (FILE.gz for gzip)`;
}
