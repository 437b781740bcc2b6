// k6's `--out json` line format, as far as stampede relies on it: the envelopes, sample times, and error codes.
//
// Sources (grafana/k6 v1.3.0, read for this module and checked against its output; README.md beside it has the facts
// and what follows from them):
// - internal/output/json/wrapper.go, json_easyjson.go: sampleEnvelope written {"metric","type":"Point","data":{"time",
//   "value","tags","metadata"?}} (metric first; older k6 wrote it last) and metricEnvelope {"type":"Metric","data":
//   {"name","type","contains","thresholds","submetrics"},"metric"}; tags sorted, metadata in Go's random map order.
// - internal/output/json/json.go: one JSON document per line, written every 200 ms from a buffer of sample containers,
//   a Metric line before the first Point of each metric; `.gz` file names are gzipped.
// - lib/netext/httpext/tracer.go (Trail.SaveSamples): every http_req_* sample of one request carries Time =
//   EndTime (when the response was read, NOT when it was sent), the request's tags and the VU's metadata;
//   http_req_duration = sending + waiting + receiving, in ms (blocked, connecting and TLS time excluded).
// - lib/netext/httpext/transport.go (measureAndEmitMetrics): a request without an answer has tag status "0" plus
//   `error_code` (and `error`); an answer ≥ 400 gets error_code 1000 + status.
// - lib/netext/httpext/error_codes.go: the error codes mapped below.

/** The metrics stampede reads; every other line is skipped (in k6's own layout, without parsing it). */
export const HTTP_REQS = 'http_reqs';
export const HTTP_REQ_DURATION = 'http_req_duration';
export const DROPPED_ITERATIONS = 'dropped_iterations';
/**
 * One sample the scenario scripts add in setup() (scenarios/k6/lib/config.ts): tag `timeout_ms` is the request
 * timeout, the longest a request can take, so the merge knows how far back a send can precede its answer.
 */
export const STAMPEDE_RUN = 'stampede_run';

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** `data.time` → ms since the epoch, sub-ms digits kept (Date.parse alone stops at ms); NaN when malformed. */
export function parseK6Time(text: string): number {
  const match = RFC3339.exec(text);
  if (match === null) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3] === 'Z' ? 'Z' : match[3]}`);
  const fraction = match[2] === undefined ? 0 : Number(`0.${match[2]}`) * 1000; // ms
  return whole + fraction;
}

/** Error kinds, named like the load engines' (src/engines/http1/) where they mean the same. */
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
