// npm run bench:load — load per core (issue 15). Table 1, generator-bound: nginx answering 201 at once on CPU 1, every
// generator on CPU 0, 64 connections, the same body size, rounds alternating, medians: stampede load (http1: unique
// bodies, every answer classified, the ledger on) against autocannon (one static body; unique bodies through
// setupRequest), stampede on autocannon, wrk and k6 when on PATH. Table 2: the same against the reference service
// (today's comparison, where the target is the bottleneck). Then 1 vs 2 --workers against nginx unpinned, and a
// 1,000,000-request run's peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonTrial, buildForBench, fmt, k6Trial, median, onPath, stampedeBodyBytes, stampedeTrial, wrkTrial, type Trial, type TrialSpec } from './lib/generators.ts';
import { startNginx } from './lib/nginx.ts';
import { spawnServer } from './lib/spawn-server.ts';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5); // s per trial
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REFERENCE_ROUNDS = Number(process.env.BENCH_REFERENCE_ROUNDS ?? 3);
const BIG_RUN = Number(process.env.BENCH_BIG_REQUESTS ?? 1_000_000); // requests
const RSS_GOAL = 300 * 1024 * 1024; // bytes
const GOAL_UNIQUE = 1.0; // stampede ≥ 1.0 × autocannon with unique bodies
const STRETCH_STATIC = 0.8; // stretch: stampede ≥ 0.8 × autocannon with one static body
const REFERENCE = fileURLToPath(new URL('servers/reference-server.ts', import.meta.url));

buildForBench();
const bodyBytes = await stampedeBodyBytes();

type System = { name: string; trial: (spec: TrialSpec) => Promise<Trial> };
const systems: System[] = [
  { name: 'stampede load (http1, unique, ledger)', trial: (spec) => stampedeTrial(spec) },
  { name: 'autocannon, one static body', trial: (spec) => autocannonTrial(spec, 'static') },
  { name: 'autocannon, unique bodies (setupRequest)', trial: (spec) => autocannonTrial(spec, 'unique') },
  { name: 'stampede load --engine autocannon', trial: (spec) => stampedeTrial(spec, ['--engine', 'autocannon']) },
  ...(onPath('wrk') ? [{ name: 'wrk -t1, unique bodies (Lua)', trial: wrkTrial }] : []),
  ...(onPath('k6') ? [{ name: 'k6, 64 VUs, unique bodies', trial: k6Trial }] : []),
];

/** Every system once per round, the order rotating, medians of the rounds. */
async function table(title: string, rounds: number, target: (round: number) => Promise<{ url: string; stop(): Promise<void> }>, list: System[]): Promise<Map<string, number>> {
  console.log(`\n${title}`);
  const rates = new Map<string, number[]>(list.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = list.map((_, i) => list[(i + round) % list.length]!);
    for (const system of order) {
      // A fresh target per trial: every trial starts from the same state.
      const server = await target(round);
      try {
        const result = await system.trial({ url: server.url, connections: CONNECTIONS, seconds: SECONDS, cpu: 0, bodyBytes });
        rates.get(system.name)!.push(result.rate);
        console.log(`  round ${round + 1}  ${system.name.padEnd(42)} ${fmt(result.rate)} req/s  (${result.note})`);
      } finally {
        await server.stop();
      }
    }
  }
  const medians = new Map([...rates].map(([name, values]) => [name, median(values)]));
  for (const [name, value] of medians) console.log(`load: ${name.padEnd(42)} ${fmt(value)} req/s (median of ${rounds})`);
  return medians;
}

console.log(`bench:load — ${CONNECTIONS} connections, ${SECONDS} s per trial, bodies of ${bodyBytes} bytes (stampede's mean), target on CPU 1, generators on CPU 0`);
const nginx = await table(`Table 1 — generator-bound: nginx (return 201) on CPU 1, ${ROUNDS} rounds alternating`, ROUNDS, () => startNginx({ cpu: 1 }), systems);
const stampede = nginx.get(systems[0]!.name)!;
const unique = nginx.get(systems[2]!.name)!;
const staticBody = nginx.get(systems[1]!.name)!;
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(`load: stampede / autocannon-unique = ${ratio(stampede, unique)}×  (goal ≥ ${GOAL_UNIQUE.toFixed(1)}×)  ${stampede / unique >= GOAL_UNIQUE ? 'MET' : 'NOT MET'}`);
console.log(`load: stampede / autocannon-static = ${ratio(stampede, staticBody)}×  (stretch ≥ ${STRETCH_STATIC}×)  ${stampede / staticBody >= STRETCH_STATIC ? 'MET' : 'NOT MET'}`);
for (const [name, value] of nginx) if (name !== systems[0]!.name) console.log(`load: stampede / ${name} = ${ratio(stampede, value)}×`);

const reference = await table(`Table 2 — the reference service (own process, CPU 1): the target is the bottleneck here, ${REFERENCE_ROUNDS} rounds`, REFERENCE_ROUNDS, () => spawnServer(REFERENCE, { cpu: 1 }), systems.slice(0, 2));
console.log(`load: reference service — stampede / autocannon-static = ${ratio(reference.get(systems[0]!.name)!, reference.get(systems[1]!.name)!)}×  (both measure the target)`);

// --workers: nginx unpinned (both cores for everyone), one worker against two.
const workerRates: Record<string, number[]> = { '1': [], '2': [] };
console.log(`\n--workers against nginx unpinned (${ROUNDS} rounds alternating)`);
for (let round = 0; round < ROUNDS; round++) {
  for (const workers of round % 2 === 0 ? ['1', '2'] : ['2', '1']) {
    const server = await startNginx();
    try {
      const { rate, note } = await stampedeTrial({ url: server.url, connections: CONNECTIONS, seconds: SECONDS, bodyBytes }, ['--workers', workers]);
      workerRates[workers]!.push(rate);
      console.log(`  round ${round + 1}  --workers ${workers}  ${fmt(rate)} req/s  (${note})`);
    } finally {
      await server.stop();
    }
  }
}
const one = median(workerRates['1']!);
const two = median(workerRates['2']!);
console.log(`load: --workers 1 ${fmt(one)} req/s, --workers 2 ${fmt(two)} req/s (medians): 2 / 1 = ${ratio(two, one)}× on 2 cores shared with nginx`);

// The big run: a separate process, so its peak RSS is its own; the default probe (every acknowledged ID) included.
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
  console.log(`\nload: ${fmt(BIG_RUN).trim()}-request run (+ durability probe of every acknowledged ID): exit ${code}, verdict ${verdict}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`load: peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB  (goal ≤ ${RSS_GOAL / 1024 / 1024} MB)  ${peak <= RSS_GOAL ? 'MET' : 'NOT MET'}`);
} finally {
  await server.stop();
  rmSync(out, { recursive: true, force: true });
}
