// Benchmark of the payload generators: faker per payload vs the pooled path (alternating rounds, median), and corpus writing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from '../generators/corpus.ts';
import { createPayloadPool, type PayloadPool } from '../generators/pool.ts';
import { createProfileStream } from '../generators/profile.ts';

const ROUNDS = 7; // alternating faker / pooled rounds; the median of each is reported
const FAKER_ROUND_MS = 600; // ms per faker round
const POOLED_ROUND_MS = 400; // ms per pooled round
const GOAL_RATIO = 45;
const GOAL_POOLED = 1_000_000; // payloads/s on one core
const CORPUS_COUNT = 100_000;
const SEED = 1;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `batch` (which makes `size` payloads) until `ms` have passed; returns payloads per second. */
function rate(ms: number, size: number, batch: () => number): number {
  let made = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    sink += batch();
    made += size;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  if (sink === -1) console.log(sink); // keeps the work observable
  return (made / elapsed) * 1000;
}

// Faker per payload: a realistic profile from one seeded faker, serialised to the bytes that would be sent.
const profiles = createProfileStream({ seed: SEED });
const fakerBatch = () => {
  let bytes = 0;
  for (let i = 0; i < 100; i++) bytes += Buffer.from(JSON.stringify(profiles.next())).length;
  return bytes;
};

// Pooled path: a pre-serialised template with a fresh profile ID (and session, transaction-group and request IDs)
// written in, per payload. As the load engine uses it (recycle: patched in place, each body sent before the next is
// asked for), and in the default mode (each body copied into its own fresh memory, kept as long as the caller likes).
const pooledBatch = (pool: PayloadPool) => () => {
  let bytes = 0;
  for (let i = 0; i < 1_000; i++) bytes += pool.nextBody().length;
  return bytes;
};
const buildStart = performance.now();
const pool = createPayloadPool({ seed: SEED, recycle: true });
const buildMs = performance.now() - buildStart;
const recycled = pooledBatch(pool);
const fresh = pooledBatch(createPayloadPool({ seed: SEED }));

// Warm-up (JIT), then alternate so that machine noise hits both sides alike.
rate(300, 100, fakerBatch);
rate(300, 1_000, fresh);
rate(300, 1_000, recycled);
const fakerRates: number[] = [];
const pooledRates: number[] = [];
const freshRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  fakerRates.push(rate(FAKER_ROUND_MS, 100, fakerBatch));
  pooledRates.push(rate(POOLED_ROUND_MS, 1_000, recycled));
  freshRates.push(rate(POOLED_ROUND_MS, 1_000, fresh));
}
const faker = median(fakerRates);
const pooled = median(pooledRates);
const ratio = pooled / faker;

console.log(`generators: faker per payload  ${fmt(faker)} payloads/s`);
console.log(`generators: pooled path        ${fmt(pooled)} payloads/s`);
console.log(`generators: ratio pooled/faker ${ratio.toFixed(1)}×  (goal ≥ ${GOAL_RATIO}×; pooled goal ≥ ${fmt(GOAL_POOLED)}/s on one core)`);
console.log(`generators:   (medians of ${ROUNDS} alternating rounds; pooled = nextBody() with recycle, as the load engine sends it; ${pool.templateCount} faker templates built in ${fmt(buildMs)} ms)`);
console.log(`generators:   (pooled, default mode, each body copied into its own fresh memory: ${fmt(median(freshRates))} payloads/s, ${(median(freshRates) / faker).toFixed(1)}×)`);
const failures = [
  ...(pooled < GOAL_POOLED ? [`pooled ${fmt(pooled)}/s < ${fmt(GOAL_POOLED)}/s`] : []),
  ...(ratio < GOAL_RATIO ? [`ratio ${ratio.toFixed(1)}× < ${GOAL_RATIO}×`] : []),
];
console.log(failures.length === 0 ? 'generators: PASS' : `generators: FAIL (${failures.join('; ')})`);

// Corpus writing, end to end (generation, NDJSON, sidecar, disk), for 100,000 payloads.
const dir = mkdtempSync(join(tmpdir(), 'stampede-bench-'));
try {
  for (const [name, options] of [['plain', {}], ['10% duplicates', { dupRatio: 0.1 }], ['gzip', { gzip: true }], ['invalid', { invalid: true }]] as const) {
    const result = await writeCorpus({ out: join(dir, 'corpus.ndjson'), count: CORPUS_COUNT, seed: SEED, ...options });
    const seconds = result.durationMs / 1000;
    console.log(`generators: corpus ${fmt(CORPUS_COUNT)} payloads (${name.padEnd(14)}) ${seconds.toFixed(2)} s  ${(result.bytes / 1e6).toFixed(0)} MB  ${fmt(result.written / seconds)} payloads/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failures.length === 0 ? 0 : 1;
