// How one answer is classified: the single place where a status (or its absence) becomes ok / fail / indeterminate.
//
// Step 1, classifyAnswer(): what the answer is, without looking at the ID's history.
// Step 2, judgeLoadAnswer() / judgeProbeAnswer(): the outcome and the invariant it breaks, given the ID's history.
//
// | answer                                  | load attempt (first or duplicate)                                       | durability probe      | its confirmation       |
// |-----------------------------------------|--------------------------------------------------------------------------|-----------------------|------------------------|
// | none: an error (timeout, reset, refused)| indeterminate (it may have taken effect)                                 | indeterminate         | indeterminate (U3      |
// |   or status undefined / 0 (k6's "none") |                                                                          |                       | undecidable for the ID)|
// | status ≥ 500                            | indeterminate                                                            | indeterminate         | the same               |
// | 201                                     | ok if no attempt of the ID was answered 2xx before; else fail + U1       | fail, a suspect:      | fail + U1: the target  |
// | any other 2xx                           | fail (wrong status), yet an acknowledgement: fail + U1 if not the first | re-submitted once more| accepts duplicates (U3 |
// |                                         |                                                                          | (the confirmation)    | undecidable for the ID)|
// | the conflict status (409 by default)    | ok if another attempt of the ID had been sent when this answer arrived  | ok                    | ok + U3: the probe     |
// |                                         | (a concurrent one counts: it could have created the ID), or an earlier  |                       | re-created a lost      |
// |                                         | answer of the ID was 2xx or indeterminate; else fail + U2 (false        |                       | profile (lost write,   |
// |                                         | conflict). At the end, U4 counts it if its ID never had a 2xx or an     |                       | confirmed)             |
// |                                         | indeterminate attempt in the whole run                                  |                       |                        |
// | anything else (400, 404, 3xx, …)        | fail                                                                     | fail                  | fail (U3 undecidable)  |
//
// A probe's 2xx alone cannot tell a lost write from a target that accepts duplicates: only the confirmation decides,
// and only a confirmed loss is reported under U3.
//
// A status, when there is one, decides even if an error came with it (e.g. a reset while reading the body of a 201:
// the server did acknowledge). Outcomes are judged per ID and concurrency-aware, never from the ground-truth label
// (first / duplicate) alone: a planned duplicate may legitimately win the 201 and the "first" get the conflict.

import type { Outcome } from '../result/result-document.ts';

/** What an answer is, before looking at the ID's history. */
export const Answer = {
  none: 0,
  serverError: 1,
  created: 2,
  otherSuccess: 3,
  conflict: 4,
  other: 5,
} as const;
export type Answer = (typeof Answer)[keyof typeof Answer];

/** An HTTP answer, if there was one: undefined, 0 (k6's code for a network error) or NaN mean none. */
export function classifyAnswer(status: number | undefined, conflictStatus: number): Answer {
  if (status === undefined || !(status > 0)) return Answer.none;
  if (status >= 500) return Answer.serverError;
  if (status === 201) return Answer.created;
  if (status >= 200 && status < 300) return Answer.otherSuccess;
  if (status === conflictStatus) return Answer.conflict;
  return Answer.other;
}

// A judgement is one small integer (no allocation on the hot path): the outcome in the low two bits, effects above.
export const OK = 0;
export const FAIL = 1;
export const INDETERMINATE = 2;
export const OUTCOME_MASK = 3;
/** A 2xx: the ID was acknowledged (counts for U1, U3's probe set, U4's traceability). */
export const ACKNOWLEDGES = 4;
/** The conflict status: counted by U2 and U4. */
export const CONFLICT = 8;
export const BREAKS_U1 = 16;
export const BREAKS_U2 = 32;
export const BREAKS_U3 = 64;
/** A probe answered 2xx: a lost write, or a target that accepts duplicates, until its confirmation decides. */
export const SUSPECT_U3 = 128;

/** Outcome names by code (OK, FAIL, INDETERMINATE). */
export function outcomeName(judgement: number): Outcome {
  const code = judgement & OUTCOME_MASK;
  return code === OK ? 'ok' : code === FAIL ? 'fail' : 'indeterminate';
}

/**
 * A load-phase answer (first or duplicate attempt).
 * @param acknowledgedBefore an attempt of this ID was already answered 2xx
 * @param couldExist another attempt of this ID had been sent when this answer arrived, or one was answered 2xx or
 *   indeterminate before it
 */
export function judgeLoadAnswer(answer: Answer, acknowledgedBefore: boolean, couldExist: boolean): number {
  switch (answer) {
    case Answer.none:
    case Answer.serverError:
      return INDETERMINATE;
    case Answer.created:
      return acknowledgedBefore ? FAIL | ACKNOWLEDGES | BREAKS_U1 : OK | ACKNOWLEDGES;
    case Answer.otherSuccess:
      return acknowledgedBefore ? FAIL | ACKNOWLEDGES | BREAKS_U1 : FAIL | ACKNOWLEDGES;
    case Answer.conflict:
      return couldExist ? OK | CONFLICT : FAIL | CONFLICT | BREAKS_U2;
    default:
      return FAIL;
  }
}

/** A durability probe's answer: it re-submits an acknowledged ID, so only the conflict status is right. */
export function judgeProbeAnswer(answer: Answer): number {
  switch (answer) {
    case Answer.none:
    case Answer.serverError:
      return INDETERMINATE;
    case Answer.created:
    case Answer.otherSuccess:
      return FAIL | SUSPECT_U3;
    case Answer.conflict:
      return OK;
    default:
      return FAIL;
  }
}

/**
 * The confirmation of a suspect (its probe was answered 2xx), re-submitted once more: the conflict status confirms that
 * the probe re-created a lost profile (U3); another 2xx shows a target that accepts duplicates (an acknowledgement,
 * U1); anything else leaves U3 undecidable for the ID.
 */
export function judgeConfirmationAnswer(answer: Answer): number {
  switch (answer) {
    case Answer.none:
    case Answer.serverError:
      return INDETERMINATE;
    case Answer.created:
    case Answer.otherSuccess:
      return FAIL | ACKNOWLEDGES | BREAKS_U1;
    case Answer.conflict:
      return OK | BREAKS_U3;
    default:
      return FAIL;
  }
}
