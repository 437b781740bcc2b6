// The per-second samples of one run that a comparison uses: whole seconds of steady load, and for latency only the
// seconds that measured the target rather than stampede.
//
// A run's last row usually covers only the few ms between its last whole second and the stop (plus answers still in
// flight), and its first second holds the ramp-up (connections opening, the JIT and the target warming up) unless a
// --warmup ran before it. Both would pull the samples of a short run apart from a long one's, so the last row is
// dropped when it covers less than a whole second of load, and the first when no warm-up preceded it.
//
// A second in which stampede's own lag p99 went over the run's --max-lag duration measured stampede (a stall of this
// machine delays every request that second, whatever the target): its latency values are left out, its answers and
// errors are kept. This is the per-second form of the run's generator-bound flag, and what keeps a busy CI machine's
// stalls from drowning a real change of the target.

import type { ResultDocument, SecondSample } from '../result/result-document.ts';
import type { ComparedRun, FigureId } from './comparison-document.ts';
import { FIGURES } from './figures.ts';

/** Timer slack: a 3 s run that stopped at 3,040 ms still has three whole seconds. */
const WHOLE_SECOND_SLACK = 0.05; // s

export interface RunSamples {
  /** Per figure, the values of the seconds used. */
  values: Record<FigureId, number[]>;
  seconds: ComparedRun['seconds'];
  /** Generator stalls were filtered per second: the run had a lag limit and its rows carry stampede's lag. */
  filtersLag: boolean;
}

export function runSamples(document: ResultDocument): RunSamples {
  const rows = [...document.throughput.perSecond].sort((a, b) => a.t - b.t);
  const loadSeconds = document.throughput.durationMs / 1000;
  const warmedUp = (document.warmup?.durationMs ?? Number(runSetting(document, 'warmupMs') ?? 0)) > 0;
  const limit = rows.some((r) => r.lagP99 !== undefined) ? lagLimitMs(document) : undefined;
  const dropped: string[] = [];
  const used: SecondSample[] = [];
  let lagged = 0;
  for (const row of rows) {
    if (row.t + 1 > loadSeconds + WHOLE_SECOND_SLACK) {
      const covered = Math.max(0, Math.round((loadSeconds - row.t) * 1000));
      dropped.push(`t=${row.t} s: covers ${covered} ms of load (the run ended in it)`);
    } else if (row.t === 0 && !warmedUp) {
      dropped.push('t=0 s: the ramp-up second (no --warmup ran before it)');
    } else {
      used.push(row);
      if (limit !== undefined && row.lagP99 !== undefined && row.lagP99 > limit) {
        lagged++;
        dropped.push(`t=${row.t} s: latency left out, stampede's own lag p99 was ${row.lagP99} ms (over ${limit} ms)`);
      }
    }
  }
  const measuredTarget = (row: SecondSample) => limit === undefined || row.lagP99 === undefined || row.lagP99 <= limit;
  const values = Object.fromEntries(
    FIGURES.map((f) => [f.id, used.filter((row) => f.kind !== 'latency' || measuredTarget(row)).map(f.sample).filter((v): v is number => v !== undefined && Number.isFinite(v))]),
  ) as Record<FigureId, number[]>;
  return { values, seconds: { rows: rows.length, used: used.length, lagged, dropped }, filtersLag: limit !== undefined };
}

/** The duration of the run's --max-lag (`p99=5ms` → 5), undefined when off or not recorded. */
function lagLimitMs(document: ResultDocument): number | undefined {
  const text = runSetting(document, 'maxLag');
  const match = typeof text === 'string' ? /=\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)$/.exec(text) : null;
  if (!match) return undefined;
  const unit: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };
  return Number(match[1]) * unit[match[2]!]!;
}

/** A setting of the run: its own configuration's, or a gate's load phase's. */
function runSetting(document: ResultDocument, key: 'warmupMs' | 'maxLag'): unknown {
  const config = document.config as Record<string, unknown> & { load?: Record<string, unknown> };
  return config[key] ?? config.load?.[key];
}
