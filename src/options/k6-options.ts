// Validation of `stampede k6` options (CLI or code), in one place, into resolved values; messages name the option.

import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { K6_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseProbe, type ProbePlan } from './load-options.ts';
import { parseHeader, resolveTarget } from './target-options.ts';
import { parseDuration, parseFraction, parseInteger, parseStatus } from './units.ts';

export interface K6OptionsInput {
  scenario: string;
  /** Extra `k6 run` arguments (after `--`), passed as they are. */
  k6Args?: readonly string[];
  target?: string;
  rate?: string | number;
  duration?: string | number;
  vus?: string | number;
  maxVus?: string | number;
  dupRatio?: string | number;
  corpus?: string;
  segment?: string;
  segmentSequence?: string;
  header?: readonly string[];
  insecure?: boolean;
  conflictStatus?: string | number;
  maxIndeterminate?: string | number;
  probe?: string;
  fault?: readonly string[];
  seed?: string | number;
  /** RUN_ID shared by every instance of a distributed run; default a fresh UUID. */
  runId?: string;
  out?: string;
}

export interface K6Options {
  scenario: string;
  k6Args: readonly string[];
  /** Undefined: start the embedded reference service. */
  target: URL | undefined;
  faults: readonly string[];
  /** `-e NAME=value` settings of the scenario from stampede's options, in order (TARGET_URL, CORPUS, RUN_ID and SUMMARY_OUT are added by the runner). */
  env: Array<[string, string]>;
  /** Sent to the scripts as HEADERS (a JSON object) through k6's environment, never on its command line. */
  headers: Array<[string, string]>;
  insecure: boolean;
  /** Absolute path of the corpus given with --corpus; undefined: the runner generates one. */
  corpus: string | undefined;
  segment: string | undefined;
  segmentSequence: string | undefined;
  conflictStatus: number;
  maxIndeterminateShare: number; // 0..1
  probe: ProbePlan;
  /** Seed of the generated corpus and of the probe. */
  seed: number;
  runId: string | undefined;
  out: string | undefined;
}

export function resolveK6Options(input: K6OptionsInput): K6Options {
  if (!(K6_DEFAULTS.scenarios as readonly string[]).includes(input.scenario)) {
    throw new InvalidOptionError('scenario', `${JSON.stringify(input.scenario)} is not a scenario; choose one of ${K6_DEFAULTS.scenarios.join(', ')} (scenarios/k6/<name>.ts)`);
  }
  const { target, faults } = resolveTarget(input);
  const conflictStatus = parseStatus('--conflict-status', input.conflictStatus ?? SERVICE_DEFAULTS.conflictStatus, { min: 400, max: 499 });
  const insecure = input.insecure ?? false;
  const env: Array<[string, string]> = [];
  if (input.rate !== undefined) env.push(['RATE', String(parseRate(input.rate))]);
  if (input.duration !== undefined) env.push(['DURATION', k6Duration(parseDuration('--duration', input.duration, { min: 1000, max: 7 * 86_400_000 }))]);
  if (input.vus !== undefined) env.push(['VUS', String(parseInteger('--vus', input.vus, { min: 1, max: 100_000 }))]);
  if (input.maxVus !== undefined) env.push(['MAX_VUS', String(parseInteger('--max-vus', input.maxVus, { min: 1, max: 100_000 }))]);
  if (input.dupRatio !== undefined) {
    const ratio = parseFraction('--dup-ratio', input.dupRatio);
    if (ratio >= 1) throw new InvalidOptionError('--dup-ratio', 'must be below 1: every duplicate needs a first attempt; e.g. --dup-ratio 0.05');
    env.push(['DUP_RATIO', String(ratio)]);
  }
  env.push(['CONFLICT_STATUS', String(conflictStatus)]);
  if (insecure) env.push(['INSECURE', 'true']);

  const segment = input.segment === undefined ? undefined : checkSegment(input.segment);
  const segmentSequence = input.segmentSequence === undefined ? undefined : checkSequence(input.segmentSequence, segment);
  return {
    scenario: input.scenario,
    k6Args: input.k6Args ?? [],
    target,
    faults,
    env,
    headers: (input.header ?? []).map(parseHeader),
    insecure,
    corpus: input.corpus === undefined ? undefined : resolve(input.corpus),
    segment,
    segmentSequence,
    conflictStatus,
    maxIndeterminateShare: parseFraction('--max-indeterminate', input.maxIndeterminate ?? K6_DEFAULTS.maxIndeterminateShare),
    probe: parseProbe(input.probe ?? K6_DEFAULTS.probe),
    seed: input.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
    runId: input.runId === undefined ? undefined : checkRunId(input.runId),
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
  };
}

/** What the scenario scripts accept as RUN_ID (scenarios/k6/lib/env.ts). */
function checkRunId(text: string): string {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(text)) throw new InvalidOptionError('--run-id', `${JSON.stringify(text)}: write 1 to 64 letters, digits, ".", "_", ":" or "-", the same on every instance (e.g. --run-id nightly-42)`);
  return text;
}

function parseRate(value: string | number): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1_000_000 || String(value).trim() === '') {
    throw new InvalidOptionError('--rate', `${JSON.stringify(String(value))} is not a rate; write iterations (requests) started per second, above 0 and at most 1000000 (e.g. --rate 500)`);
  }
  return rate;
}

/** ms → a duration k6 parses (Go syntax): whole seconds as `30s`, else `1500ms`. */
function k6Duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** A point of an execution segment: 1/3, 0.5 or 50% → a number in [0, 1]; NaN when malformed. */
function segmentPoint(text: string): number {
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  if (fraction) return Number(fraction[2]) === 0 ? Number.NaN : Number(fraction[1]) / Number(fraction[2]);
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) return Number(percent[1]) / 100;
  return /^\d*\.?\d+$/.test(text) ? Number(text) : Number.NaN;
}

const SEGMENT_RULE = 'write FROM:TO with each point a fraction, decimal or percentage in 0..1 and FROM < TO, e.g. --segment 0:1/2 (a single value V means 0:V)';

function checkSegment(text: string): string {
  const parts = text.trim().split(':');
  const [from, to] = parts.length === 1 ? [0, segmentPoint(parts[0]!)] : parts.length === 2 ? [segmentPoint(parts[0]!), segmentPoint(parts[1]!)] : [Number.NaN, Number.NaN];
  if (!(from >= 0 && to <= 1 && from < to)) throw new InvalidOptionError('--segment', `${JSON.stringify(text)} is not an execution segment; ${SEGMENT_RULE}`);
  return text.trim();
}

function checkSequence(text: string, segment: string | undefined): string {
  if (segment === undefined) throw new InvalidOptionError('--segment-sequence', 'needs --segment: the sequence lists every instance\'s boundaries, --segment says which one this instance runs');
  const points = text.split(',').map((p) => segmentPoint(p.trim()));
  const increasing = points.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p > points[i - 1]!));
  if (points.length < 2 || !increasing) {
    throw new InvalidOptionError('--segment-sequence', `${JSON.stringify(text)} is not a sequence; write increasing points in 0..1 separated by commas, e.g. --segment-sequence 0,1/3,2/3,1`);
  }
  const parts = segment.split(':');
  const ends = parts.length === 1 ? [0, segmentPoint(parts[0]!)] : parts.map(segmentPoint);
  const inSequence = (x: number) => points.some((p) => Math.abs(p - x) < 1e-9);
  if (!ends.every(inSequence)) throw new InvalidOptionError('--segment', `${segment} must start and end on points of --segment-sequence ${text}`);
  return text.trim();
}
