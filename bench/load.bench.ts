// npm run bench:load — stampede load vs raw autocannon on the same server, alternating; then a 1,000,000-request run's peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { specExample } from '../src/contract/example.ts';
import { runLoad } from '../src/engines/load-run.ts';
import { resolveLoadOptions } from '../src/options/load-options.ts';
import { pinSelf, spawnServer } from './lib/spawn-server.ts';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5); // s per trial
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BIG_RUN = Number(process.env.BENCH_BIG_REQUESTS ?? 1_000_000); // requests
const RSS_GOAL = 300 * 1024 * 1024; // bytes
const REFERENCE = fileURLToPath(new URL('servers/reference-server.ts', import.meta.url));

const pinned = pinSelf(0);
console.log(
  `bench:load — same reference service (own process${pinned ? ', CPU 1' : ''}), ${CONNECTIONS} connections, ${SECONDS} s per trial, ${ROUNDS} rounds alternating, median` +
    (pinned ? '; load generators on CPU 0' : ''),
);

const staticBody = JSON.stringify(specExample());
async function rawAutocannon(url: string): Promise<number> {
  const result = await autocannon({ url: `${url}/user-profiles`, method: 'POST', connections: CONNECTIONS, duration: SECONDS, headers: { 'content-type': 'application/json' }, body: staticBody });
  return result.requests.total / result.duration;
}

async function stampedeLoad(url: string): Promise<{ rate: number; verdict: string; checked: number }> {
  // The probe is a separate phase after the load: off here, so both sides measure sending only (U3 is then unknown).
  const doc = await runLoad(resolveLoadOptions({ target: url, connections: CONNECTIONS, duration: `${SECONDS}s`, probe: 'off' }), { toolVersion: 'bench' });
  const checked = doc.invariants.filter((i) => i.id !== 'U3').map((i) => `${i.id} ${i.verdict}`).join(', ');
  return { rate: doc.throughput.overall, verdict: checked, checked: doc.totals.sent };
}

const rates = { stampede: [] as number[], raw: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? (['stampede', 'raw'] as const) : (['raw', 'stampede'] as const);
  for (const system of order) {
    // A fresh server per trial: every trial starts from an empty store.
    const server = await spawnServer(REFERENCE, { cpu: 1 });
    try {
      if (system === 'raw') {
        const rate = await rawAutocannon(server.url);
        rates.raw.push(rate);
        console.log(`  round ${round + 1}  raw autocannon, one static body      ${fmt(rate)} req/s`);
      } else {
        const { rate, verdict, checked } = await stampedeLoad(server.url);
        rates.stampede.push(rate);
        console.log(`  round ${round + 1}  stampede load (unique bodies, ledger) ${fmt(rate)} req/s  (${fmt(checked)} answers classified; ${verdict})`);
      }
    } finally {
      await server.stop();
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const stampede = median(rates.stampede);
const raw = median(rates.raw);
console.log(`load: raw autocannon, one static body       ${fmt(raw)} req/s (median)`);
console.log(`load: stampede load, unique bodies + ledger ${fmt(stampede)} req/s (median)`);
console.log(`load: ratio stampede/raw ${(stampede / raw).toFixed(2)}×  (goal ≥ 0.90×)  ${stampede / raw >= 0.9 ? 'PASS' : 'FAIL'}`);

// The big run: a separate process, so its peak RSS is its own; default probe (all acknowledged IDs) included.
const server = await spawnServer(REFERENCE, { cpu: 1 });
const out = mkdtempSync(join(tmpdir(), 'stampede-bench-load-'));
try {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('lib/load-child.ts', import.meta.url)), '--target', server.url, '--requests', String(BIG_RUN), '--connections', String(CONNECTIONS), '--out', out], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, CI: 'true' },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const peak = Number(/PEAK_RSS_BYTES (\d+)/.exec(stdout)?.[1] ?? Number.NaN);
  const verdict = /verdict: (\w+)/.exec(stdout)?.[1] ?? '?';
  console.log(`load: ${fmt(BIG_RUN)}-request run (+ durability probe of every acknowledged ID): exit ${code}, verdict ${verdict}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`load: peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB  (goal ≤ ${RSS_GOAL / 1024 / 1024} MB)  ${peak <= RSS_GOAL ? 'PASS' : 'FAIL'}`);
} finally {
  await server.stop();
  rmSync(out, { recursive: true, force: true });
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(9);
}
