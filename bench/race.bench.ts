// npm run bench:race — release spread and race detection of last-byte (HTTP/1.1, without and with --blocker) and
// single-packet (HTTP/2) bursts, each beside the naive baseline in the same run, against the reference service with
// race:tick in its own process.
import { fileURLToPath } from 'node:url';
import { runRace } from '../src/engines/race/race-run.ts';
import { resolveRaceOptions } from '../src/options/race-options.ts';
import { pinSelf, spawnServer } from './lib/spawn-server.ts';

const WIDTH = 32;
const BURSTS = Number(process.env.BENCH_BURSTS ?? 100);
const BASELINE = Number(process.env.BENCH_BASELINE ?? 30);
const BLOCKER = process.env.BENCH_BLOCKER ?? '256kib';
const SERVER = fileURLToPath(new URL('servers/race-server.ts', import.meta.url));
const GOALS = { lastByteSpreadUs: 100, singlePacketSpreadUs: 10, detection: 0.99 };

const pinned = pinSelf(0);
console.log(
  `bench:race — reference service with race:tick (own process${pinned ? ', CPU 1' : ''}), ${BURSTS} bursts of ${WIDTH}, naive baseline ${BASELINE} bursts in the same run` +
    (pinned ? '; race client on CPU 0' : ''),
);
console.log('  spread = first to last release write of the burst (start of each write call; the blocker\'s write is not counted); one write = 0');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const met = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const runs = [
  { label: 'last-byte', sync: 'last-byte', blocker: undefined },
  { label: `+blocker ${BLOCKER}`, sync: 'last-byte', blocker: BLOCKER },
  { label: 'single-packet', sync: 'single-packet', blocker: undefined },
] as const;
const lastByte: Record<string, string> = {};
for (const { label, sync, blocker } of runs) {
  const server = await spawnServer(SERVER, { cpu: 1, env: sync === 'single-packet' ? { RACE_HTTP2: '1' } : {} });
  try {
    const options = resolveRaceOptions({ target: server.url, sync, bursts: BURSTS, width: WIDTH, baseline: BASELINE, seed: 1, ...(blocker ? { blocker } : {}) });
    const race = (await runRace(options, { toolVersion: 'bench' })).race!;
    const base = race.baseline!;
    const spreadGoal = sync === 'last-byte' ? GOALS.lastByteSpreadUs : GOALS.singlePacketSpreadUs;
    const answers = race.blocker ? ` (blocker answers ${JSON.stringify(race.blocker.answers)})` : '';
    console.log(`  ${label.padEnd(21)} spread p50 ${race.spreadUs.p50.toFixed(1)} µs (p90 ${race.spreadUs.p90.toFixed(1)}) — goal ≤ ${spreadGoal} µs: ${met(race.spreadUs.p50 <= spreadGoal)}`);
    console.log(`  ${label.padEnd(21)} detection ${pct(race.detectionRate)} vs naive ${sync === 'single-packet' ? 'HTTP/2' : 'HTTP/1.1'} ${pct(base.detectionRate)} (spread p50 ${base.spreadUs.p50.toFixed(0)} µs) — goal ≥ ${pct(GOALS.detection)}: ${met(race.detectionRate >= GOALS.detection)}${answers}`);
    if (sync === 'last-byte') lastByte[label] = `${pct(race.detectionRate)}`;
  } finally {
    await server.stop();
  }
}
console.log(`  last-byte detection side by side: without blocker ${lastByte['last-byte']} · with blocker ${BLOCKER} ${lastByte[`+blocker ${BLOCKER}`]} — goal ≥ ${pct(GOALS.detection)}`);
