// --max-lag and --warmup: when the generator's own lag disqualifies its latency figures, and how long the run warms up.

import { InvalidOptionError } from '../errors.ts';
import { parseDuration } from './units.ts';

/** A percentile of the lag and its limit; `off` never flags the run. */
export type MaxLag = { off: true } | { off: false; percentile: 50 | 90 | 99 | 99.9; limitMs: number; text: string };

const PERCENTILES: Record<string, 50 | 90 | 99 | 99.9> = { p50: 50, p90: 90, p99: 99, p999: 99.9, 'p99.9': 99.9 };

/** `p99=5ms`, `p99.9=20ms`, `off`. */
export function parseMaxLag(option: string, value: string): MaxLag {
  const text = value.trim();
  if (text === 'off') return { off: true };
  const match = /^(p50|p90|p99|p999|p99\.9)\s*=\s*(.+)$/.exec(text);
  if (!match) {
    throw new InvalidOptionError(option, `${JSON.stringify(text)} is not a lag limit; write a percentile and a duration, e.g. p99=5ms (percentiles: p50, p90, p99, p99.9), or off`);
  }
  const limitMs = parseDuration(option, match[2]!, { min: 0.001, max: 3_600_000 });
  return { off: false, percentile: PERCENTILES[match[1]!]!, limitMs, text: `${match[1]}=${match[2]!.trim()}` };
}

/** A warm-up duration, or 0 / `off` for none. */
export function parseWarmup(option: string, value: string | number): number {
  if (value === 0 || value === '0' || value === 'off') return 0;
  return parseDuration(option, value, { min: 0, max: 3_600_000 });
}
