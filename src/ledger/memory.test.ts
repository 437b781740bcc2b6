// The ledger stays compact: a 1,000,000-request run must fit in the 300 MB RSS budget with everything else.
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.ts';
import { testId } from './test-support.ts';

const IDS = 1_000_000;

describe('memory', () => {
  it('1,000,000 IDs (and 5 % duplicates) take ≤ 100 bytes per ID, with no per-ID JavaScript objects', () => {
    const before = process.memoryUsage();
    const ledger = new Ledger({ conflictStatus: 409 }); // no size hint: the tables grow as they go
    let t = 0;
    for (let i = 0; i < IDS; i++) {
      const id = testId(i);
      ledger.answered(ledger.sent(id, 'first', t), t + 2, 201);
      if (i % 20 === 19) ledger.answered(ledger.sent(testId(i - 10), 'duplicate', t), t + 2, 409);
      t += 0.01;
    }
    ledger.close(t);
    expect(ledger.ids).toBe(IDS);
    expect(ledger.counts().load).toEqual({ sent: IDS * 1.05, ok: IDS * 1.05, fail: 0, indeterminate: 0 });
    const perId = ledger.memoryBytes() / IDS;
    expect(perId).toBeLessThanOrEqual(100);
    expect(perId).toBeGreaterThan(34); // the tables are really there (16 bytes of key + 18 of fields + the index)

    global.gc?.();
    const after = process.memoryUsage();
    // Generous: typed arrays live outside the JS heap; growth leaves old arrays to the collector for a while.
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    expect(grown).toBeLessThan(250 * IDS); // ≤ 250 bytes per ID all in, garbage included
    expect(after.rss).toBeLessThan(1024 * 1024 * 1024);
    expect(ledger.invariants().map((i) => i.violations)).toEqual([0, 0, 0, 0]);
  });

  it('a size hint avoids growth: at most 40 bytes per ID', () => {
    const ledger = new Ledger({ conflictStatus: 409, expectedIds: 200_000 });
    const initial = ledger.memoryBytes();
    for (let i = 0; i < 200_000; i++) ledger.answered(ledger.sent(testId(i), 'first', i), i + 1, 201);
    expect(ledger.memoryBytes()).toBe(initial);
    expect(ledger.memoryBytes() / 200_000).toBeLessThanOrEqual(40);
  });
});
