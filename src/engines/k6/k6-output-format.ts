// k6's `--out json` line format, as far as stampede relies on it: the envelopes, sample times, and error codes.
//
// Sources (grafana/k6, read for this module; see README.md beside it for the facts and what follows from them):
// - internal/output/json/wrapper.go: sampleEnvelope {"type":"Point","data":{"time","value","tags","metadata"?},
//   "metric"} and metricEnvelope {"type":"Metric","data":{"name","type","contains","thresholds","submetrics"},"metric"}.
// - internal/output/json/json.go: one JSON document per line (json.Encoder), written every 200 ms from a buffer of
//   sample containers, a Metric line before the first Point of each metric; `.gz` file names are gzipped.
// - lib/netext/httpext/tracer.go (Trail.SaveSamples): every http_req_* sample of one request carries Time =
//   EndTime (when the response was read, NOT when it was sent), the request's tags and the VU's metadata;
//   http_req_duration = sending + waiting + receiving, in ms (blocked, connecting and TLS time excluded).
// - lib/netext/httpext/transport.go (measureAndEmitMetrics): a request without an answer has tag status "0" plus
//   `error_code` (and `error`); an answer ≥ 400 gets error_code 1000 + status; expected_response is "true"/"false"
//   when a response callback is set.
// - lib/netext/httpext/error_codes.go: the error codes mapped below.

/** One line of the file, parsed: the two envelope kinds k6 writes. */
export type K6Line =
  | { type: 'Metric'; metric: string; data: { name?: string; type: string; contains: string } }
  | { type: 'Point'; metric: string; data: K6PointData };

export interface K6PointData {
  /** RFC 3339 with nanoseconds and the machine's UTC offset, e.g. 2017-05-09T14:34:45.625742514+02:00. */
  time: string;
  value: number;
  /** null for samples without tags (e.g. `vus`). */
  tags: Record<string, string> | null;
  /** Present only when the VU had metadata set (exec.vu.metrics.metadata); string values. */
  metadata?: Record<string, string>;
}

/** The metrics stampede reads; every other line is skipped (after the first line, without parsing it). */
export const HTTP_REQS = 'http_reqs';
export const HTTP_REQ_DURATION = 'http_req_duration';
export const DROPPED_ITERATIONS = 'dropped_iterations';

/** Cheap pre-filter: a line that can hold a sample stampede reads (compact or not, any key order). */
export function mayBeRelevant(text: string): boolean {
  return text.includes(HTTP_REQS) || text.includes(HTTP_REQ_DURATION) || text.includes(DROPPED_ITERATIONS);
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** `data.time` → ms since the epoch, sub-ms digits kept (Date.parse alone stops at ms); NaN when malformed. */
export function parseK6Time(text: string): number {
  const match = RFC3339.exec(text);
  if (match === null) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3] === 'Z' ? 'Z' : match[3]}`);
  const fraction = match[2] === undefined ? 0 : Number(`0.${match[2]}`) * 1000; // ms
  return whole + fraction;
}

/** Error kinds, named like the undici engines' (src/engines/undici/error-kind.ts) where they mean the same. */
const ERROR_KINDS: Record<number, string> = {
  1050: 'timeout', // request timeout
  1211: 'timeout', // dial: i/o timeout
  1212: 'ECONNREFUSED',
  1220: 'ECONNRESET',
  1201: 'EPIPE',
  1101: 'DNS: no such host',
};

/** The error kind of a request without an answer (status "0"), from its `error_code` tag. */
export function errorKindOfK6Code(code: string | undefined): string {
  if (code === undefined || code === '') return 'no answer';
  const n = Number(code);
  const known = ERROR_KINDS[n];
  if (known !== undefined) return known;
  if (n >= 1100 && n < 1200) return 'DNS error';
  if (n >= 1300 && n < 1400) return 'TLS error';
  if (n >= 1600 && n < 1700) return 'HTTP/2 error';
  return `k6 error ${code}`;
}
