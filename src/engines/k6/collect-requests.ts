// Reads k6 output files into one RequestTable: each http_reqs Point with stampede's metadata becomes a record, its
// http_req_duration Point (same request_id, adjacent in the file) gives the latency; the rest is counted per file.

import { K6_DEFAULTS } from '../../defaults.ts';
import { K6OutputError } from '../../errors.ts';
import { DROPPED_ITERATIONS, HTTP_REQ_DURATION, HTTP_REQS } from './k6-output-format.ts';
import { scanK6Output, type K6Point } from './k6-output-reader.ts';
import { RequestTable } from './request-table.ts';

/** What one input file held, for the result document's config and phases. */
export interface InputSummary {
  file: string;
  lines: number;
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
}

export async function collectRequests(files: readonly string[], table = new RequestTable()): Promise<{ table: RequestTable; inputs: InputSummary[] }> {
  const inputs: InputSummary[] = [];
  for (let f = 0; f < files.length; f++) inputs.push(await collectFile(files[f]!, f, table));
  return { table, inputs };
}

async function collectFile(path: string, file: number, table: RequestTable): Promise<InputSummary> {
  const start = table.size;
  const summary: InputSummary = {
    file: path,
    lines: 0,
    requests: 0,
    ledgered: 0,
    unledgered: { requests: 0, byStatus: {} },
    droppedIterations: 0,
    truncatedLastLine: false,
    firstSentAt: undefined,
    lastAnsweredAt: undefined,
    origin: undefined,
  };
  // A request's http_reqs and http_req_duration Points are written one after the other (one sample container), so
  // these maps stay tiny; they are bounded anyway in case a file lacks one of the two.
  const waitingForDuration = new Map<string, number>(); // pairing key → record index
  const waitingForRequest = new Map<string, number>(); // pairing key → http_req_duration (ms)

  const onPoint = (point: K6Point): void => {
    if (point.metric === DROPPED_ITERATIONS) {
      summary.droppedIterations += point.value;
      return;
    }
    const meta = point.metadata;
    const attempt = meta?.attempt;
    const ledgered = meta !== undefined && typeof meta.profile_id === 'string' && meta.profile_id !== '' && (attempt === 'first' || attempt === 'duplicate');
    if (point.metric === HTTP_REQ_DURATION) {
      if (!ledgered) return;
      const key = pairingKey(meta, point);
      const index = waitingForDuration.get(key);
      if (index === undefined) {
        evictOldest(waitingForRequest);
        waitingForRequest.set(key, point.value);
        return;
      }
      waitingForDuration.delete(key);
      setLatency(table, index, point.value);
      return;
    }
    // http_reqs
    summary.requests++;
    const statusText = point.tags.status;
    const status = Number(statusText);
    if (statusText === undefined || !Number.isInteger(status) || status < 0 || status > 999) {
      throw new K6OutputError(path, `an ${HTTP_REQS} Point without a numeric status tag (got ${JSON.stringify(statusText)}); keep the status system tag (do not drop it with --system-tags)`, point.line);
    }
    if (!ledgered) {
      summary.unledgered.requests++;
      summary.unledgered.byStatus[String(status)] = (summary.unledgered.byStatus[String(status)] ?? 0) + 1;
      return;
    }
    summary.ledgered++;
    if (summary.origin === undefined) summary.origin = originOf(point.tags.url);
    const sentAt = Number(meta.sent_at);
    const index = table.add({
      id: meta.profile_id!,
      duplicate: attempt === 'duplicate',
      // Date.now() just before the request (whole ms, so never later than the truth); clamped to the end time.
      sentAt: meta.sent_at !== undefined && Number.isFinite(sentAt) ? Math.min(sentAt, point.time) : Number.NaN,
      answeredAt: point.time,
      latency: Number.NaN,
      status,
      errorCode: status === 0 ? Number(point.tags.error_code ?? 0) || 0 : 0,
      file,
    });
    const key = pairingKey(meta, point);
    const duration = waitingForRequest.get(key);
    if (duration === undefined) {
      const evicted = evictOldest(waitingForDuration);
      if (evicted !== undefined) fillSentAt(table, evicted);
      waitingForDuration.set(key, index);
    } else {
      waitingForRequest.delete(key);
      setLatency(table, index, duration);
    }
  };

  const scan = await scanK6Output(path, onPoint);
  for (const index of waitingForDuration.values()) fillSentAt(table, index);
  summary.lines = scan.lines;
  summary.truncatedLastLine = scan.truncatedLastLine;
  if (summary.requests === 0) {
    throw new K6OutputError(path, `no ${HTTP_REQS} Points in ${scan.lines} line(s): k6 sent no HTTP request (did the script fail in setup, or is this the output of another run?)`);
  }
  for (let i = start; i < table.size; i++) {
    const sent = table.sentAt[i]!;
    const answered = table.answeredAt[i]!;
    if (summary.firstSentAt === undefined || sent < summary.firstSentAt) summary.firstSentAt = sent;
    if (summary.lastAnsweredAt === undefined || answered > summary.lastAnsweredAt) summary.lastAnsweredAt = answered;
  }
  return summary;
}

/** request_id is unique per request within one k6 instance (the scripts' contract); else ID and end time. */
function pairingKey(meta: Record<string, string>, point: K6Point): string {
  return meta.request_id ?? `${meta.profile_id}@${point.time}`;
}

function setLatency(table: RequestTable, index: number, durationMs: number): void {
  table.latency[index] = durationMs;
  fillSentAt(table, index);
}

/** Without sent_at metadata: the end minus the duration (blocked/connect time excluded), else the end itself. */
function fillSentAt(table: RequestTable, index: number): void {
  if (!Number.isNaN(table.sentAt[index]!)) return;
  const latency = table.latency[index]!;
  table.sentAt[index] = table.answeredAt[index]! - (Number.isNaN(latency) ? 0 : latency);
}

/** Keep a pairing map under its bound: at the bound, the oldest entry is given up and returned. */
function evictOldest<V>(map: Map<string, V>): V | undefined {
  if (map.size < K6_DEFAULTS.maxUnpaired) return undefined;
  const [key, value] = map.entries().next().value as [string, V];
  map.delete(key);
  return value;
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\//.test(url)) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
