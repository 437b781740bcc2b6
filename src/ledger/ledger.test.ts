// The ledger per ID: concurrency-aware judgements, U1–U4 with example timelines, counts, the probe, the edges.
import { describe, expect, it } from 'vitest';
import type { InvariantResult } from '../result/result-document.ts';
import { Ledger } from './ledger.ts';
import { testId } from './test-support.ts';

const A = testId(1);
const B = testId(2);
const C = testId(100);

function invariants(ledger: Ledger, probe?: { ran: boolean }): Record<string, InvariantResult> {
  return Object.fromEntries(ledger.invariants(probe).map((i) => [i.id, i]));
}

describe('concurrency, per ID', () => {
  it('a duplicate sent before the first is answered may win the 201: both ok, no violation', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const first = ledger.sent(A, 'first', 0);
    const dup = ledger.sent(A, 'duplicate', 1);
    expect(ledger.answered(dup, 3, 201)).toBe('ok');
    expect(ledger.answered(first, 4, 409)).toBe('ok');
    ledger.close(5);
    const result = invariants(ledger);
    expect(['U1', 'U2', 'U4'].map((id) => result[id]!.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(result.U2!.checked).toBe(1);
    expect(ledger.counts().load).toEqual({ sent: 2, ok: 2, fail: 0, indeterminate: 0 });
  });

  it('the conflict may even arrive before the 201 of the attempt that created the ID', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const first = ledger.sent(A, 'first', 0);
    expect(ledger.answered(ledger.sent(A, 'duplicate', 0.5), 1.5, 409)).toBe('ok');
    expect(invariants(ledger).U4!.violations).toBe(1); // not traceable yet
    expect(ledger.answered(first, 2, 201)).toBe('ok');
    ledger.close(3);
    expect(invariants(ledger).U4).toMatchObject({ verdict: 'pass', checked: 1, violations: 0, examples: [] });
  });

  it('a duplicate answered 201 after the first was acknowledged breaks U1, with the timeline of the ID', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 10), 12, 201);
    ledger.answered(ledger.sent(B, 'first', 11), 13, 201);
    expect(ledger.answered(ledger.sent(A, 'duplicate', 20), 21.5, 201)).toBe('fail');
    // Traced from now on: later attempts of A join the timeline.
    const later = ledger.sent(A, 'duplicate', 30, A.toUpperCase());
    expect(ledger.answered(later, 31, 409)).toBe('ok');
    ledger.close(40);
    const u1 = invariants(ledger).U1!;
    expect(u1).toMatchObject({ verdict: 'fail', checked: 2, violations: 1 });
    expect(u1.examples).toEqual([
      {
        id: A,
        timeline: [
          { kind: 'first', sentAt: 10, answeredAt: 12, status: 201, outcome: 'ok' },
          { kind: 'duplicate', sentAt: 20, answeredAt: 21.5, status: 201, outcome: 'fail' },
          { kind: 'duplicate', sentAt: 30, answeredAt: 31, status: 409, outcome: 'ok', sentId: A.toUpperCase() },
        ],
        note: 'acknowledged twice: 201 at 21.5 ms to a duplicate attempt sent at 20 ms, after the first 201 at 12 ms',
      },
    ]);
  });

  it('a first attempt answered with the conflict status while no other attempt was ever sent breaks U2 (and U4)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    expect(ledger.answered(ledger.sent(A, 'first', 5), 7, 409)).toBe('fail');
    ledger.answered(ledger.sent(B, 'first', 5), 7, 201);
    ledger.close(10);
    const result = invariants(ledger);
    expect(result.U2).toMatchObject({ verdict: 'fail', checked: 1, violations: 1 });
    expect(result.U2!.examples).toEqual([
      {
        id: A,
        timeline: [{ kind: 'first', sentAt: 5, answeredAt: 7, status: 409, outcome: 'fail' }],
        note: 'false conflict: 409 at 7 ms to a first attempt sent at 5 ms, but no other attempt of this ID had been sent by then (nor was one sent later)',
      },
    ]);
    expect(result.U4).toMatchObject({ verdict: 'fail', violations: 1 });
  });

  it('conflicts on an ID whose only other attempts were conflicts break U4 (not U2: each had another attempt before it)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const first = ledger.sent(A, 'first', 0);
    const dup = ledger.sent(A, 'duplicate', 1);
    expect(ledger.answered(first, 2, 409)).toBe('ok');
    expect(ledger.answered(dup, 3, 409)).toBe('ok');
    ledger.answered(ledger.sent(B, 'first', 0), 1, 201);
    ledger.answered(ledger.sent(B, 'duplicate', 2), 3, 409);
    ledger.close(5);
    const result = invariants(ledger);
    expect(result.U2).toMatchObject({ verdict: 'pass', checked: 3, violations: 0 });
    expect(result.U4).toMatchObject({ verdict: 'fail', checked: 3, violations: 2 });
    expect(result.U4!.examples).toHaveLength(1);
    expect(result.U4!.examples[0]).toMatchObject({
      id: A,
      timeline: [
        { kind: 'first', sentAt: 0, answeredAt: 2, status: 409, outcome: 'ok' },
        { kind: 'duplicate', sentAt: 1, answeredAt: 3, status: 409, outcome: 'ok' },
      ],
    });
    expect(result.U4!.examples[0]!.note).toMatch(/^untraceable conflict: 2 409 answer\(s\)/);
  });

  it('an indeterminate first attempt, then a conflict: ok and traceable (no U4)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    expect(ledger.answered(ledger.sent(A, 'first', 0), 30, undefined, 'timeout')).toBe('indeterminate');
    expect(ledger.answered(ledger.sent(A, 'duplicate', 40), 41, 409)).toBe('ok');
    ledger.close(50);
    expect(invariants(ledger).U4).toMatchObject({ verdict: 'pass', checked: 1, violations: 0 });
  });

  it('a first attempt answered 400 then a conflict on the duplicate: U4 shows the 400 in its note', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    expect(ledger.answered(ledger.sent(A, 'first', 0), 1, 400)).toBe('fail');
    expect(ledger.answered(ledger.sent(A, 'duplicate', 2), 3, 409)).toBe('ok');
    ledger.close(5);
    const u4 = invariants(ledger).U4!;
    expect(u4.violations).toBe(1);
    expect(u4.examples[0]!.note).toContain('the latest other answer was 400');
  });

  it('conflicts counted beyond 65,535 on one ID stay exact, and all become traceable at once', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 0), 1, 400);
    for (let i = 0; i < 70_000; i++) ledger.answered(ledger.sent(A, 'duplicate', 2 + i), 3 + i, 409);
    expect(invariants(ledger).U4).toMatchObject({ checked: 70_000, violations: 70_000 });
    ledger.answered(ledger.sent(A, 'duplicate', 80_000), 80_001, 503);
    expect(invariants(ledger).U4).toMatchObject({ verdict: 'pass', checked: 70_000, violations: 0 });
  });
});

describe('counts', () => {
  it('sent = ok + fail + indeterminate after close(), attempts left in flight becoming indeterminate', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const tokens = [0, 1, 2, 3, 4, 5].map((i) => ledger.sent(testId(i), 'first', i));
    const dups = [0, 1, 2].map((i) => ledger.sent(testId(i), 'duplicate', 10 + i));
    ledger.answered(tokens[0]!, 20, 201);
    ledger.answered(tokens[1]!, 20, 400);
    ledger.answered(tokens[2]!, 20, 503);
    ledger.answered(dups[0]!, 21, 409);
    expect(ledger.counts().inFlight).toBe(5);
    expect(ledger.counts().load).toEqual({ sent: 9, ok: 2, fail: 1, indeterminate: 1 });
    ledger.close(30);
    const { total, load, byKind, inFlight } = ledger.counts();
    expect(inFlight).toBe(0);
    expect(load).toEqual({ sent: 9, ok: 2, fail: 1, indeterminate: 6 });
    expect(total).toEqual(load);
    expect(byKind).toEqual({ first: { sent: 6, ok: 1, fail: 1, indeterminate: 4 }, duplicate: { sent: 3, ok: 1, fail: 0, indeterminate: 2 } });
    for (const row of [total, byKind.first, byKind.duplicate]) expect(row.sent).toBe(row.ok + row.fail + row.indeterminate);
  });

  it('after close(): sent() throws, a late answer changes nothing and is indeterminate', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const token = ledger.sent(A, 'first', 0);
    ledger.close(5);
    expect(ledger.answered(token, 6, 201)).toBe('indeterminate');
    expect(ledger.counts().load).toEqual({ sent: 1, ok: 0, fail: 0, indeterminate: 1 });
    expect([...ledger.acknowledgedIds()]).toEqual([]);
    expect(() => ledger.sent(B, 'first', 7)).toThrow(/after close/);
  });

  it('a token answered twice is a caller bug', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const token = ledger.sent(A, 'first', 0);
    ledger.answered(token, 1, 201);
    expect(() => ledger.answered(token, 2, 201)).toThrow(/not in flight/);
    expect(() => ledger.answered(12345, 2, 201)).toThrow(/not in flight/);
  });

  it('tokens are reused, and thousands may be in flight at once', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const tokens = Array.from({ length: 5000 }, (_, i) => ledger.sent(testId(i), 'first', i));
    expect(new Set(tokens).size).toBe(5000);
    for (const t of tokens) ledger.answered(t, 6000, 201);
    expect(ledger.sent(testId(9999), 'first', 7000)).toBeLessThan(5000);
    expect(ledger.acknowledgedCount).toBe(5000);
  });
});

describe('IDs', () => {
  it('case does not matter; the canonical ID is reported, the spelling sent kept in timelines', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 0), 1, 201);
    ledger.answered(ledger.sent(A.toUpperCase(), 'duplicate', 2), 3, 201);
    expect(ledger.ids).toBe(1);
    expect([...ledger.acknowledgedIds()]).toEqual([A]);
    expect(invariants(ledger).U1!.violations).toBe(1);
  });

  it('an ID that is not a UUID is kept aside, compared in lower case, and does not crash anything', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent('not-a-uuid', 'first', 0), 1, 201);
    expect(ledger.answered(ledger.sent('NOT-A-UUID', 'duplicate', 2), 3, 409)).toBe('ok');
    ledger.answered(ledger.sent('', 'first', 4), 5, 409);
    ledger.close(6);
    expect([...ledger.acknowledgedIds()]).toEqual(['not-a-uuid']);
    expect(ledger.probed('not-a-uuid', 7, 8, 201)).toBe('fail');
    expect(ledger.suspectIds()).toEqual(['not-a-uuid']);
    expect(ledger.confirmed('not-a-uuid', 9, 10, 409)).toBe('ok');
    const result = invariants(ledger);
    expect(result.U3!.examples[0]!.id).toBe('not-a-uuid');
    expect(result.U2!.examples.map((e) => e.id)).toEqual(['']);
  });
});

describe('examples', () => {
  it('at most maxExamples per invariant, while every violation is counted', () => {
    const ledger = new Ledger({ conflictStatus: 409, maxExamples: 3 });
    for (let i = 0; i < 10; i++) {
      ledger.answered(ledger.sent(testId(i), 'first', i), i + 1, 201);
      ledger.answered(ledger.sent(testId(i), 'duplicate', i + 2), i + 3, 201);
    }
    const u1 = invariants(ledger).U1!;
    expect(u1.violations).toBe(10);
    expect(u1.examples.map((e) => e.id)).toEqual([testId(0), testId(1), testId(2)]);
  });

  it('a timeline keeps at most maxTimeline attempts and says how many it left out', () => {
    const ledger = new Ledger({ conflictStatus: 409, maxTimeline: 4 });
    ledger.answered(ledger.sent(A, 'first', 0), 1, 201);
    ledger.answered(ledger.sent(A, 'duplicate', 2), 3, 201);
    for (let i = 0; i < 10; i++) ledger.answered(ledger.sent(A, 'duplicate', 10 + i), 11 + i, 409);
    const example = invariants(ledger).U1!.examples[0]!;
    expect(example.timeline).toHaveLength(4);
    expect(example.note).toMatch(/\(8 further attempt\(s\) not shown\)$/);
  });

  it('attempts of a traced ID that were in flight when tracing began join its timeline when answered or closed', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 0), 1, 201);
    const slow = ledger.sent(A, 'duplicate', 1.5);
    const stuck = ledger.sent(A, 'duplicate', 1.75);
    ledger.answered(ledger.sent(A, 'duplicate', 2), 3, 201); // U1: tracing starts
    ledger.answered(slow, 9, 409);
    ledger.close(10);
    expect(invariants(ledger).U1!.examples[0]!.timeline).toEqual([
      { kind: 'first', sentAt: 0, answeredAt: 1, status: 201, outcome: 'ok' },
      { kind: 'duplicate', sentAt: 1.5, answeredAt: 9, status: 409, outcome: 'ok' },
      { kind: 'duplicate', sentAt: 1.75, error: 'in-flight at end', outcome: 'indeterminate' },
      { kind: 'duplicate', sentAt: 2, answeredAt: 3, status: 201, outcome: 'fail' },
    ]);
  });

  it('U4 examples found only at the end (tracing full) still get the timeline the per-ID fields know', () => {
    const ledger = new Ledger({ conflictStatus: 409, maxExamples: 1 }); // traces up to 4 U4 candidates at once
    const firsts = [0, 1, 2, 3].map((i) => ledger.sent(testId(i), 'first', 0));
    for (let i = 0; i < 4; i++) ledger.answered(ledger.sent(testId(i), 'duplicate', 1), 2, 409); // candidates
    ledger.answered(ledger.sent(C, 'first', 3), 4, 400);
    ledger.answered(ledger.sent(C, 'duplicate', 5), 6, 409); // not traced: the candidates are full
    for (const t of firsts) ledger.answered(t, 7, 201); // the candidates resolve
    ledger.close(8);
    const u4 = invariants(ledger).U4!;
    expect(u4).toMatchObject({ verdict: 'fail', violations: 1 });
    expect(u4.examples).toEqual([
      {
        id: C,
        timeline: [
          { kind: 'first', sentAt: 3 },
          { kind: 'duplicate', sentAt: 5 },
        ],
        note: 'untraceable conflict: 1 409 answer(s), yet no attempt of this ID was answered 2xx or was indeterminate (2 attempt(s) in all; the latest other answer was 400)',
      },
    ]);
  });
});

describe('the durability probe (U3)', () => {
  it('a 2xx to the probe, then a conflict to its confirmation: a lost acknowledged write, confirmed, both probe answers in its timeline', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.answered(ledger.sent(B, 'first', 1), 2, 201);
    ledger.close(3);
    expect([...ledger.acknowledgedIds()]).toEqual([A, B]);
    expect(ledger.probed(A, 10, 11, 201)).toBe('fail');
    expect(ledger.probed(B, 10, 11, 409)).toBe('ok');
    // A suspect, not yet a finding: U3 is undecided until the confirmation.
    expect(ledger.suspectIds()).toEqual([A]);
    expect(invariants(ledger, { ran: true }).U3).toMatchObject({ verdict: 'unknown', violations: 0 });
    expect(ledger.confirmed(A, 12, 13, 409)).toBe('ok');
    expect(ledger.suspectIds()).toEqual([]);
    const u3 = invariants(ledger, { ran: true }).U3!;
    expect(u3).toMatchObject({ verdict: 'fail', checked: 2, violations: 1 });
    expect(u3.examples).toEqual([
      {
        id: A,
        timeline: [
          { kind: 'first', sentAt: 1, answeredAt: 2, status: 201, outcome: 'ok' },
          { kind: 'probe', sentAt: 10, answeredAt: 11, status: 201, outcome: 'fail' },
          { kind: 'probe', sentAt: 12, answeredAt: 13, status: 409, outcome: 'ok' },
        ],
        note: 'lost acknowledged write, confirmed: the first 201 at 2 ms, yet the durability probe was answered 201 at 11 ms (it re-created the profile) and its confirmation 409 at 13 ms',
      },
    ]);
    expect(invariants(ledger).U1!.violations).toBe(0);
    expect(ledger.probeSummary()).toEqual({
      mode: 'all',
      acknowledged: 2,
      probed: 2,
      outcomes: { sent: 3, ok: 2, fail: 1, indeterminate: 0 },
      lostWrites: 1,
    });
    expect(ledger.counts().total.sent).toBe(5);
    expect(ledger.counts().load.sent).toBe(2);
  });

  it('a 2xx to the probe and again to its confirmation: the target accepts duplicates (U1, three acknowledgements), never a lost write', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.answered(ledger.sent(B, 'first', 1), 2, 201);
    ledger.close(3);
    ledger.probed(A, 10, 11, 201);
    ledger.probed(B, 10, 11, 409);
    expect(ledger.confirmed(A, 12, 13, 201)).toBe('fail');
    const result = invariants(ledger, { ran: true });
    expect(result.U3).toMatchObject({ verdict: 'unknown', violations: 0, checked: 1, examples: [] });
    expect(result.U3!.detail).toContain('1 undecidable: the target accepts duplicates (2xx again; see U1)');
    expect(result.U1).toMatchObject({ verdict: 'fail', violations: 1 });
    expect(result.U1!.detail).toContain('the target accepts duplicates');
    expect(result.U1!.examples).toEqual([
      {
        id: A,
        timeline: [
          { kind: 'first', sentAt: 1, answeredAt: 2, status: 201, outcome: 'ok' },
          { kind: 'probe', sentAt: 10, answeredAt: 11, status: 201, outcome: 'fail' },
          { kind: 'probe', sentAt: 12, answeredAt: 13, status: 201, outcome: 'fail' },
        ],
        note: 'acknowledged three times: the first 201 at 2 ms, then the durability probe was answered 201 at 11 ms and its confirmation 201 at 13 ms: the target accepts duplicates (U3 undecidable for this ID)',
      },
    ]);
    expect(ledger.probeSummary().lostWrites).toBe(0);
  });

  it('an ID already acknowledged twice in the load phase: its example timeline gets both probe answers too', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.answered(ledger.sent(A, 'duplicate', 3), 4, 201);
    ledger.close(5);
    ledger.probed(A, 10, 11, 201);
    ledger.confirmed(A, 12, 13, 201);
    const u1 = invariants(ledger, { ran: true }).U1!;
    expect(u1).toMatchObject({ violations: 1 });
    expect(u1.examples[0]!.timeline.map((a) => [a.kind, a.status])).toEqual([
      ['first', 201],
      ['duplicate', 201],
      ['probe', 201],
      ['probe', 201],
    ]);
    expect(invariants(ledger, { ran: true }).U3!.violations).toBe(0);
  });

  it('a confirmation that is indeterminate, or never sent, leaves U3 undecidable for that ID; confirming a non-suspect is a caller bug', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    for (const id of [A, B, C]) ledger.answered(ledger.sent(id, 'first', 1), 2, 201);
    ledger.close(3);
    ledger.probed(A, 10, 11, 201);
    ledger.probed(B, 10, 11, 201);
    ledger.probed(C, 10, 11, 409);
    expect(() => ledger.confirmed(C, 12, 13, 409)).toThrow(/not a suspect/);
    expect(ledger.confirmed(A, 12, 13, 503)).toBe('indeterminate');
    const u3 = invariants(ledger, { ran: true }).U3!;
    expect(u3).toMatchObject({ verdict: 'unknown', violations: 0, checked: 1 });
    expect(u3.detail).toContain('2 undecidable: the confirmation was indeterminate, another answer, or not sent');
  });

  it('no probe → U3 unknown; every probe indeterminate → unknown; all conflicts → pass', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.answered(ledger.sent(B, 'first', 1), 2, 201);
    ledger.close(3);
    expect(invariants(ledger).U3).toMatchObject({ verdict: 'unknown', detail: 'no durability probe ran', checked: 0 });
    expect(invariants(ledger, { ran: false }).U3!.verdict).toBe('unknown');
    expect(invariants(ledger, { ran: true }).U3!.verdict).toBe('unknown'); // ran, yet nothing probed
    ledger.probed(A, 10, 11, 503);
    expect(invariants(ledger).U3).toMatchObject({ verdict: 'unknown', checked: 0 });
    expect(invariants(ledger).U3!.detail).toMatch(/Every probe was indeterminate/);
    ledger.probed(B, 10, 11, 409);
    expect(invariants(ledger).U3).toMatchObject({ verdict: 'pass', checked: 1, violations: 0 });
  });

  it('a sample says so, and which loss rate it is sized for', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.answered(ledger.sent(B, 'first', 1), 2, 201);
    ledger.close(3);
    ledger.probed(B, 10, 11, 409);
    const detects = { lossRate: 0.5, confidence: 0.5 };
    expect(ledger.invariants({ ran: true, detects })[2]!.detail).toMatch(/1 of 2 acknowledged ID\(s\) were re-submitted \(a random sample, sized to detect a loss rate of 0.5/);
    expect(ledger.probeSummary(detects)).toMatchObject({ mode: 'sample', probed: 1, acknowledged: 2, detects });
  });

  it('probing an ID that was never acknowledged is a caller bug', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 503);
    expect(() => ledger.probed(A, 10, 11, 409)).toThrow(/never acknowledged/);
    expect(() => ledger.probed(B, 10, 11, 409)).toThrow(/never acknowledged/);
  });
});

describe('invariants()', () => {
  it('returns U1, U2, U3, U4 in that order, each saying how it was checked', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 1), 2, 201);
    ledger.close(3);
    const all = ledger.invariants();
    expect(all.map((i) => [i.id, i.verdict])).toEqual([
      ['U1', 'pass'],
      ['U2', 'pass'],
      ['U3', 'unknown'],
      ['U4', 'pass'],
    ]);
    for (const invariant of all) expect(invariant.detail.length).toBeGreaterThan(10);
  });

  it('before close(), the details say the result is provisional', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.sent(A, 'first', 1);
    expect(ledger.invariants()[3]!.detail).toMatch(/Provisional: 1 attempt\(s\) were still in flight/);
  });
});

describe('compact per-ID fields', () => {
  it('the first 2xx\'s send time is kept whichever attempt got it: the first, the second, or a later one', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    // A: the third attempt (sent at 7) gets the first 2xx, after two indeterminate ones.
    ledger.answered(ledger.sent(A, 'first', 1), 2, 503);
    ledger.answered(ledger.sent(A, 'duplicate', 4), 5, 503);
    ledger.answered(ledger.sent(A, 'duplicate', 7), 9, 201);
    // Then a second 2xx: U1, whose example timeline shows the first 2xx at its own send time.
    ledger.answered(ledger.sent(A, 'duplicate', 20), 21, 201);
    ledger.close(30);
    const timeline = invariants(ledger).U1!.examples[0]!.timeline;
    expect(timeline.find((a) => a.status === 201 && a.answeredAt === 9)).toMatchObject({ sentAt: 7, kind: 'duplicate' });
  });

  it('an earlier send recorded after the first 2xx (out of order) keeps that 2xx on its own send time', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    // B's 2xx goes to the attempt sent at 10; then attempts sent at 5 and 2 are recorded (a merge of several files).
    ledger.answered(ledger.sent(B, 'first', 10), 11, 201);
    ledger.answered(ledger.sent(B, 'duplicate', 5), 12, 409);
    ledger.answered(ledger.sent(B, 'duplicate', 2), 13, 201);
    ledger.close(20);
    const timeline = invariants(ledger).U1!.examples[0]!.timeline;
    expect(timeline.filter((a) => a.status === 201).map((a) => [a.sentAt, a.answeredAt])).toEqual([
      [2, 13],
      [10, 11],
    ]);
  });

  it('counts past one byte stay exact (conflicts) or say so (attempts), and U4 names the latest other status', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(C, 'first', 0), 1, 404);
    for (let i = 0; i < 300; i++) ledger.answered(ledger.sent(C, 'duplicate', 2 + i), 3 + i, 409);
    ledger.close(400);
    const u4 = invariants(ledger).U4!;
    expect(u4.violations).toBe(300);
    expect(u4.examples[0]!.note).toMatch(/^untraceable conflict: 300 409 answer\(s\), .*\(255\+ attempt\(s\) in all; the latest other answer was 404\) \(269 further attempt\(s\) not shown\)$/);
  });

  it('a status no byte code holds is named as such in U4', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    ledger.answered(ledger.sent(A, 'first', 0), 1, 302);
    ledger.answered(ledger.sent(A, 'duplicate', 2), 3, 409);
    ledger.answered(ledger.sent(B, 'first', 0), 1, 199);
    ledger.answered(ledger.sent(B, 'duplicate', 2), 3, 409);
    ledger.close(5);
    const notes = invariants(ledger).U4!.examples.map((e) => e.note);
    expect(notes.some((n) => n.endsWith('the latest other answer was 302)'))).toBe(true);
    expect(notes.some((n) => n.endsWith('the latest other answer was another status)'))).toBe(true);
  });
});
