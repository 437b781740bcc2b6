// One registration request: planned ID and body, per-request metadata for `stampede merge`, the answer judged and counted.

import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { isSegmented, type CommonConfig } from './config.ts';
import { Domain, unitFor, uuidFor, type RunKey } from './ids.ts';
import type { Attempt, Outcome, Recorder } from './metrics.ts';
import { render, type Template } from './templates.ts';

/** Every request carries this tag, so k6 groups them under one name whatever the URL. */
export const REQUEST_NAME = 'POST /user-profiles';

export interface DupPlan {
  /** Share of iterations (from minGap on) that repeat an earlier ID. */
  ratio: number;
  /** A duplicate repeats an iteration at least this many iterations back (≈ 1 s at the peak rate). */
  minGap: number;
  /** …and fewer than minGap + window back. */
  window: number;
}

const SALT_IS_DUPLICATE = 1;
const SALT_GAP = 2;

/**
 * What iteration `i` sends: its own fresh ID (first), or the ID and exact body of an earlier iteration (duplicate,
 * like a client retry). Deterministic in RUN_ID and i, so instances agree; a duplicate of a duplicate resolves to
 * the iteration that first sent the ID.
 */
export function planIteration(key: RunKey, plan: DupPlan, i: number): { n: number; attempt: Attempt } {
  let n = i;
  while (plan.ratio > 0 && n >= plan.minGap && unitFor(key, SALT_IS_DUPLICATE, n) < plan.ratio) {
    const gap = plan.minGap + Math.floor(unitFor(key, SALT_GAP, n) * plan.window);
    n = Math.max(0, n - gap);
  }
  return { n, attempt: n === i ? 'first' : 'duplicate' };
}

/** The body iteration `n` sends: template n mod count with n's fresh IDs. */
export function bodyFor(key: RunKey, templates: Template[], n: number): { profileId: string; body: string } {
  const profileId = uuidFor(key, Domain.profile, n);
  const ids = [profileId, uuidFor(key, Domain.session, n), uuidFor(key, Domain.transactionGroup, n), uuidFor(key, Domain.arid, n)] as const;
  return { profileId, body: render(templates[n % templates.length]!, ids) };
}

/** How an answer is judged from what one instance can see. */
export type Judging = 'sequential' | 'race';

/** What the VU knows about an answer beyond its status. */
export interface Seen {
  /** A duplicate's ID was sent as a first attempt by this VU and answered 2xx (so a 2xx now is a second creation). */
  acknowledgedHere: boolean;
  /** Another k6 instance may have sent an attempt of this ID first (an execution segment of a distributed run). */
  segmented: boolean;
}

const LOCAL: Seen = { acknowledgedHere: false, segmented: false };

/**
 * The local outcome, by the result document's definition: ok = the expected answer for the attempt; indeterminate =
 * no answer or 5xx; fail = a definite wrong answer, as far as this VU can know. A duplicate may win the 201 when its
 * first attempt has not arrived yet (another VU or instance sends it), so a 2xx to a duplicate is wrong only when
 * this VU saw its first attempt acknowledged; a conflict to a first attempt is wrong only in a single instance (a
 * duplicate repeats an ID at least ~1 s of iterations later, the plan's minGap), since another instance may have sent
 * a duplicate first. In a race every attempt is concurrent: 201 and the conflict status are both ok.
 * `stampede merge` re-judges every answer per ID, concurrency-aware, from the --out json file(s) of every instance.
 */
export function judge(status: number, attempt: Attempt, conflictStatus: number, judging: Judging, seen: Seen = LOCAL): Outcome {
  if (!(status > 0) || status >= 500) return 'indeterminate';
  if (judging === 'race') return status === 201 || status === conflictStatus ? 'ok' : 'fail';
  if (attempt === 'first') return status === 201 || (status === conflictStatus && seen.segmented) ? 'ok' : 'fail';
  if (status === conflictStatus) return 'ok';
  return status === 201 && !seen.acknowledgedHere ? 'ok' : 'fail';
}

/**
 * The IDs this VU sent as first attempts and whether they were answered 2xx, for judging their planned duplicates.
 * k6 VUs share no memory, so this is all an instance can know; entries older than `recall` iterations are dropped
 * (a planned duplicate repeats an iteration at most minGap + window back).
 */
export class FirstAttempts {
  private readonly byId = new Map<string, { iteration: number; acknowledged: boolean }>();
  private readonly recall: number;
  constructor(recall: number) {
    this.recall = recall;
  }

  remember(id: string, iteration: number, acknowledged: boolean): void {
    const key = id.toLowerCase();
    this.byId.delete(key); // re-inserted last: the map stays in iteration order
    this.byId.set(key, { iteration, acknowledged });
    for (const [key, entry] of this.byId) {
      if (entry.iteration >= iteration - this.recall) break;
      this.byId.delete(key); // insertion order is iteration order on one VU
    }
  }

  acknowledged(id: string): boolean {
    return this.byId.get(id.toLowerCase())?.acknowledged === true;
  }

  get size(): number {
    return this.byId.size;
  }
}

export interface Sender {
  config: CommonConfig;
  record: Recorder;
  judging: Judging;
  /** This VU's first attempts (sequential judging); one per VU, since each VU runs the init code on its own. */
  firsts?: FirstAttempts;
}

export interface SendSpec {
  profileId: string;
  body: string;
  attempt: Attempt;
  /** Unique per request within the instance: `${vu.idInTest}:${vu.iterationInScenario}` (plus `:k`). */
  requestId?: string;
  /** Extra low-cardinality tags (a ramp step, a soak window, a race round); never an ID. */
  tags?: Record<string, string>;
  /** The iteration this attempt belongs to (exec.scenario.iterationInTest by default), for FirstAttempts' recall. */
  iteration?: number;
}


/** Post one registration with its metadata set, check and count the answer. */
export function sendRegistration(sender: Sender, spec: SendSpec) {
  const { config } = sender;
  const metadata = exec.vu.metrics.metadata;
  metadata.profile_id = spec.profileId;
  metadata.attempt = spec.attempt;
  metadata.request_id = spec.requestId ?? `${exec.vu.idInTest}:${exec.vu.iterationInScenario}`;
  const tags: Record<string, string> = { name: REQUEST_NAME };
  if (spec.tags !== undefined) for (const name of Object.keys(spec.tags)) tags[name] = spec.tags[name]!;
  const headers: Record<string, string> = {};
  for (const name of Object.keys(config.headers)) headers[name] = config.headers[name]!;
  headers['Content-Type'] = 'application/json';
  metadata.sent_at = String(Date.now()); // epoch ms, right before the request
  const response = http.post(config.endpoint, spec.body, { headers, tags, timeout: config.timeout.text });
  // k6 copied the metadata onto the request's samples; the check and counters below do not need it (smaller output).
  clearMetadata();
  const status = response.status;
  const acknowledged = status >= 200 && status < 300;
  const sequential = sender.judging === 'sequential';
  const seen: Seen = {
    acknowledgedHere: sequential && spec.attempt === 'duplicate' && sender.firsts !== undefined && sender.firsts.acknowledged(spec.profileId),
    segmented: isSegmented(),
  };
  if (sequential && spec.attempt === 'first') sender.firsts?.remember(spec.profileId, spec.iteration ?? exec.scenario.iterationInTest, acknowledged);
  const outcome = judge(status, spec.attempt, config.conflictStatus, sender.judging, seen);
  const expected = sender.judging === 'race' ? `201 or ${config.conflictStatus}` : spec.attempt === 'first' ? '201' : String(config.conflictStatus);
  const label = sender.judging === 'race' ? 'race attempt' : spec.attempt === 'first' ? 'first attempt' : 'duplicate';
  check(response, { [`${label} → ${expected}`]: () => outcome === 'ok' });
  sender.record({
    attempt: spec.attempt,
    outcome,
    status,
    errorCode: response.error_code,
    duplicateAcknowledged: sequential && spec.attempt === 'duplicate' && acknowledged && seen.acknowledgedHere,
    firstConflict: sequential && spec.attempt === 'first' && status === config.conflictStatus,
  });
  return response;
}

/** Remove the per-request metadata, so later samples of the iteration do not carry a stale ID. */
export function clearMetadata(): void {
  const metadata = exec.vu.metrics.metadata;
  delete metadata.profile_id;
  delete metadata.attempt;
  delete metadata.request_id;
  delete metadata.sent_at;
}

/** At init: 201 and the conflict status are expected answers (http_req_failed counts the rest), like the ledger's ok. */
export function expectedAnswers(config: CommonConfig): void {
  http.setResponseCallback(http.expectedStatuses(201, config.conflictStatus));
}
