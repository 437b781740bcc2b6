// npm run bench:merge — `stampede merge` as fast as k6 writes (issue 18). Fixtures: a distributed run of 2 k6 instances
// × 160,000 requests in k6 v1.3's line format (the test fixtures' writer), plain and gzipped, 5,120,000+ lines. Side by
// side, rounds alternating, medians: JSON.parse of every line (the floor a full parse cannot beat), stampede merge on
// gz and plain input on one core (taskset), and with worker threads on every core. Start-up (the same command on a
// one-request input) is measured apart and left out of the rates. Then memory: peak RSS, and the bytes held per request
// after the merge (heap + external after a GC, and the slope between 160,000 and 320,000 requests).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median } from './lib/generators.ts';

const INSTANCES = 2;
const REQUESTS = Number(process.env.BENCH_MERGE_REQUESTS ?? 160_000); // per instance
const RATE = 2_500; // req/s per instance
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL_RATE = 100_000; // requests/s, gz, one core
const GOAL_HELD = 100; // bytes per request
const MIN_LINES = 5_000_000;
const TSX = import.meta.resolve('tsx');
const CHILD = fileURLToPath(new URL('lib/merge-child.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('lib/k6-fixture.ts', import.meta.url));
const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;

interface ChildResult {
  requests: number;
  lines?: number;
  maxRssMb: number;
  heldBytes?: number;
  ledgerBytes?: number;
  wallMs: number;
}

/** Run a node script (through tsx) in its own process, optionally on CPU 0 only; its JSON line and wall time. */
function child(script: string, args: string[], options: { oneCore?: boolean; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<ChildResult> {
  const node = [...(options.nodeArgs ?? []), '--import', TSX, script, ...args];
  const [command, argv] = options.oneCore && HAS_TASKSET ? ['taskset', ['-c', '0', process.execPath, ...node]] : [process.execPath, node];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(command as string, argv as string[], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env } });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => void (out += text));
    proc.once('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      resolve({ ...(JSON.parse(out.trim().split('\n').at(-1)!) as Omit<ChildResult, 'wallMs'>), wallMs });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'stampede-bench-merge-'));
try {
  // Fixtures: one process per instance, in parallel; and a one-request input per instance for the start-up.
  const generating = performance.now();
  const files = Array.from({ length: INSTANCES }, (_, k) => join(dir, `instance-${k}.json`));
  const tiny = Array.from({ length: INSTANCES }, (_, k) => join(dir, `tiny-${k}.json`));
  const made = await Promise.all([
    ...files.map((file, k) => child(FIXTURE, [file, String(k), String(INSTANCES), String(REQUESTS), String(RATE)])),
    ...tiny.map((file, k) => child(FIXTURE, [file, String(k), String(INSTANCES), '1', String(RATE)])),
  ]);
  const lines = made.slice(0, INSTANCES).reduce((n, r) => n + r.lines!, 0);
  const requests = REQUESTS * INSTANCES;
  const plainBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const gzBytes = files.reduce((n, f) => n + statSync(`${f}.gz`).size, 0);
  console.log(
    `merge: input   ${INSTANCES} k6 instances × ${REQUESTS.toLocaleString('en-US')} requests = ${requests.toLocaleString('en-US')} requests, ${lines.toLocaleString('en-US')} lines ` +
      `(${(lines / requests).toFixed(1)} per request), 5% planned duplicates across instances; plain ${(plainBytes / 1e6).toFixed(0)} MB (${Math.round(plainBytes / requests)} B/request), ` +
      `gz ${(gzBytes / 1e6).toFixed(1)} MB (${Math.round(gzBytes / requests)} B/request, ${(plainBytes / gzBytes).toFixed(1)}× smaller); generated in ${((performance.now() - generating) / 1000).toFixed(1)} s`,
  );
  if (lines < MIN_LINES && process.env.BENCH_MERGE_REQUESTS === undefined) throw new Error(`the fixtures have ${lines} lines, fewer than ${MIN_LINES}`);

  const gz = files.map((f) => `${f}.gz`);
  const tinyGz = tiny.map((f) => `${f}.gz`);
  const cores = availableParallelism();
  const threads = Math.min(INSTANCES, cores);
  const systems: Array<{ name: string; mode: string; input: string[]; small: string[]; oneCore: boolean; env: Record<string, string> }> = [
    { name: 'JSON.parse of every line, gz, one core', mode: 'floor', input: gz, small: tinyGz, oneCore: true, env: {} },
    { name: 'stampede merge, gz, one core', mode: 'merge', input: gz, small: tinyGz, oneCore: true, env: {} },
    { name: 'stampede merge, plain, one core', mode: 'merge', input: files, small: tiny, oneCore: true, env: {} },
    { name: `stampede merge, gz, ${threads} worker threads (${cores} cores)`, mode: 'merge', input: gz, small: tinyGz, oneCore: false, env: { MERGE_THREADS: String(threads) } },
  ];
  const results = new Map(systems.map((s) => [s.name, { rate: [] as number[], startup: [] as number[], rss: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(k + round) % systems.length]!;
      const big = await child(CHILD, [system.mode, ...system.input], { oneCore: system.oneCore, env: system.env });
      const small = await child(CHILD, [system.mode, ...system.small], { oneCore: system.oneCore, env: system.env });
      if (big.requests !== requests) throw new Error(`${system.name}: ${big.requests} requests read, expected ${requests}`);
      const entry = results.get(system.name)!;
      entry.rate.push((requests / (big.wallMs - small.wallMs)) * 1000);
      entry.startup.push(small.wallMs);
      entry.rss.push(big.maxRssMb);
      console.log(`  round ${round + 1}  ${system.name.padEnd(52)} ${fmt(entry.rate.at(-1)!)} requests/s  (wall ${(big.wallMs / 1000).toFixed(2)} s, start-up ${(small.wallMs / 1000).toFixed(2)} s)`);
    }
  }
  const rateOf = (name: string) => median(results.get(name)!.rate);
  const floorRate = rateOf(systems[0]!.name);
  for (const system of systems) {
    const r = results.get(system.name)!;
    const rate = median(r.rate);
    const ratio = system.mode === 'floor' ? '' : `  ${(rate / floorRate).toFixed(1)}× the floor`;
    console.log(
      `merge: ${system.name.padEnd(52)} ${fmt(rate)} requests/s  ${fmt((rate * lines) / requests)} lines/s  (start-up ${(median(r.startup) / 1000).toFixed(2)} s apart; peak RSS ${median(r.rss).toFixed(0)} MB)${ratio}`,
    );
  }
  const oneCore = rateOf(systems[1]!.name);
  console.log(`merge: goal    gz, one core ≥ ${GOAL_RATE.toLocaleString('en-US')} requests/s: ${fmt(oneCore)} requests/s (medians of ${ROUNDS} alternating rounds; issue 18 measured ~22,000 before)`);

  // Memory: what the merge holds once every file is read (the ledger and the run's statistics), after a GC.
  const full = await child(CHILD, ['held', ...gz], { nodeArgs: ['--expose-gc'] });
  const half = await child(CHILD, ['held', gz[0]!], { nodeArgs: ['--expose-gc'] });
  const perRequest = full.heldBytes! / full.requests;
  const slope = (full.heldBytes! - half.heldBytes!) / (full.requests - half.requests);
  const rss = median(results.get(systems[1]!.name)!.rss);
  console.log(
    `merge: memory  held after reading ${full.requests.toLocaleString('en-US')} requests: ${(full.heldBytes! / 1e6).toFixed(1)} MB = ${perRequest.toFixed(0)} B/request ` +
      `(ledger ${(full.ledgerBytes! / full.requests).toFixed(0)} B/request; marginal ${slope.toFixed(0)} B/request between ${half.requests.toLocaleString('en-US')} and ${full.requests.toLocaleString('en-US')}); ` +
      `peak RSS one core ${rss.toFixed(0)} MB, ${((rss * 1024 * 1024) / requests).toFixed(0)} B/request with the runtime's fixed ~100 MB (goal ≤ ${GOAL_HELD} B/request held)`,
  );
  console.log(
    'merge: how     the floor parses all 16 lines of a request; the merge reads 2 (http_reqs, http_req_duration): the other 14 are skipped on their first ~20 bytes ' +
      "(k6 writes \"metric\" first), and the 2 are read in place from the decompressed bytes by a scanner that builds no object or string (JSON.parse only for a line it cannot read plainly); " +
      'gzip is inflated on the reading thread into reused buffers; files are read by worker threads when there are cores for them.',
  );
  const failures = [
    ...(oneCore < GOAL_RATE ? [`gz one core ${fmt(oneCore).trim()} < ${GOAL_RATE} requests/s`] : []),
    ...(perRequest > GOAL_HELD ? [`held ${perRequest.toFixed(0)} > ${GOAL_HELD} B/request`] : []),
  ];
  console.log(failures.length === 0 ? 'merge: PASS' : `merge: FAIL (${failures.join('; ')})`);
  process.exitCode = failures.length === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
