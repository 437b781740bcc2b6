// The `-e` variables every scenario shares, validated once at init, and the run identity fixed in setup().

import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { K6_SCENARIO_DEFAULTS as D } from './defaults.ts';
import { baseUrl, bool, clientErrorStatus, duration, envValue, headerObject, positiveNumber, runIdValue, share, text, type Duration } from './env.ts';
import { runKey, type RunKey } from './ids.ts';

export interface CommonConfig {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  targetUrl: string;
  /** Where registrations go: <targetUrl>/user-profiles */
  endpoint: string;
  /** Extra headers (HEADERS), sent with every request; Content-Type is ours. */
  headers: Record<string, string>;
  insecure: boolean;
  conflictStatus: number;
  dupRatio: number;
  /** RUN_ID as given; undefined: setup() derives one from the start time. */
  runId: string | undefined;
  corpus: string | undefined;
  summaryOut: string;
  p99Ms: number; // ms
  maxErrorRate: number; // 0..1
  timeout: Duration;
}

export function commonConfig(): CommonConfig {
  const targetUrl = baseUrl('TARGET_URL', D.targetUrl);
  return {
    targetUrl,
    endpoint: `${targetUrl}/user-profiles`,
    headers: headerObject('HEADERS'),
    insecure: bool('INSECURE', false),
    conflictStatus: clientErrorStatus('CONFLICT_STATUS', D.conflictStatus),
    dupRatio: share('DUP_RATIO', D.dupRatio, '0.05'),
    runId: runIdValue('RUN_ID'),
    corpus: envValue('CORPUS'),
    summaryOut: text('SUMMARY_OUT', D.summaryOut, 'a file path', 'results/k6-result.json', /^[^\0]+$/),
    p99Ms: positiveNumber('P99_MS', D.p99Ms, 'ms: the gate on p99 of http_req_duration', '250'),
    maxErrorRate: share('MAX_ERROR_RATE', D.maxErrorRate, '0.01', true),
    timeout: duration('TIMEOUT', D.timeout, '10s'),
  };
}

/** What setup() hands every VU (k6 passes it to default() and to handleSummary as setup_data). */
export interface RunData {
  runId: string;
  /** Epoch ms when setup ran. */
  startedAt: number; // ms
}

/** A run ID from the start time: k6-20250101T120000123Z. */
export function runIdFromTime(epochMs: number): string {
  return `k6-${new Date(epochMs).toISOString().replace(/[-:.]/g, '')}`;
}

/**
 * This instance runs one execution segment of several (k6 --execution-segment other than 0:1). k6 v1.3 gives null
 * when no segment was set.
 */
export function isSegmented(): boolean {
  const segment = exec.test.options.executionSegment;
  return segment !== undefined && segment !== null && String(segment) !== '' && String(segment) !== '0:1';
}

/**
 * One sample written in setup(): tag `timeout_ms` tells `stampede merge` the longest a request of this run can take,
 * which bounds how far a request's line can trail those of later requests in the --out json file (so the merge holds
 * seconds of requests, not the whole run). Created here, in the init context, as k6 requires of custom metrics.
 */
const runSample = new Counter('stampede_run');

/**
 * The run's identity, fixed once in setup() so every VU derives the same IDs. Several instances of one run
 * (--execution-segment) must share RUN_ID: each would otherwise derive its own, and planned duplicates of another
 * instance's iterations would in truth be first attempts.
 */
export function setupRun(config: CommonConfig, scenario: string): RunData {
  const startedAt = Date.now();
  if (config.runId === undefined && isSegmented()) {
    throw new Error(`RUN_ID must be set when k6 runs an execution segment (${String(exec.test.options.executionSegment)}): give every instance the same -e RUN_ID=<id>`);
  }
  const runId = config.runId ?? runIdFromTime(startedAt);
  runSample.add(1, { timeout_ms: String(config.timeout.ms) });
  console.log(`stampede ${scenario}: RUN_ID=${runId} (pass -e RUN_ID=${runId} to every instance of a distributed run)`);
  return { runId, startedAt };
}

let cachedKey: { runId: string; key: RunKey } | undefined;

/** The run key of the setup data (computed once per VU). */
export function keyOf(data: RunData): RunKey {
  if (cachedKey === undefined || cachedKey.runId !== data.runId) cachedKey = { runId: data.runId, key: runKey(data.runId) };
  return cachedKey.key;
}

/** The configuration as the result document records it: header values never leave the machine. */
export function describeConfig(config: CommonConfig, extra: Record<string, unknown>): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(config.headers)) headers[name] = '<redacted>';
  return {
    targetUrl: redactUrl(config.targetUrl),
    corpus: config.corpus ?? 'built-in',
    conflictStatus: config.conflictStatus,
    dupRatio: config.dupRatio,
    headers,
    insecure: config.insecure,
    p99Ms: config.p99Ms,
    maxErrorRate: config.maxErrorRate,
    timeout: config.timeout.text,
    ...extra,
  };
}

/** The URL without user:password@. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
