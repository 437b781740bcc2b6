// Streams one k6 `--out json` file (plain or gzip) line by line and hands the samples stampede needs to a callback.
// Files can be gigabytes: nothing but the current line is held, and lines of other metrics are not even parsed.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileAccessError, K6OutputError } from '../../errors.ts';
import { DROPPED_ITERATIONS, HTTP_REQ_DURATION, HTTP_REQS, mayBeRelevant, parseK6Time, type K6PointData } from './k6-output-format.ts';

/** A Point of http_reqs, http_req_duration or dropped_iterations. */
export interface K6Point {
  metric: typeof HTTP_REQS | typeof HTTP_REQ_DURATION | typeof DROPPED_ITERATIONS;
  /** data.time: ms since the epoch (sub-ms kept). For http samples, when the request ENDED. */
  time: number; // ms since epoch
  value: number;
  tags: Record<string, string>;
  metadata: Record<string, string> | undefined;
  /** 1-based line number, for messages. */
  line: number;
}

export interface K6ScanResult {
  /** Lines read (empty ones included). */
  lines: number;
  /** The last line was cut short (k6 killed mid-write) and ignored. */
  truncatedLastLine: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Read `path` through, calling `onPoint` for each relevant Point in file order. Throws K6OutputError on bad input. */
export async function scanK6Output(path: string, onPoint: (point: K6Point) => void): Promise<K6ScanResult> {
  const input = await openInput(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let streamError: unknown;
  input.on('error', (error) => {
    streamError = error;
    lines.close();
  });

  let n = 0;
  let seenFirst = false;
  // A line that is not JSON is an error unless it is the last one (k6 killed mid-write): held until the next line.
  let unparsable: number | undefined;
  // The last non-empty line, and whether it was parsed: a skipped one is checked at the end (cut short by a kill?).
  let last = '';
  let lastParsed = true;
  try {
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      if (unparsable !== undefined) throw new K6OutputError(path, 'not JSON (each line of k6 --out json output is one JSON object)', unparsable);
      const first = !seenFirst;
      seenFirst = true;
      last = text;
      lastParsed = false;
      if (!first && !mayBeRelevant(text)) continue;
      lastParsed = true;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        if (first) throw new K6OutputError(path, notK6('the first line is not JSON'), n);
        unparsable = n;
        continue;
      }
      const point = pointOf(path, value, n, first);
      if (point !== undefined) onPoint(point);
    }
  } finally {
    input.destroy();
  }
  if (streamError !== undefined) {
    throw new K6OutputError(path, `cannot be read to the end (${(streamError as Error).message}); a .gz file may be cut short or corrupt`, n);
  }
  if (!seenFirst) throw new K6OutputError(path, notK6('the file is empty'));
  return { lines: n, truncatedLastLine: unparsable !== undefined || (!lastParsed && !isJson(last)) };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function notK6(why: string): string {
  return `not k6 --out json output: ${why}; write it with \`k6 run --out json=FILE script.ts\` (FILE.gz for gzip)`;
}

async function openInput(path: string): Promise<Readable> {
  let magic: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      magic = magic.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  const file = createReadStream(path);
  if (magic[0] !== GZIP_MAGIC[0] || magic[1] !== GZIP_MAGIC[1]) return file;
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

/** Validate one parsed line; the Point of a metric stampede reads, else undefined. */
function pointOf(path: string, value: unknown, line: number, first: boolean): K6Point | undefined {
  const envelope = value as { type?: unknown; metric?: unknown; data?: unknown } | null;
  const known = typeof envelope === 'object' && envelope !== null && (envelope.type === 'Metric' || envelope.type === 'Point') && typeof envelope.metric === 'string';
  if (!known) {
    if (first) throw new K6OutputError(path, notK6('the first line is not a {"type":"Metric"|"Point","metric":…,"data":…} object'), line);
    return undefined; // some other JSON line mentioning http_reqs: not a sample
  }
  if (envelope.type !== 'Point') return undefined;
  const metric = envelope.metric as string;
  if (metric !== HTTP_REQS && metric !== HTTP_REQ_DURATION && metric !== DROPPED_ITERATIONS) return undefined;
  const data = envelope.data as Partial<K6PointData> | null | undefined;
  const time = typeof data?.time === 'string' ? parseK6Time(data.time) : Number.NaN;
  if (data === null || data === undefined || Number.isNaN(time) || typeof data.value !== 'number') {
    throw new K6OutputError(path, `a ${metric} Point without a valid data.time (RFC 3339) and numeric data.value`, line);
  }
  const tags = data.tags !== null && typeof data.tags === 'object' ? data.tags : {};
  const metadata = data.metadata !== null && typeof data.metadata === 'object' ? data.metadata : undefined;
  return { metric, time, value: data.value, tags, metadata, line };
}
