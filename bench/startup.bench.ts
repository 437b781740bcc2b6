// npm run bench:startup — how long `stampede --help` takes to start: the compiled CLI (dist/, what users run) beside the
// TypeScript sources through tsx (what every command cost before issue 19), alternating, median of rounds.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = 15;
const GOAL_MS = 300; // ms, the compiled CLI's --help

// A fresh build, so bin/stampede.js takes the compiled path (it falls back to tsx when a source is newer than dist/).
console.log('building dist/ first (npm run build)…');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0 || !existsSync(`${ROOT}dist/.built`)) process.exit(2);

const systems = {
  'compiled (node bin/stampede.js)': [process.execPath, [`${ROOT}bin/stampede.js`, '--help']],
  'tsx (node --import tsx src/cli.ts)': [process.execPath, ['--import', 'tsx', `${ROOT}src/cli.ts`, '--help']],
} as const;

function timeOnce(command: string, args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(systems).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [command, args]] of Object.entries(systems)) samples[name]!.push(timeOnce(command, args));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [compiledName, tsxName] = Object.keys(systems) as [string, string];
const compiled = median(samples[compiledName]!);
const viaTsx = median(samples[tsxName]!);
console.log(`startup: ${compiledName.padEnd(36)} --help median ${compiled.toFixed(0)} ms over ${ROUNDS} rounds`);
console.log(`startup: ${tsxName.padEnd(36)} --help median ${viaTsx.toFixed(0)} ms over ${ROUNDS} rounds`);
console.log(`startup: compiled / tsx = ${(compiled / viaTsx).toFixed(2)}×; compiled ${compiled.toFixed(0)} ms vs the goal ≤ ${GOAL_MS} ms: ${compiled <= GOAL_MS ? 'MET' : 'NOT MET'}`);
