// npm run bench:service — reference service vs a bare node:http server vs Fastify, same load, alternating, one run.
import { fileURLToPath } from 'node:url';
import { pinSelf, spawnServer } from './lib/spawn-server.ts';
import { BODY_BYTES, uniqueBodyTrial, type TrialResult } from './lib/unique-body-load.ts';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5); // s per measured trial
const WARMUP_SECONDS = 1; // s, unmeasured, lets the server's JIT settle
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const SYSTEMS = [
  { key: 'bare', label: 'bare node:http (reads body, 201)', script: 'servers/bare-server.ts' },
  { key: 'reference', label: 'stampede reference service', script: 'servers/reference-server.ts' },
  { key: 'fastify', label: 'fastify 5 + same ajv validator', script: 'servers/fastify-server.ts' },
] as const;
type Key = (typeof SYSTEMS)[number]['key'];

const pinned = pinSelf(0); // load generator on CPU 0, servers on CPU 1
console.log(
  `bench:service — autocannon, ${CONNECTIONS} connections, ${BODY_BYTES}-byte bodies with a unique ID each, ` +
    `${SECONDS} s per trial after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds alternating, median` +
    (pinned ? ', load generator on CPU 0 and server on CPU 1' : ''),
);

const rates: Record<Key, number[]> = { bare: [], reference: [], fastify: [] };
let checked = 0;
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round so no system always runs first (or last) on a warming machine.
  const order = SYSTEMS.map((_, i) => SYSTEMS[(i + round) % SYSTEMS.length]!);
  for (const system of order) {
    const server = await spawnServer(fileURLToPath(new URL(system.script, import.meta.url)), { cpu: 1 });
    try {
      await uniqueBodyTrial(server.url, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      const trial = await uniqueBodyTrial(server.url, { connections: CONNECTIONS, seconds: SECONDS });
      assertAllCreated(system.label, trial);
      checked += trial.total;
      rates[system.key].push(trial.requestsPerSecond);
      console.log(`  round ${round + 1}  ${system.label.padEnd(34)} ${fmt(trial.requestsPerSecond)} req/s`);
    } finally {
      await server.stop();
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const m = { bare: median(rates.bare), reference: median(rates.reference), fastify: median(rates.fastify) };
console.log(`all ${checked.toLocaleString('en-US')} measured answers were 201 Created`);
for (const system of SYSTEMS) console.log(`service: ${system.label.padEnd(34)} ${fmt(m[system.key])} req/s (median)`);
const vsBare = m.reference / m.bare;
const vsFastify = m.reference / m.fastify;
console.log(`service: ratio reference/bare    ${vsBare.toFixed(2)}×  (goal ≥ 0.85×)  ${vsBare >= 0.85 ? 'PASS' : 'FAIL'}`);
console.log(`service: ratio reference/fastify ${vsFastify.toFixed(2)}×  (goal ≥ 1.2×)   ${vsFastify >= 1.2 ? 'PASS' : 'FAIL'}`);

function assertAllCreated(label: string, trial: TrialResult): void {
  const other = Object.entries(trial.statuses).filter(([status]) => status !== '201');
  if (other.length > 0 || trial.errors > 0 || trial.total === 0) {
    throw new Error(`${label}: not every answer was 201: ${JSON.stringify(trial.statuses)}, ${trial.errors} errors/timeouts`);
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(8);
}
