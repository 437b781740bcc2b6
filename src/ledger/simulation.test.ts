// Simulated runs of 200,000 attempts with random interleavings against a modelled server: a correct server yields no
// violation, and each kind of faulty server makes exactly the invariant it breaks fail.
import { describe, expect, it } from 'vitest';
import type { InvariantResult } from '../result/result-document.ts';
import { simulate, type ServerModel } from './test-support.ts';

const ATTEMPTS = 200_000;

function run(model: ServerModel, seed = 11) {
  const ledger = simulate(model, { attempts: ATTEMPTS, seed });
  const invariants = Object.fromEntries(ledger.invariants().map((i) => [i.id, i])) as Record<InvariantResult['id'], InvariantResult>;
  const verdicts = Object.fromEntries(Object.values(invariants).map((i) => [i.id, i.verdict]));
  return { ledger, invariants, verdicts, counts: ledger.counts() };
}

describe('simulated runs', () => {
  it('a correct server (first arrival wins): no violation, every invariant checked, sent = ok + fail + indeterminate', () => {
    const { invariants, verdicts, counts } = run('correct');
    expect(verdicts).toEqual({ U1: 'pass', U2: 'pass', U3: 'pass', U4: 'pass' });
    expect(counts.load.sent).toBe(ATTEMPTS);
    expect(counts.load.fail).toBe(0);
    expect(counts.inFlight).toBe(0);
    for (const row of [counts.total, counts.load, counts.byKind.first, counts.byKind.duplicate, counts.byKind.probe!]) {
      expect(row.sent).toBe(row.ok + row.fail + row.indeterminate);
    }
    // The run really exercised the hard cases: races, indeterminate attempts, attempts in flight at the end.
    expect(invariants.U2.checked).toBeGreaterThan(10_000);
    expect(counts.load.indeterminate).toBeGreaterThan(1000);
    expect(counts.byKind.duplicate.ok).toBeGreaterThan(10_000);
    expect(invariants.U3.checked).toBe(counts.byKind.probe!.sent); // no suspect: no confirmation sent
  });

  it('the correct server passes whatever the seed (interleavings differ)', () => {
    for (const seed of [1, 2]) expect(run('correct', seed).verdicts).toEqual({ U1: 'pass', U2: 'pass', U3: 'pass', U4: 'pass' });
  });

  it('a server that sometimes acknowledges an existing ID again fails U1 only', () => {
    const { invariants, verdicts } = run('ack-twice');
    expect(verdicts).toEqual({ U1: 'fail', U2: 'pass', U3: 'pass', U4: 'pass' });
    expect(invariants.U1.violations).toBeGreaterThan(100);
    const example = invariants.U1.examples[0]!;
    expect(example.timeline.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(2);
  });

  it('a server that loses acknowledged writes fails U3 only (seen by the durability probe)', () => {
    const { invariants, verdicts } = run('lose-writes');
    expect(verdicts).toEqual({ U1: 'pass', U2: 'pass', U3: 'fail', U4: 'pass' });
    expect(invariants.U3.violations).toBeGreaterThan(100);
    const timeline = invariants.U3.examples[0]!.timeline;
    // Both probe answers: the 2xx that re-created the lost profile, then the conflict of its confirmation.
    expect(timeline.slice(-2)).toMatchObject([
      { kind: 'probe', status: 201, outcome: 'fail' },
      { kind: 'probe', status: 409, outcome: 'ok' },
    ]);
    expect(timeline.some((a) => a.kind !== 'probe' && a.status === 201)).toBe(true);
  });

  it('a server that answers false conflicts fails U2 (and U4: nothing created those IDs)', () => {
    const { invariants, verdicts } = run('false-conflicts');
    expect(verdicts).toEqual({ U1: 'pass', U2: 'fail', U3: 'pass', U4: 'fail' });
    expect(invariants.U2.violations).toBeGreaterThan(100);
    expect(invariants.U2.examples[0]!.timeline[0]).toMatchObject({ status: 409, outcome: 'fail' });
  });

  it('a server that stores an ID yet answers 400 fails U4 only: the later conflicts trace back to nothing', () => {
    const { invariants, verdicts } = run('phantom-writes');
    expect(verdicts).toEqual({ U1: 'pass', U2: 'pass', U3: 'pass', U4: 'fail' });
    expect(invariants.U4.violations).toBeGreaterThan(20);
    expect(invariants.U4.examples.length).toBe(5);
  });
});
