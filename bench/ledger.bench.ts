// npm run bench:ledger — the ledger at hour-long-soak scale (issue 15): 10,000,000 IDs inserted with their answers (5 %
// planned duplicates among them), bytes per ID of its tables and the process's peak RSS; once sized up front from the
// expected count (--requests N), once growing as it goes (--duration runs), each in its own process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const IDS = Number(process.env.BENCH_LEDGER_IDS ?? 10_000_000);
const GOAL_BYTES_PER_ID = 40; // bytes
const RSS_GOAL = 1024 ** 3; // bytes

if (process.argv[2] === 'child') {
  const { Ledger } = await import('../src/ledger/ledger.ts');
  const { testId } = await import('../src/ledger/test-support.ts');
  const hint = process.argv[3] === 'hint';
  const ledger = new Ledger({ conflictStatus: 409, ...(hint ? { expectedIds: IDS } : {}) });
  const started = performance.now();
  let t = 0;
  for (let i = 0; i < IDS; i++) {
    ledger.answered(ledger.sent(testId(i), 'first', t), t + 1, 201);
    if (i % 20 === 19) ledger.answered(ledger.sent(testId(i - 10), 'duplicate', t), t + 1, 409);
    t += 0.0002;
  }
  ledger.close(t);
  const seconds = (performance.now() - started) / 1000;
  const violations = ledger.invariants().map((i) => i.violations).join(',');
  console.log(`RESULT ${JSON.stringify({ bytesPerId: ledger.memoryBytes() / IDS, rss: process.resourceUsage().maxRSS * 1024, seconds, violations })}`);
} else {
  const script = fileURLToPath(import.meta.url);
  console.log(`bench:ledger — ${IDS.toLocaleString('en-US')} IDs, each sent and answered 201, plus 5 % duplicates answered 409; each run in its own process`);
  for (const mode of ['hint', 'grow'] as const) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, 'child', mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = /RESULT (.*)/.exec(child.stdout)?.[1];
    if (!line) throw new Error(`the ${mode} run failed: ${child.stderr.slice(-500)}`);
    const r = JSON.parse(line) as { bytesPerId: number; rss: number; seconds: number; violations: string };
    const label = mode === 'hint' ? 'sized up front (expectedIds)' : 'growing (no size hint)';
    console.log(
      `ledger: ${label.padEnd(29)} ${r.bytesPerId.toFixed(1)} B/ID (goal ≤ ${GOAL_BYTES_PER_ID}: ${r.bytesPerId <= GOAL_BYTES_PER_ID ? 'MET' : 'NOT MET'}) · ` +
        `peak RSS ${(r.rss / 1024 ** 2).toFixed(0)} MB (goal ≤ ${RSS_GOAL / 1024 ** 2} MB: ${r.rss <= RSS_GOAL ? 'MET' : 'NOT MET'}) · ${(IDS / r.seconds / 1e6).toFixed(2)} M IDs/s · violations ${r.violations}`,
    );
  }
}
