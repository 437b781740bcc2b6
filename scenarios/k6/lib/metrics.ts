// Custom metrics every scenario records: outcomes by ground truth, answers by status, errors by kind.
//
// k6's end-of-test summary only holds aggregates of metrics, so the result document's totals, statuses and errors
// come from these counters (per-ID facts travel in request metadata, for `stampede merge`). k6 creates custom metrics
// in the init context only, so the status counters are a fixed list plus `other`.

import { Counter } from 'k6/metrics';

export type Attempt = 'first' | 'duplicate';
export type Outcome = 'ok' | 'fail' | 'indeterminate';

export const METRIC = {
  /** 2xx answers to planned duplicates: a second acknowledgement of an ID (U1 as one instance sees it). */
  duplicateAcknowledged: 'stampede_duplicate_acknowledged',
  /** Definite wrong answers (outcome fail), whatever the attempt. */
  wrongAnswers: 'stampede_wrong_answers',
  /** The conflict status answered to a first attempt (a false conflict, or a RUN_ID reused on a target that kept it). */
  firstConflict: 'stampede_first_conflict',
  /** Race: 2xx answers per round (tagged round), and how late each request left after its round's instant. */
  raceSuccesses: 'stampede_race_successes',
  raceReleaseLag: 'stampede_race_release_lag',
} as const;

/** Statuses counted one by one; any other goes to stampede_status_other. */
export const COUNTED_STATUSES = [200, 201, 202, 204, 400, 401, 403, 404, 405, 408, 409, 410, 413, 415, 422, 429, 500, 502, 503, 504];

/** k6 error codes (no HTTP answer) → the error kinds the other engines record. */
export function errorKind(code: number): string {
  if (code === 1050 || code === 1211) return 'timeout';
  if (code === 1212) return 'ECONNREFUSED';
  if (code === 1220) return 'ECONNRESET';
  if (code === 1201) return 'EPIPE';
  if (code >= 1100 && code < 1200) return 'dns';
  if (code >= 1300 && code < 1400) return 'tls';
  return 'other';
}
export const ERROR_KINDS = ['timeout', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'dns', 'tls', 'other'];

export const outcomeMetric = (attempt: Attempt, outcome: Outcome) => `stampede_${attempt}_${outcome}`;
export const statusMetric = (status: number | 'other') => `stampede_status_${status}`;
export const errorMetric = (kind: string) => `stampede_error_${kind}`;

/** What one answer was, as the recorder counts it. */
export interface Answer {
  attempt: Attempt;
  outcome: Outcome;
  /** 0 when there was no HTTP answer. */
  status: number;
  /** k6's error_code when there was no answer. */
  errorCode: number;
  /** A 2xx to a planned duplicate. */
  duplicateAcknowledged: boolean;
  /** The conflict status to a first attempt. */
  firstConflict: boolean;
}

export type Recorder = (answer: Answer) => void;

/**
 * Creates every counter (init context) and returns the function the VU code records each answer with. The gated
 * counters get one 0 from each VU's first answer, so they exist (and their thresholds are evaluated) even when nothing
 * went wrong, and after that only their 1s: a 0 on every answer would add three lines per request to --out json.
 */
export function createRecorder(conflictStatus: number): Recorder {
  const counters: Record<string, Counter> = {};
  const counter = (name: string) => {
    if (counters[name] === undefined) counters[name] = new Counter(name);
    return counters[name]!;
  };
  for (const attempt of ['first', 'duplicate'] as const) for (const outcome of ['ok', 'fail', 'indeterminate'] as const) counter(outcomeMetric(attempt, outcome));
  const statuses = COUNTED_STATUSES.indexOf(conflictStatus) === -1 ? COUNTED_STATUSES.concat([conflictStatus]) : COUNTED_STATUSES;
  for (const status of statuses) counter(statusMetric(status));
  counter(statusMetric('other'));
  for (const kind of ERROR_KINDS) counter(errorMetric(kind));
  const gated = [METRIC.duplicateAcknowledged, METRIC.wrongAnswers, METRIC.firstConflict];
  for (const name of gated) counter(name);
  let primed = false; // per VU: each VU runs the init code, so each has its own recorder
  return (answer) => {
    if (!primed) {
      primed = true;
      for (const name of gated) counter(name).add(0);
    }
    counter(outcomeMetric(answer.attempt, answer.outcome)).add(1);
    if (answer.outcome === 'fail') counter(METRIC.wrongAnswers).add(1);
    if (answer.duplicateAcknowledged) counter(METRIC.duplicateAcknowledged).add(1);
    if (answer.firstConflict) counter(METRIC.firstConflict).add(1);
    if (answer.status > 0) counter(statuses.indexOf(answer.status) === -1 ? statusMetric('other') : statusMetric(answer.status)).add(1);
    else counter(errorMetric(errorKind(answer.errorCode))).add(1);
  };
}
