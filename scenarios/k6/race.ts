// race: duplicate bursts. In each round every VU sleeps until the same wall-clock instant, then registers the same
// ID (derived from RUN_ID + round, so VUs on every machine race on it); a correct service gives one 2xx per round.
//
//   k6 run -e TARGET_URL=http://127.0.0.1:8080 -e ROUNDS=20 -e WIDTH=32 scenarios/k6/race.ts
//
// A k6 threshold per round fails the run (non-zero exit) when that round had more than one 2xx on this instance;
// `stampede merge` catches a round whose two 2xx landed on two machines.

import exec from 'k6/execution';
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { Counter, Trend } from 'k6/metrics';
import { commonConfig, describeConfig, isSegmented, keyOf, setupRun, type RunData } from './lib/config.ts';
import { K6_SCENARIO_DEFAULTS as D } from './lib/defaults.ts';
import { EnvError, duration, instant, positiveInt } from './lib/env.ts';
import { Domain, uuidFor } from './lib/ids.ts';
import { baseOptions } from './lib/load-scenario.ts';
import { createRecorder, METRIC } from './lib/metrics.ts';
import { expectedAnswers, sendRegistration, type Sender } from './lib/register.ts';
import type { ScenarioReport } from './lib/result.ts';
import { statOf, type SummaryData } from './lib/summary-data.ts';
import { summaryOutputs } from './lib/summary.ts';
import { loadTemplates, render } from './lib/templates.ts';

const config = commonConfig();
const rounds = positiveInt('ROUNDS', D.race.rounds, 'rounds, each on a fresh ID', '20', D.maxSeries);
const width = positiveInt('WIDTH', D.race.width, 'VUs racing in each round (summed over all instances)', '32');
const interval = duration('INTERVAL', D.race.interval, '1s');
const lead = duration('LEAD', D.race.lead, '2s');
const startAt = instant('START_AT');
const templates = loadTemplates(config.corpus);
const sender: Sender = { config, record: createRecorder(config.conflictStatus), judging: 'race' };
const successes = new Counter(METRIC.raceSuccesses);
const releaseLag = new Trend(METRIC.raceReleaseLag, true);
expectedAnswers(config);

/** The race's schedule: round r starts at startAt + r × interval (epoch ms). */
export interface RaceData extends RunData {
  startAt: number; // epoch ms
  intervalMs: number; // ms
}

const roundMetric = (round: number) => `${METRIC.raceSuccesses}{round:${round}}`;

function thresholds(): Record<string, string[]> {
  const out: Record<string, string[]> = { [METRIC.wrongAnswers]: ['count==0'] };
  for (let round = 0; round < rounds; round++) out[roundMetric(round)] = ['count<=1'];
  return out;
}

export const options: Options = baseOptions(config, thresholds(), {
  race: {
    executor: 'per-vu-iterations',
    vus: width,
    iterations: rounds,
    // Every round must fit; a slow target delays late rounds rather than dropping them.
    maxDuration: `${Math.ceil((lead.ms + rounds * interval.ms) / 1000) + 60}s`,
  },
});

export function setup(): RaceData {
  const run = setupRun(config, 'race');
  if (startAt === undefined && isSegmented()) {
    throw new EnvError('START_AT', 'set when k6 runs an execution segment (every instance races at the same instants)', '', '$(date -d "+30 sec" +%s%3N)');
  }
  // Whole seconds, so instances started by hand with the same START_AT line up on the same grid.
  const at = startAt ?? Math.ceil((run.startedAt + lead.ms) / 1000) * 1000;
  console.log(`stampede race: round 0 at ${new Date(at).toISOString()}, then every ${interval.text}`);
  return { ...run, startAt: at, intervalMs: interval.ms };
}

/** The ID and body every VU of round r sends. */
export function roundRequest(data: RunData, round: number): { profileId: string; body: string } {
  const key = keyOf(data);
  const profileId = uuidFor(key, Domain.raceRound, round);
  // The other IDs only need to be fresh per round: far above any iteration number the load scenarios use.
  const n = 2 ** 48 + round;
  const ids = [profileId, uuidFor(key, Domain.session, n), uuidFor(key, Domain.transactionGroup, n), uuidFor(key, Domain.arid, n)] as const;
  return { profileId, body: render(templates[round % templates.length]!, ids) };
}

export default function (data: RaceData): void {
  const round = exec.vu.iterationInScenario;
  const at = data.startAt + round * data.intervalMs;
  const { profileId, body } = roundRequest(data, round);
  const wait = at - Date.now();
  if (wait > 0) sleep(wait / 1000);
  releaseLag.add(Math.max(0, Date.now() - at));
  // Ground truth: VU 1 (unique across instances) is the "first"; the others duplicate it at the same instant.
  const response = sendRegistration(sender, { profileId, body, attempt: exec.vu.idInTest === 1 ? 'first' : 'duplicate' });
  successes.add(response.status >= 200 && response.status < 300 ? 1 : 0, { round: String(round) });
}

function report(data: SummaryData): ScenarioReport {
  const reproduced: string[] = [];
  let without = 0;
  for (let round = 0; round < rounds; round++) {
    const count = statOf(data, roundMetric(round), 'count') ?? 0;
    if (count > 1) reproduced.push(`round ${round}: ${count}`);
    if (count === 0) without += 1;
  }
  const lag = (stat: string) => (statOf(data, METRIC.raceReleaseLag, stat) ?? 0).toFixed(1);
  const lines = [
    `race        ${rounds} rounds × ${width} VUs · rounds with more than one 2xx: ${reproduced.length}${reproduced.length ? ` (${reproduced.slice(0, 10).join(', ')})` : ''} · rounds without a 2xx: ${without}`,
    `release lag p50 ${lag('p(50)')} · p99 ${lag('p(99)')} · max ${lag('max')} ms after the round's instant`,
  ];
  return {
    lines,
    thresholds: [{
      id: 'race-rounds-reproduced',
      title: 'rounds with more than one 2xx on this instance (race reproduced)',
      limit: '0 rounds',
      observed: `${reproduced.length} round(s)`,
      verdict: reproduced.length === 0 ? 'pass' : 'fail',
    }],
  };
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, {
    scenario: 'race',
    config,
    settings: describeConfig(config, { rounds, width, interval: interval.text, lead: lead.text, ...(startAt === undefined ? {} : { startAt: new Date(startAt).toISOString() }) }),
    model: 'closed',
    report,
  });
}
