// Validation of `stampede race` options (CLI or code), in one place, into resolved values; messages name the option.

import { randomInt } from 'node:crypto';
import { RACE_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseHeader, resolveTarget } from './target-options.ts';
import { parseBytes, parseDuration, parseInteger, parseStatus } from './units.ts';

export const SYNC_MODES = ['last-byte', 'single-packet', 'naive'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export const ID_MODES = ['same', 'variants'] as const;
export type IdMode = (typeof ID_MODES)[number];

export interface RaceOptionsInput {
  target?: string;
  bursts?: string | number;
  width?: string | number;
  sync?: string;
  ids?: string;
  warmup?: boolean;
  seed?: string | number;
  header?: readonly string[];
  insecure?: boolean;
  timeout?: string | number;
  conflictStatus?: string | number;
  /** Naive bursts measured beside a synchronised mode (0 = none). */
  baseline?: string | number;
  out?: string;
  /** A replay file written by an earlier run: re-send its bytes (bursts, width, sync, ids, seed come from it). */
  replay?: string;
  /** Faults of the embedded reference service (only without --target). */
  fault?: readonly string[];
  /** last-byte: body size of a blocker request sent per burst (e.g. 256kib); 0 or off: none. */
  blocker?: string | number;
  /** Connections being opened at once (connect, TLS, warm-up). */
  connectConcurrency?: string | number;
}

export interface RaceOptions {
  /** Undefined: start the embedded reference service. */
  target: URL | undefined;
  bursts: number;
  width: number;
  sync: SyncMode;
  ids: IdMode;
  warmup: boolean;
  seed: number;
  /** Extra request headers, in order; values are secrets as far as reports are concerned. */
  headers: Array<[string, string]>;
  insecure: boolean;
  timeoutMs: number; // ms
  conflictStatus: number;
  baselineBursts: number;
  out: string | undefined;
  replay: string | undefined;
  faults: readonly string[];
  /** Body bytes of the blocker request per last-byte burst; 0 = none. */
  blockerBytes: number; // bytes
  /** Connections being opened at once (connect, TLS, warm-up): a small accept queue is never flooded. */
  connectConcurrency: number; // connections
}

export function resolveRaceOptions(input: RaceOptionsInput): RaceOptions {
  const { target, faults } = resolveTarget(input);

  const replay = input.replay === undefined || input.replay.trim() === '' ? undefined : input.replay;
  if (replay !== undefined) {
    // What to send comes from the file; options that would change it contradict the replay.
    const clash = (
      [
        ['--bursts', input.bursts],
        ['--width', input.width],
        ['--sync', input.sync],
        ['--ids', input.ids],
        ['--seed', input.seed],
        ['--warmup', input.warmup ? true : undefined],
        ['-H', input.header?.length ? input.header : undefined],
        ['--blocker', input.blocker],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (clash) throw new InvalidOptionError(clash[0], 'cannot be combined with --replay: the replay file fixes the requests, their bytes and the sync mode');
  }

  const sync = (input.sync ?? RACE_DEFAULTS.sync) as SyncMode;
  if (!SYNC_MODES.includes(sync)) {
    throw new InvalidOptionError('--sync', `${JSON.stringify(input.sync)} is not a sync mode; choose last-byte (HTTP/1.1), single-packet (HTTP/2) or naive`);
  }
  const blockerBytes = resolveBlocker(input.blocker, sync);
  const ids = (input.ids ?? RACE_DEFAULTS.ids) as IdMode;
  if (!ID_MODES.includes(ids)) throw new InvalidOptionError('--ids', `${JSON.stringify(input.ids)} is not an ID mode; choose same or variants (upper/lower/mixed case)`);
  // Every burst's exact bytes are planned up front and kept for the replay file: bounded so they fit in memory.
  const bursts = parseInteger('--bursts', input.bursts ?? RACE_DEFAULTS.bursts, { min: 1, max: 10_000 });
  const width = parseInteger('--width', input.width ?? RACE_DEFAULTS.width, { min: 2, max: 1_000 });
  const baselineBursts =
    sync === 'naive' || replay !== undefined ? 0 : parseInteger('--baseline', input.baseline ?? Math.min(bursts, RACE_DEFAULTS.baselineBursts), { min: 0, max: 1_000_000 });
  return {
    target,
    bursts,
    width,
    sync,
    ids,
    warmup: input.warmup ?? false,
    seed: input.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
    headers: (input.header ?? []).map(parseHeader),
    insecure: input.insecure ?? false,
    timeoutMs: parseDuration('--timeout', input.timeout ?? RACE_DEFAULTS.timeoutMs, { min: 1, max: 600_000 }),
    conflictStatus: parseStatus('--conflict-status', input.conflictStatus ?? SERVICE_DEFAULTS.conflictStatus, { min: 400, max: 499 }),
    baselineBursts,
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
    replay,
    faults,
    blockerBytes,
    connectConcurrency: parseInteger('--connect-concurrency', input.connectConcurrency ?? RACE_DEFAULTS.connectConcurrency, { min: 1, max: 1_000 }),
  };
}

/** Smallest and largest blocker bodies: below ~1 KiB it keeps no server busy; above 64 MiB no service takes it. */
const BLOCKER_MIN_BYTES = 1024; // bytes
const BLOCKER_MAX_BYTES = 64 * 1024 * 1024; // bytes

function resolveBlocker(value: string | number | undefined, sync: SyncMode): number {
  if (value === undefined) return RACE_DEFAULTS.blockerBytes;
  if (value === 0 || /^\s*(0|off|none)\s*$/i.test(String(value))) return 0;
  if (sync !== 'last-byte') {
    throw new InvalidOptionError('--blocker', `applies to --sync last-byte only (it keeps an HTTP/1.1 server busy while the final bytes land); drop it for ${sync}`);
  }
  return parseBytes('--blocker', value, { min: BLOCKER_MIN_BYTES, max: BLOCKER_MAX_BYTES });
}
