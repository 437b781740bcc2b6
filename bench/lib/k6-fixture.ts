// Bench fixture: one k6 instance's `--out json` output (plain and gzipped) in k6 v1.3's real line format, written by
// the test fixtures' K6LineWriter: a distributed throughput run of `instances` k6 instances splitting the iterations
// (execution segments), distinct IDs per request, planned duplicates across instances, a realistic latency tail,
// lines in the order k6 writes them (by end time, flushed every 200 ms).
//
//   tsx bench/lib/k6-fixture.ts OUT INSTANCE INSTANCES REQUESTS_PER_INSTANCE RATE_PER_INSTANCE

import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import { K6LineWriter, type FixtureRequest } from '../../src/engines/k6/fixtures/k6-lines.ts';

export interface FixtureSpec {
  out: string; // path of the plain file; the gzipped one is out + '.gz'
  instance: number;
  instances: number;
  requests: number; // per instance
  rate: number; // req/s per instance
  dupRatio: number;
  timeoutMs: number; // declared request timeout (the stampede_run sample)
  seed: number;
}

const START = Date.parse('2026-03-02T10:00:00.000Z'); // epoch ms
const FLUSH_MS = 200; // k6's JSON output flush period
const DUP_MIN_GAP = 2_500; // iterations (~0.5 s of the whole run at 5,000 req/s)
const DUP_WINDOW = 1_000; // iterations

/** A deterministic pseudo-random number in [0, 1) for (seed, salt, n). */
function unit(seed: number, salt: number, n: number): number {
  let h = Math.imul(seed ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(n | 0, 0xc2b2ae35) ^ Math.imul((n / 0x100000000) | 0, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 0x100000000;
}

/** The UUID of iteration n of the run (distinct for distinct n: n fills the last 48 bits). */
function uuidOf(seed: number, n: number): string {
  const hex = (x: number, digits: number) => (x >>> 0).toString(16).padStart(8, '0').slice(8 - digits);
  const a = (unit(seed, 1, n) * 0x100000000) >>> 0;
  const b = (unit(seed, 2, n) * 0x100000000) >>> 0;
  const hi = Math.floor(n / 0x100000000);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-${hex(0x8000 | (hi & 0x3fff), 4)}-${hex(hi >>> 14, 4)}${hex(n, 8)}`;
}

/** Which iteration first sent the ID iteration i sends (i itself for a first attempt), as the scenario scripts plan it. */
function planned(seed: number, dupRatio: number, i: number): number {
  let n = i;
  while (n >= DUP_MIN_GAP && unit(seed, 3, n) < dupRatio) n = Math.max(0, n - DUP_MIN_GAP - Math.floor(unit(seed, 4, n) * DUP_WINDOW));
  return n;
}

/** ms: most answers within a few ms, 1% tens of ms, 1 in 10,000 seconds. */
function latency(seed: number, i: number): number {
  const u = unit(seed, 5, i);
  const base = 0.3 + 2.5 * unit(seed, 6, i) ** 2;
  if (u < 0.0001) return 1000 + 2000 * unit(seed, 7, i);
  if (u < 0.01) return 10 + 40 * unit(seed, 7, i);
  return base;
}

async function write(stream: WriteStream | Gzip, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

/** Write the instance's file (plain and .gz); resolves to its line count. */
export async function writeFixture(spec: FixtureSpec): Promise<{ lines: number; requests: number }> {
  const plain = createWriteStream(spec.out);
  const gzip = createGzip(); // level 6, as Go's gzip.DefaultCompression that k6 uses
  const gzFile = createWriteStream(`${spec.out}.gz`);
  gzip.pipe(gzFile);
  const writer = new K6LineWriter({ offsetMinutes: 0 });
  const totalRate = spec.rate * spec.instances; // iterations per second of the whole run
  writer.run(START - 50, spec.timeoutMs);
  let lines = 0;
  const flush = async () => {
    lines += writer.lines.length;
    const text = writer.take();
    await write(plain, text);
    await write(gzip, text);
  };
  // Requests of this instance by end time; written flush by flush, each flush in the order the VUs finished.
  const pending: FixtureRequest[] = [];
  let flushEnd = START + FLUSH_MS;
  const drain = async (until: number) => {
    pending.sort((x, y) => x.endAt - y.endAt);
    let k = 0;
    while (k < pending.length && pending[k]!.endAt < until) writer.request(pending[k++]!);
    pending.splice(0, k);
    if (writer.lines.length > 0) await flush();
  };
  for (let local = 0; local < spec.requests; local++) {
    const i = local * spec.instances + spec.instance; // iterations striped over the instances, as segments do
    const n = planned(spec.seed, spec.dupRatio, i);
    const start = START + (i * 1000) / totalRate;
    const took = latency(spec.seed, i);
    pending.push({
      id: uuidOf(spec.seed, n),
      attempt: n === i ? 'first' : 'duplicate',
      requestId: `${(i % 64) + 1}:${Math.floor(i / 64)}`,
      sentAt: start,
      endAt: start + took,
      durationMs: took,
      status: n === i ? 201 : 409,
    });
    while (start >= flushEnd) {
      await drain(flushEnd);
      flushEnd += FLUSH_MS;
    }
  }
  await drain(Number.POSITIVE_INFINITY);
  await new Promise<void>((resolve) => plain.end(resolve));
  await new Promise<void>((resolve) => {
    gzFile.once('close', resolve);
    gzip.end();
  });
  return { lines, requests: spec.requests };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, instance, instances, requests, rate] = process.argv.slice(2);
  const result = await writeFixture({ out: out!, instance: Number(instance), instances: Number(instances), requests: Number(requests), rate: Number(rate), dupRatio: 0.05, timeoutMs: 10_000, seed: 7 });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
