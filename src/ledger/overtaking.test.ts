// U2 and answers that overtake each other: a conflict answered while another attempt of its ID was in flight, or sent at
// the same instant, is never a false conflict: send times that tie (exactly, or within float32 rounding), a 409 that
// arrives before the 201 it depends on, and the same across the files of a `stampede merge`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeK6Outputs } from '../engines/k6/merge-run.ts';
import { K6LineWriter } from '../engines/k6/fixtures/k6-lines.ts';
import type { InvariantResult } from '../result/result-document.ts';
import { floorToFloat32, Ledger } from './ledger.ts';
import { testId } from './test-support.ts';

const A = testId(7);
const B = testId(8);

function invariants(ledger: Ledger): Record<string, InvariantResult> {
  return Object.fromEntries(ledger.invariants().map((i) => [i.id, i]));
}

describe('ties in send times', () => {
  it('32 attempts sent at the same instant: the first answer is a 409, the 201 comes later; no false conflict', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const tokens = Array.from({ length: 32 }, (_, i) => ledger.sent(A, i === 0 ? 'first' : 'duplicate', 12.5));
    expect(ledger.answered(tokens[5]!, 12.61, 409)).toBe('ok');
    expect(ledger.answered(tokens[0]!, 12.694, 201)).toBe('ok'); // 84 µs after the conflict that depends on it
    for (let i = 1; i < 32; i++) if (i !== 5) expect(ledger.answered(tokens[i]!, 12.7 + i / 1000, 409)).toBe('ok');
    ledger.close(20);
    expect(invariants(ledger).U2).toMatchObject({ verdict: 'pass', checked: 31, violations: 0 });
    expect(invariants(ledger).U4).toMatchObject({ verdict: 'pass', violations: 0 });
  });

  it('send times apart by less than float32 resolution late in a run (2.5 h: 0.5 ms steps) count as the same instant', () => {
    const t = 9_000_000.1; // ms
    expect(floorToFloat32(t)).toBe(floorToFloat32(t + 0.2)); // the two sends are stored alike
    for (const [conflicted, created] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const ledger = new Ledger({ conflictStatus: 409 });
      const tokens = [ledger.sent(A, 'first', t), ledger.sent(A, 'duplicate', t + 0.2)];
      expect(ledger.answered(tokens[conflicted]!, t + 0.3, 409)).toBe('ok');
      expect(ledger.answered(tokens[created]!, t + 0.35, 201)).toBe('ok');
      ledger.close(t + 1);
      expect(invariants(ledger).U2!.violations).toBe(0);
    }
  });

  it('a conflict answered at the very instant another attempt was sent: that attempt counts as in flight', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const first = ledger.sent(A, 'first', 3);
    const dup = ledger.sent(A, 'duplicate', 4);
    expect(ledger.answered(first, 4, 409)).toBe('ok');
    expect(ledger.answered(dup, 5, 201)).toBe('ok');
    ledger.close(6);
    expect(invariants(ledger).U2!.violations).toBe(0);
  });

  it('still accuses a conflict answered before any other attempt of the ID was sent (strictly earlier, beyond rounding)', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const first = ledger.sent(A, 'first', 3);
    expect(ledger.answered(first, 3.5, 409)).toBe('fail');
    const dup = ledger.sent(A, 'duplicate', 3.6);
    expect(ledger.answered(dup, 4, 201)).toBe('ok');
    ledger.close(6);
    expect(invariants(ledger).U2).toMatchObject({ verdict: 'fail', violations: 1 });
    expect(invariants(ledger).U2!.examples[0]!.note).toContain('no other attempt of this ID had been sent by then');
  });
});

describe('a 409 answered before the 201 of a concurrent attempt', () => {
  it('concurrent attempts with distinct send times: the conflict overtakes the creation it depends on; U2 and U4 pass', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const creator = ledger.sent(A, 'duplicate', 1.0);
    const loser = ledger.sent(A, 'first', 1.3);
    const other = ledger.sent(B, 'first', 1.1);
    expect(ledger.answered(loser, 1.9, 409)).toBe('ok');
    expect(ledger.answered(other, 2.0, 201)).toBe('ok');
    expect(ledger.answered(creator, 2.4, 201)).toBe('ok');
    ledger.close(3);
    const result = invariants(ledger);
    expect(['U1', 'U2', 'U4'].map((id) => result[id]!.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(ledger.counts().load).toEqual({ sent: 3, ok: 3, fail: 0, indeterminate: 0 });
  });

  it('the earliest attempt gets the 409 (a later-sent one was committed first): judged against the later one, in flight', () => {
    const ledger = new Ledger({ conflictStatus: 409 });
    const early = ledger.sent(A, 'first', 1.0);
    const late = ledger.sent(A, 'duplicate', 1.05);
    expect(ledger.answered(early, 1.2, 409)).toBe('ok');
    expect(ledger.answered(late, 1.25, 201)).toBe('ok');
    ledger.close(2);
    expect(invariants(ledger).U2!.violations).toBe(0);
  });
});

describe('the same across the files of a merge (one ledger, events in time order)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-overtaking-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = Date.parse('2026-03-02T10:00:00.000Z');

  async function merged(a: K6LineWriter, b: K6LineWriter) {
    const files = [join(dir, `a-${Math.random()}.json`), join(dir, `b-${Math.random()}.json`)];
    writeFileSync(files[0]!, a.text());
    writeFileSync(files[1]!, b.text());
    const doc = await mergeK6Outputs({ files, conflictStatus: 409, maxIndeterminateShare: 0.01, probe: undefined }, { toolVersion: 'test' });
    return Object.fromEntries(doc.invariants.map((i) => [i.id, i]));
  }

  it("machine A's 409 arrives before machine B's 201 of the same ID: B's attempt was in flight, no false conflict", async () => {
    const a = new K6LineWriter();
    const b = new K6LineWriter();
    a.request({ id: A, attempt: 'first', requestId: '1:0', sentAt: t + 2, endAt: t + 5, status: 409 });
    b.request({ id: A, attempt: 'duplicate', requestId: '2:0', sentAt: t + 1, endAt: t + 8, status: 201 });
    const result = await merged(a, b);
    expect([result.U1!.verdict, result.U2!.verdict, result.U4!.verdict]).toEqual(['pass', 'pass', 'pass']);
    expect(result.U2!.checked).toBe(1);
  });

  it("B's attempt sent in the same millisecond as A's conflict answer (k6's sent_at is whole ms): the same instant, not a false conflict", async () => {
    const a = new K6LineWriter();
    const b = new K6LineWriter();
    a.request({ id: A, attempt: 'first', requestId: '1:0', sentAt: t + 2, endAt: t + 5, status: 409 });
    b.request({ id: A, attempt: 'duplicate', requestId: '2:0', sentAt: t + 5.4, endAt: t + 9, status: 201 });
    const result = await merged(a, b);
    expect(result.U2).toMatchObject({ verdict: 'pass', violations: 0 });
  });

  it('a conflict answered a whole millisecond before any other attempt of the ID was sent is still false', async () => {
    const a = new K6LineWriter();
    const b = new K6LineWriter();
    a.request({ id: A, attempt: 'first', requestId: '1:0', sentAt: t + 2, endAt: t + 5, status: 409 });
    b.request({ id: A, attempt: 'duplicate', requestId: '2:0', sentAt: t + 6, endAt: t + 9, status: 201 });
    const result = await merged(a, b);
    expect(result.U2).toMatchObject({ verdict: 'fail', violations: 1 });
  });
});
