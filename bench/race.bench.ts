// npm run bench:race — release spread and race detection of last-byte (HTTP/1.1) and single-packet (HTTP/2) bursts,
// each beside the naive baseline in the same run, against the reference service with race:tick in its own process.
import { fileURLToPath } from 'node:url';
import { runRace } from '../src/engines/race/race-run.ts';
import { resolveRaceOptions } from '../src/options/race-options.ts';
import { pinSelf, spawnServer } from './lib/spawn-server.ts';

const WIDTH = 32;
const BURSTS = Number(process.env.BENCH_BURSTS ?? 100);
const BASELINE = Number(process.env.BENCH_BASELINE ?? 30);
const SERVER = fileURLToPath(new URL('servers/race-server.ts', import.meta.url));
const GOALS = { lastByteSpreadUs: 100, singlePacketSpreadUs: 10, detection: 0.99 };

const pinned = pinSelf(0);
console.log(
  `bench:race — reference service with race:tick (own process${pinned ? ', CPU 1' : ''}), ${BURSTS} bursts of ${WIDTH}, naive baseline ${BASELINE} bursts in the same run` +
    (pinned ? '; race client on CPU 0' : ''),
);
console.log('  spread = first to last release write (start of each write call); one write = 0');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const sync of ['last-byte', 'single-packet'] as const) {
  const server = await spawnServer(SERVER, { cpu: 1, env: sync === 'single-packet' ? { RACE_HTTP2: '1' } : {} });
  try {
    const doc = await runRace(resolveRaceOptions({ target: server.url, sync, bursts: BURSTS, width: WIDTH, baseline: BASELINE, seed: 1 }), { toolVersion: 'bench' });
    const race = doc.race!;
    const base = race.baseline!;
    const spreadGoal = sync === 'last-byte' ? GOALS.lastByteSpreadUs : GOALS.singlePacketSpreadUs;
    console.log(`  ${sync.padEnd(13)} spread p50 ${race.spreadUs.p50.toFixed(1)} µs (p90 ${race.spreadUs.p90.toFixed(1)}) — goal ≤ ${spreadGoal} µs: ${race.spreadUs.p50 <= spreadGoal ? 'MET' : 'NOT MET'}`);
    console.log(`  ${sync.padEnd(13)} detection ${pct(race.detectionRate)} vs naive ${sync === 'single-packet' ? 'HTTP/2' : 'HTTP/1.1'} ${pct(base.detectionRate)} (spread p50 ${base.spreadUs.p50.toFixed(0)} µs) — goal ≥ ${pct(GOALS.detection)}: ${race.detectionRate >= GOALS.detection ? 'MET' : 'NOT MET'}`);
  } finally {
    await server.stop();
  }
}
