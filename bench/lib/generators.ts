// The load generators the benchmarks compare, each run in its own process (pinned to a CPU when asked): stampede
// load (compiled CLI), autocannon with one static body or unique bodies, wrk with unique bodies from Lua, k6.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;

export interface Trial {
  /** Answers per second over the trial. */
  rate: number; // req/s
  /** One line on what the trial saw (statuses, verdict…). */
  note: string;
}

export interface TrialSpec {
  url: string;
  connections: number;
  seconds: number; // s
  /** CPU to pin the generator to (Linux taskset); undefined: not pinned. */
  cpu?: number;
  /** Body size the other generators match (stampede's own mean body size). */
  bodyBytes: number; // bytes
}

export const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Run a command to completion (pinned when `cpu` is given); its stdout. */
function run(command: string, args: string[], cpu: number | undefined, env: Record<string, string> = {}): Promise<string> {
  const pinned = cpu !== undefined && HAS_TASKSET;
  const child = spawn(pinned ? 'taskset' : command, pinned ? ['-c', String(cpu), command, ...args] : args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 || code === 1 || code === 3 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err.slice(-600)}`)))),
  );
}

/** The compiled CLI when dist/ is current (bin/stampede.js decides), else the sources through tsx. */
const STAMPEDE = join(ROOT, 'bin/stampede.js');

/** `stampede load` in its own process: closed model, unique bodies, every answer classified, the ledger on. */
export async function stampedeTrial(spec: TrialSpec, extra: string[] = []): Promise<Trial & { document: StampedeDocument }> {
  const out = mkdtempSync(join(tmpdir(), 'stampede-bench-'));
  try {
    await run(process.execPath, [STAMPEDE, 'load', '--target', spec.url, '--connections', String(spec.connections), '--duration', `${spec.seconds}s`, '--probe', 'off', '--out', out, ...extra], spec.cpu, { CI: 'true' });
    const document = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as StampedeDocument;
    const classified = document.totals.ok + document.totals.fail + document.totals.indeterminate;
    return { rate: document.throughput.overall, note: `${classified.toLocaleString('en-US')} answers classified, ${document.totals.indeterminate} indeterminate`, document };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface StampedeDocument {
  throughput: { overall: number };
  totals: { sent: number; ok: number; fail: number; indeterminate: number };
  latency: { overall: { p50: number; p99: number }; lag?: { p99: number; lateShare: number }; service?: { p99: number }; generatorBound?: { reason: string } };
  verdict: string;
}

/** autocannon in its own process: `static` (one body) or `unique` (a fresh ID per request via setupRequest). */
export async function autocannonTrial(spec: TrialSpec, mode: 'static' | 'unique'): Promise<Trial> {
  const stdout = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/autocannon-trial.ts'), mode, spec.url, String(spec.connections), String(spec.seconds), String(spec.bodyBytes)], spec.cpu);
  const result = JSON.parse(/RESULT (.*)/.exec(stdout)![1]!) as { rate: number; statuses: Record<string, number>; errors: number };
  return { rate: result.rate, note: `statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}` };
}

/**
 * The body halves around the profile ID: one of stampede's own generated profiles (valid under the contract, so the
 * reference service answers it 201 too) of the size closest to `size` bytes.
 */
export async function bodyHalves(size: number): Promise<[string, string]> {
  const { createPayloadPool } = await import('../../generators/pool.ts');
  const pool = createPayloadPool({ seed: 1 });
  let best = pool.next();
  for (let i = 0; i < 2000; i++) {
    const candidate = pool.next();
    if (Math.abs(candidate.body.length - size) < Math.abs(best.body.length - size)) best = candidate;
  }
  const text = best.body.toString('latin1');
  const at = text.indexOf(best.id);
  return [text.slice(0, at), text.slice(at + best.id.length)];
}

/** wrk (one thread) with a unique ID per request built in Lua. */
export async function wrkTrial(spec: TrialSpec): Promise<Trial> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-wrk-'));
  try {
    const [before, after] = await bodyHalves(spec.bodyBytes);
    const script = join(dir, 'unique.lua');
    writeFileSync(
      script,
      `-- unique bodies: a fresh v4-shaped ID per request
local before = ${JSON.stringify(before)}
local after = ${JSON.stringify(after)}
math.randomseed(os.time())
local function hex(n) local s = '' for i = 1, n do s = s .. string.format('%x', math.random(0, 15)) end return s end
request = function()
  local id = hex(8) .. '-' .. hex(4) .. '-4' .. hex(3) .. '-8' .. hex(3) .. '-' .. hex(12)
  return wrk.format('POST', '/user-profiles', { ['Content-Type'] = 'application/json' }, before .. id .. after)
end
`,
    );
    const stdout = await run('wrk', ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '-s', script, spec.url], spec.cpu);
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
    const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: [^\n]*/.exec(stdout)?.[0] ?? 'no errors';
    return { rate, note: errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** k6 with `connections` VUs for `seconds`, a unique ID per request, its own output parsed. */
export async function k6Trial(spec: TrialSpec): Promise<Trial> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-k6-'));
  try {
    const [before, after] = await bodyHalves(spec.bodyBytes);
    const script = join(dir, 'unique.js');
    const summary = join(dir, 'summary.json');
    writeFileSync(
      script,
      `import http from 'k6/http';
const before = ${JSON.stringify(before)};
const after = ${JSON.stringify(after)};
const params = { headers: { 'Content-Type': 'application/json' } };
function id() { return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(Math.random() * 16).toString(16)); }
export const options = { vus: ${spec.connections}, duration: '${spec.seconds}s', discardResponseBodies: true, summaryTrendStats: ['p(99)'] };
export default function () { http.post('${spec.url}/user-profiles', before + id() + after, params); }
`,
    );
    await run('k6', ['run', '--quiet', '--no-usage-report', '--summary-export', summary, script], spec.cpu);
    const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { rate?: number; count?: number }> }).metrics;
    return { rate: metrics.http_reqs?.rate ?? Number.NaN, note: `${metrics.http_reqs?.count ?? 0} requests` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** stampede's mean request body size (the pooled generator, 1–5 audit events), for the others to match. */
export async function stampedeBodyBytes(): Promise<number> {
  const { createDuplicateStream } = await import('../../generators/duplicates.ts');
  const stream = createDuplicateStream({ seed: 1, dupRatio: 0.05, recycle: true });
  let total = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) total += stream.next().body.length;
  return Math.round(total / n);
}

/** Build dist/ so stampede's trials run the compiled CLI (what users run); tsx only when the build fails. */
export function buildForBench(): void {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(ROOT, 'dist/.built'))) console.log('(build failed: stampede runs from the sources through tsx)');
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(9);
