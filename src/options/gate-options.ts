// Validation of `stampede gate` options: flags over the --config file over GATE_DEFAULTS, into each phase's options.

import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { gateConfigViolations } from '../contract/validators.ts';
import { COMPARE_DEFAULTS, GATE_DEFAULTS, LOAD_DEFAULTS } from '../defaults.ts';
import { FileAccessError, InvalidOptionError } from '../errors.ts';
import { levelRule, type LevelRule } from '../conformance/levels.ts';
import type { RegressionLimit } from '../compare/comparison-document.ts';
import { parseAlpha, parseMaxRegression, parseSide } from './compare-options.ts';
import { resolveConformOptions, type ConformOptions } from './conform-options.ts';
import type { GateConfig } from './gate-config-schema.ts';
import { resolveLoadOptions, type LoadOptions } from './load-options.ts';
import { resolveRaceOptions, type RaceOptions } from './race-options.ts';
import { hash32 } from '../random.ts';
import { parseDuration, parseFraction } from './units.ts';

export interface GateOptionsInput {
  target?: string;
  config?: string;
  maxP99?: string | number;
  maxErrorRate?: string | number;
  minThroughput?: string | number;
  maxIndeterminate?: string | number;
  duration?: string | number;
  connections?: string | number;
  rate?: string | number;
  dupRatio?: string | number;
  probe?: string;
  bursts?: string | number;
  width?: string | number;
  sync?: string;
  /**
   * `--baseline FILE` (repeatable): baseline result documents for the regression comparison. A whole number is the
   * older spelling of `--race-baseline N` and keeps that meaning.
   */
  baseline?: string | number | readonly string[];
  /** Race phase: naive bursts measured beside. */
  raceBaseline?: string | number;
  /** `p99=10%,throughput=5%,error-rate=0.1pp`: limits judged against --baseline. */
  maxRegression?: string;
  /** Significance level of the comparison with --baseline. */
  alpha?: string | number;
  ids?: string;
  /** Load phase: a warm-up duration (judged, kept out of the figures), 0 or off. */
  warmup?: string | number;
  /** Load phase: `p99=5ms` or off. */
  maxLag?: string;
  /** Load phase, closed model: http1 or autocannon. */
  engine?: string;
  /** Load phase: worker threads sharing it. */
  workers?: string | number;
  /** Race phase: one GET /healthz on each connection before its burst. */
  raceWarmup?: boolean;
  blocker?: string | number;
  profile?: string;
  /** `--level PATTERN=must|should|may|off`, repeatable (conformance phase); applied after the config file's levels. */
  level?: readonly string[];
  fuzz?: string | number;
  conflictStatus?: string | number;
  seed?: string | number;
  header?: readonly string[];
  insecure?: boolean;
  timeout?: string | number;
  out?: string;
  fault?: readonly string[];
}

export interface GateThresholds {
  maxP99Ms: number; // ms
  maxErrorRate: number; // 0..1
  minThroughput: number; // req/s
}

export interface GateOptions {
  /** Undefined: the embedded reference service (each phase starts its own, with the same faults). */
  target: URL | undefined;
  faults: readonly string[];
  seed: number;
  headers: Array<[string, string]>;
  out: string | undefined;
  thresholds: GateThresholds;
  conformance: ConformOptions;
  load: LoadOptions;
  /** Undefined when the race phase is off (`--bursts 0`). */
  race: RaceOptions | undefined;
  /** Where the settings came from, for the result document (the config file's path, if any). */
  configFile: string | undefined;
  /** The comparison with a baseline, when --baseline (or the config's regression.baseline) is given. */
  regression: { baseline: string[]; limits: RegressionLimit[]; maxRegression: string; alpha: number } | undefined;
}

/** Read and check the --config file (JSON with comments), or {} when none is given. */
export async function loadGateConfig(path: string | undefined): Promise<GateConfig> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    const line = text.slice(0, first.offset).split('\n').length;
    throw new InvalidOptionError('--config', `${path} line ${line}: ${printParseErrorCode(first.error)}; the file is JSON (comments allowed), see src/gate/gate.example.jsonc`);
  }
  const violations = gateConfigViolations(data);
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.pointer || '/'} ${v.detail}`).join('; ');
    throw new InvalidOptionError('--config', `${path} does not fit the gate config schema: ${list}; see src/gate/gate.example.jsonc`);
  }
  return data as GateConfig;
}

/**
 * Where each flag's value sits in the config file, and its GateOptionsInput key: a bad value read from the file is
 * reported at its place in the file, not under a flag the user never typed.
 */
const CONFIG_PLACES: Record<string, [keyof GateOptionsInput, string]> = {
  '--target': ['target', '/target'],
  '--seed': ['seed', '/seed'],
  '--timeout': ['timeout', '/timeout'],
  '--conflict-status': ['conflictStatus', '/conflictStatus'],
  '--max-p99': ['maxP99', '/thresholds/maxP99'],
  '--max-error-rate': ['maxErrorRate', '/thresholds/maxErrorRate'],
  '--min-throughput': ['minThroughput', '/thresholds/minThroughput'],
  '--max-indeterminate': ['maxIndeterminate', '/thresholds/maxIndeterminate'],
  '--duration': ['duration', '/load/duration'],
  '--connections': ['connections', '/load/connections'],
  '--rate': ['rate', '/load/rate'],
  '--dup-ratio': ['dupRatio', '/load/dupRatio'],
  '--probe': ['probe', '/load/probe'],
  '--warmup': ['warmup', '/load/warmup'],
  '--max-lag': ['maxLag', '/load/maxLag'],
  '--engine': ['engine', '/load/engine'],
  '--workers': ['workers', '/load/workers'],
  '--bursts': ['bursts', '/race/bursts'],
  '--width': ['width', '/race/width'],
  '--sync': ['sync', '/race/sync'],
  '--baseline': ['raceBaseline', '/race/baseline'],
  '--race-baseline': ['raceBaseline', '/race/baseline'],
  '--max-regression': ['maxRegression', '/regression/maxRegression'],
  '--alpha': ['alpha', '/regression/alpha'],
  '--ids': ['ids', '/race/ids'],
  '--blocker': ['blocker', '/race/blocker'],
  '--profile': ['profile', '/conformance/profile'],
  '--fuzz': ['fuzz', '/conformance/fuzz'],
};

/** Flags win over the config file, which wins over GATE_DEFAULTS; every value goes through the flags' own parser. */
export function resolveGateOptions(given: GateOptionsInput, config: GateConfig = {}): GateOptions {
  const input = withRaceBaseline(given);
  try {
    return resolveMerged(input, config);
  } catch (error) {
    const place = error instanceof InvalidOptionError ? CONFIG_PLACES[error.option] : undefined;
    if (!place || input.config === undefined || input[place[0]] !== undefined || !hasPointer(config, place[1])) throw error;
    throw new InvalidOptionError('--config', `${input.config} ${place[1]}: ${error instanceof InvalidOptionError ? error.rule : ''} (the flag ${(error as InvalidOptionError).option} takes the same values)`);
  }
}

function hasPointer(config: GateConfig, pointer: string): boolean {
  let value: unknown = config;
  for (const key of pointer.slice(1).split('/')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value !== undefined;
}

function resolveMerged(input: GateOptionsInput, config: GateConfig): GateOptions {
  const target = input.target ?? config.target;
  const seed = input.seed ?? config.seed;
  const common = {
    ...(target !== undefined ? { target } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(input.fault ? { fault: input.fault } : {}),
    ...(input.header ? { header: input.header } : {}),
    insecure: input.insecure ?? config.insecure ?? false,
    ...pick('timeout', input.timeout ?? config.timeout),
    ...pick('conflictStatus', input.conflictStatus ?? config.conflictStatus),
  };
  const conformance = resolveConformOptions({
    ...common,
    profile: input.profile ?? config.conformance?.profile ?? GATE_DEFAULTS.conformance.profile,
    fuzz: input.fuzz ?? config.conformance?.fuzz ?? GATE_DEFAULTS.conformance.fuzz,
    // The file's rules first, then the flags': the last matching rule wins, so a flag wins over the file.
    presetLevels: configLevels(config, input.config),
    ...(input.level ? { level: input.level } : {}),
  });
  // One printed seed replays the whole gate; each phase draws its IDs from its own seed derived from it, because against
  // one target the phases must not send each other's IDs (the load phase would read them as false conflicts).
  const phaseSeed = (phase: string) => ({ ...common, seed: hash32(`gate-${phase}`, conformance.seed) });
  // A flag picks the model over the file: --rate over the file's connections, --connections over its rate (both
  // flags together are still refused).
  const rate = input.rate ?? (input.connections === undefined ? config.load?.rate : undefined);
  const connections = input.connections ?? (input.rate === undefined ? config.load?.connections : undefined);
  const load = resolveLoadOptions({
    ...phaseSeed('load'),
    ...(rate !== undefined ? { rate } : { connections: connections ?? GATE_DEFAULTS.load.connections }),
    ...(rate !== undefined && connections !== undefined ? { connections } : {}),
    duration: input.duration ?? config.load?.duration ?? GATE_DEFAULTS.load.durationMs,
    dupRatio: input.dupRatio ?? config.load?.dupRatio ?? GATE_DEFAULTS.load.dupRatio,
    probe: input.probe ?? config.load?.probe ?? GATE_DEFAULTS.load.probe,
    ...pick('warmup', input.warmup ?? config.load?.warmup),
    ...pick('maxLag', input.maxLag ?? config.load?.maxLag),
    ...pick('engine', input.engine ?? config.load?.engine),
    ...pick('workers', input.workers ?? config.load?.workers),
    maxIndeterminate: input.maxIndeterminate ?? config.thresholds?.maxIndeterminate ?? LOAD_DEFAULTS.maxIndeterminateShare,
  });
  const bursts = input.bursts ?? config.race?.bursts ?? GATE_DEFAULTS.race.bursts;
  const race =
    Number(bursts) === 0
      ? undefined
      : resolveRaceOptions({
          ...phaseSeed('race'),
          bursts,
          width: input.width ?? config.race?.width ?? GATE_DEFAULTS.race.width,
          sync: input.sync ?? config.race?.sync ?? GATE_DEFAULTS.race.sync,
          baseline: input.raceBaseline ?? config.race?.baseline ?? GATE_DEFAULTS.race.baselineBursts,
          ...pick('ids', input.ids ?? config.race?.ids),
          ...pick('warmup', input.raceWarmup ?? config.race?.warmup),
          ...pick('blocker', input.blocker ?? config.race?.blocker),
        });
  return {
    target: conformance.target,
    faults: conformance.faults,
    seed: conformance.seed,
    headers: conformance.headers,
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
    thresholds: {
      maxP99Ms: parseDuration('--max-p99', input.maxP99 ?? config.thresholds?.maxP99 ?? GATE_DEFAULTS.thresholds.maxP99Ms, { min: 0.001, max: 3_600_000 }),
      maxErrorRate: parseFraction('--max-error-rate', input.maxErrorRate ?? config.thresholds?.maxErrorRate ?? GATE_DEFAULTS.thresholds.maxErrorRate),
      minThroughput: parseMinThroughput(input.minThroughput ?? config.thresholds?.minThroughput ?? GATE_DEFAULTS.thresholds.minThroughput),
    },
    conformance,
    load,
    race,
    configFile: input.config,
    regression: resolveRegression(input, config),
  };
}

/** `--baseline 10` (a whole number) is the older spelling of `--race-baseline 10`; anything else is a baseline file. */
function withRaceBaseline(input: GateOptionsInput): GateOptionsInput {
  const given = input.baseline === undefined ? [] : Array.isArray(input.baseline) ? input.baseline : [input.baseline];
  const counts = given.filter((v) => /^\s*\d+\s*$/.test(String(v)));
  const files = given.filter((v) => !counts.includes(v)).map(String);
  const { baseline: _, ...rest } = input;
  return {
    ...rest,
    ...(files.length ? { baseline: files } : {}),
    ...(input.raceBaseline === undefined && counts.length ? { raceBaseline: counts[counts.length - 1]! } : {}),
  };
}

function resolveRegression(input: GateOptionsInput, config: GateConfig): GateOptions['regression'] {
  const fromConfig = config.regression?.baseline;
  const files = input.baseline !== undefined ? (input.baseline as string[]).flatMap((f) => parseSide('--baseline', f)) : typeof fromConfig === 'string' ? [fromConfig] : (fromConfig ?? []);
  const spec = input.maxRegression ?? config.regression?.maxRegression;
  const alpha = input.alpha ?? config.regression?.alpha;
  if (files.length === 0) {
    if (spec !== undefined) throw new InvalidOptionError('--max-regression', 'judges a comparison with a baseline: give --baseline FILE too (a result.json of an earlier run with the same settings)');
    if (alpha !== undefined) throw new InvalidOptionError('--alpha', 'is the significance level of the comparison with a baseline: give --baseline FILE too');
    return undefined;
  }
  const limits = parseMaxRegression('--max-regression', spec ?? COMPARE_DEFAULTS.maxRegression);
  const maxRegression = typeof spec === 'object' ? Object.entries(spec).map(([k, v]) => `${k}=${v}`).join(',') : (spec ?? COMPARE_DEFAULTS.maxRegression);
  return { baseline: files, limits, maxRegression, alpha: parseAlpha('--alpha', alpha ?? COMPARE_DEFAULTS.alpha) };
}

/** The config file's `conformance.levels` ({ "PATTERN": "must" | "should" | "may" | "off" }, in file order) as rules. */
function configLevels(config: GateConfig, file: string | undefined): LevelRule[] {
  const levels = config.conformance?.levels ?? {};
  return Object.entries(levels).map(([pattern, level]) => levelRule(pattern, level, `${file ?? 'the config file'} /conformance/levels`, '--config'));
}

function parseMinThroughput(value: string | number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || String(value).trim() === '') {
    throw new InvalidOptionError('--min-throughput', `${JSON.stringify(String(value))} is not a rate; write answers per second, 0 or more (e.g. --min-throughput 1000; 0 turns the threshold off)`);
  }
  return n;
}

function pick<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
