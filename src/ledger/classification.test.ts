// The classification table of classification.ts, row by row: the pure functions, then the same rows through a Ledger.
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.ts';
import {
  ACKNOWLEDGES,
  Answer,
  BREAKS_U1,
  BREAKS_U2,
  BREAKS_U3,
  CONFLICT,
  classifyAnswer,
  FAIL,
  judgeConfirmationAnswer,
  judgeLoadAnswer,
  judgeProbeAnswer,
  OK,
  outcomeName,
  SUSPECT_U3,
} from './classification.ts';
import { Ledger } from './ledger.ts';
import { testId } from './test-support.ts';

const byId = (ledger: Ledger) => Object.fromEntries(ledger.invariants().map((i) => [i.id, i]));

describe('classifyAnswer', () => {
  it.each([
    [undefined, Answer.none],
    [0, Answer.none], // k6: no answer
    [Number.NaN, Answer.none],
    [500, Answer.serverError],
    [503, Answer.serverError],
    [599, Answer.serverError],
    [201, Answer.created],
    [200, Answer.otherSuccess],
    [204, Answer.otherSuccess],
    [409, Answer.conflict],
    [400, Answer.other],
    [404, Answer.other],
    [422, Answer.other],
    [302, Answer.other],
  ] as const)('status %s → %s', (status, answer) => {
    expect(classifyAnswer(status, 409)).toBe(answer);
  });

  it('the conflict status is configurable: with 422, a 409 is just another wrong answer', () => {
    expect(classifyAnswer(422, 422)).toBe(Answer.conflict);
    expect(classifyAnswer(409, 422)).toBe(Answer.other);
  });
});

describe('judgeLoadAnswer and judgeProbeAnswer', () => {
  it('load attempts: every row of the table', () => {
    expect(outcomeName(judgeLoadAnswer(Answer.none, false, false))).toBe('indeterminate');
    expect(outcomeName(judgeLoadAnswer(Answer.serverError, true, true))).toBe('indeterminate');
    expect(judgeLoadAnswer(Answer.created, false, false)).toBe(ACKNOWLEDGES); // ok
    expect(outcomeName(judgeLoadAnswer(Answer.created, true, true))).toBe('fail');
    expect(judgeLoadAnswer(Answer.created, true, true) & BREAKS_U1).toBe(BREAKS_U1);
    expect(outcomeName(judgeLoadAnswer(Answer.otherSuccess, false, false))).toBe('fail');
    expect(judgeLoadAnswer(Answer.otherSuccess, false, false) & (ACKNOWLEDGES | BREAKS_U1)).toBe(ACKNOWLEDGES);
    expect(judgeLoadAnswer(Answer.otherSuccess, true, false) & BREAKS_U1).toBe(BREAKS_U1);
    expect(judgeLoadAnswer(Answer.conflict, false, true)).toBe(CONFLICT); // ok
    expect(outcomeName(judgeLoadAnswer(Answer.conflict, false, false))).toBe('fail');
    expect(judgeLoadAnswer(Answer.conflict, false, false) & BREAKS_U2).toBe(BREAKS_U2);
    expect(outcomeName(judgeLoadAnswer(Answer.other, false, true))).toBe('fail');
  });

  it('probes: only the conflict status is right; a 2xx makes a suspect, not yet a broken U3', () => {
    expect(outcomeName(judgeProbeAnswer(Answer.conflict))).toBe('ok');
    expect(judgeProbeAnswer(Answer.created) & (SUSPECT_U3 | BREAKS_U3)).toBe(SUSPECT_U3);
    expect(judgeProbeAnswer(Answer.otherSuccess) & (SUSPECT_U3 | BREAKS_U3)).toBe(SUSPECT_U3);
    expect(outcomeName(judgeProbeAnswer(Answer.created))).toBe('fail');
    expect(outcomeName(judgeProbeAnswer(Answer.serverError))).toBe('indeterminate');
    expect(outcomeName(judgeProbeAnswer(Answer.none))).toBe('indeterminate');
    expect(outcomeName(judgeProbeAnswer(Answer.other))).toBe('fail');
    expect(judgeProbeAnswer(Answer.other) & (SUSPECT_U3 | BREAKS_U3)).toBe(0);
  });

  it('confirmations: the conflict status confirms a lost write (U3); a 2xx again is an acknowledgement (U1), never U3', () => {
    expect(judgeConfirmationAnswer(Answer.conflict)).toBe(OK | BREAKS_U3);
    for (const success of [Answer.created, Answer.otherSuccess]) {
      expect(outcomeName(judgeConfirmationAnswer(success))).toBe('fail');
      expect(judgeConfirmationAnswer(success) & (ACKNOWLEDGES | BREAKS_U1 | BREAKS_U3)).toBe(ACKNOWLEDGES | BREAKS_U1);
    }
    expect(outcomeName(judgeConfirmationAnswer(Answer.serverError))).toBe('indeterminate');
    expect(outcomeName(judgeConfirmationAnswer(Answer.none))).toBe('indeterminate');
    expect(judgeConfirmationAnswer(Answer.other)).toBe(FAIL);
  });
});

describe('classification through the ledger', () => {
  it('no answer (error, status undefined or 0) or a 5xx → indeterminate', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    expect(ledger.answered(ledger.sent(testId(1), 'first', 0), 10, undefined, 'timeout')).toBe('indeterminate');
    expect(ledger.answered(ledger.sent(testId(2), 'first', 0), 10, undefined)).toBe('indeterminate');
    expect(ledger.answered(ledger.sent(testId(3), 'first', 0), 10, 0, 'ECONNRESET')).toBe('indeterminate');
    expect(ledger.answered(ledger.sent(testId(4), 'first', 0), 10, 503)).toBe('indeterminate');
    expect(ledger.counts().byKind.first).toEqual({ sent: 4, ok: 0, fail: 0, indeterminate: 4 });
  });

  it('a status decides even when an error came with it', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    expect(ledger.answered(ledger.sent(testId(1), 'first', 0), 10, 201, 'ECONNRESET')).toBe('ok');
    expect([...ledger.acknowledgedIds()]).toEqual([testId(1)]);
  });

  it('201 → ok the first time, fail + U1 after an earlier 2xx', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const id = testId(1);
    expect(ledger.answered(ledger.sent(id, 'first', 0), 1, 201)).toBe('ok');
    expect(byId(ledger).U1!.verdict).toBe('pass');
    expect(ledger.answered(ledger.sent(id, 'duplicate', 2), 3, 201)).toBe('fail');
    expect(byId(ledger).U1).toMatchObject({ verdict: 'fail', violations: 1 });
  });

  it('another 2xx → fail (wrong status), yet it acknowledges: a later 201 breaks U1', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const id = testId(1);
    expect(ledger.answered(ledger.sent(id, 'first', 0), 1, 200)).toBe('fail');
    expect([...ledger.acknowledgedIds()]).toEqual([id]);
    expect(byId(ledger).U1!.verdict).toBe('pass');
    expect(ledger.answered(ledger.sent(id, 'duplicate', 2), 3, 201)).toBe('fail');
    expect(byId(ledger).U1).toMatchObject({ verdict: 'fail', violations: 1 });
  });

  it('conflict → ok when another attempt had been sent before the answer arrived', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const id = testId(1);
    const first = ledger.sent(id, 'first', 0);
    expect(ledger.answered(ledger.sent(id, 'duplicate', 5), 6, 409)).toBe('ok');
    expect(ledger.answered(first, 7, 201)).toBe('ok');
    expect(byId(ledger).U2).toMatchObject({ verdict: 'pass', checked: 1, violations: 0 });
  });

  it('conflict → fail + U2 when no other attempt of the ID had been sent by then (a later one does not count)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const id = testId(1);
    expect(ledger.answered(ledger.sent(id, 'first', 0), 3, 409)).toBe('fail');
    expect(ledger.answered(ledger.sent(id, 'duplicate', 4), 5, 201)).toBe('ok');
    expect(byId(ledger).U2).toMatchObject({ verdict: 'fail', checked: 1, violations: 1 });
  });

  it('conflict → ok when an earlier answer of the ID was indeterminate, even if sent later (merged results out of order)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const id = testId(1);
    expect(ledger.answered(ledger.sent(id, 'first', 100), 101, 503)).toBe('indeterminate');
    expect(ledger.answered(ledger.sent(id, 'duplicate', 50), 60, 409)).toBe('ok');
    expect(byId(ledger).U2!.verdict).toBe('pass');
  });

  it('any other status (400, 404, 302) → fail, never an invariant', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    for (const [i, status] of [400, 404, 302].entries()) {
      expect(ledger.answered(ledger.sent(testId(i), 'first', 0), 1, status)).toBe('fail');
    }
    ledger.close(2);
    expect(ledger.invariants().map((i) => i.violations)).toEqual([0, 0, 0, 0]);
  });

  it('with conflict status 422, a 409 is a plain wrong answer, a 422 the conflict', () => {
    const ledger = new Ledger({ conflictStatus: 422 });
    const id = testId(1);
    ledger.answered(ledger.sent(id, 'first', 0), 1, 201);
    expect(ledger.answered(ledger.sent(id, 'duplicate', 2), 3, 409)).toBe('fail');
    expect(ledger.answered(ledger.sent(id, 'duplicate', 4), 5, 422)).toBe('ok');
    expect(byId(ledger).U2!.checked).toBe(1);
  });

  it('probe: conflict → ok, 2xx → fail (a suspect: U3 undecided until confirmed), 5xx or no answer → indeterminate, other → fail', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    for (let i = 0; i < 6; i++) ledger.answered(ledger.sent(testId(i), 'first', 0), 1, 201);
    ledger.close(2);
    expect(ledger.probed(testId(0), 10, 11, 409)).toBe('ok');
    expect(ledger.probed(testId(1), 10, 11, 201)).toBe('fail');
    expect(ledger.probed(testId(2), 10, 11, 200)).toBe('fail');
    expect(ledger.probed(testId(3), 10, 11, 503)).toBe('indeterminate');
    expect(ledger.probed(testId(4), 10, 11, undefined, 'timeout')).toBe('indeterminate');
    expect(ledger.probed(testId(5), 10, 11, 400)).toBe('fail');
    expect(byId(ledger).U3).toMatchObject({ verdict: 'unknown', checked: 2, violations: 0 });
    expect(ledger.counts().byKind.probe).toEqual({ sent: 6, ok: 1, fail: 3, indeterminate: 2 });
    // The suspects confirmed: one lost write, one target accepting duplicates.
    expect(ledger.confirmed(testId(1), 12, 13, 409)).toBe('ok');
    expect(ledger.confirmed(testId(2), 12, 13, 200)).toBe('fail');
    expect(byId(ledger).U3).toMatchObject({ verdict: 'fail', checked: 3, violations: 1 });
    expect(byId(ledger).U1).toMatchObject({ verdict: 'fail', violations: 1 });
    expect(ledger.counts().byKind.probe).toEqual({ sent: 8, ok: 2, fail: 4, indeterminate: 2 });
  });

  it('refuses a conflict status that is not a 4xx', () => {
    expect(() => new Ledger({ conflictStatus: 201 })).toThrow(InvalidOptionError);
    expect(() => new Ledger({ conflictStatus: 500 })).toThrow(/4xx/);
  });
});
