// Validation of `stampede generate` options, in one place, into resolved values (InvalidOptionError, exit 2).

import { CONTRACT_LIMITS } from '../contract/user-profile-schema.ts';
import { GENERATOR_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseFraction, parseInteger } from './units.ts';

/** What the command line (or code) passes: strings as typed, or numbers. */
export interface GenerateOptionsInput {
  count?: string | number;
  seed?: string | number;
  out?: string;
  invalid?: boolean;
  dupRatio?: string | number;
  dupPattern?: string;
  variantRatio?: string | number;
  gzip?: boolean;
  events?: string;
  countries?: string;
}

export type DupPattern = 'mixed' | 'immediate' | 'delayed' | 'hot';
export const DUP_PATTERN_CHOICES: readonly DupPattern[] = ['mixed', 'immediate', 'delayed', 'hot'];
export const COUNTRY_CHOICES = ['weighted', 'uniform'] as const;

export interface GenerateOptions {
  count: number;
  seed: number;
  out: string;
  invalid: boolean;
  dupRatio: number;
  dupPattern: DupPattern;
  variantRatio: number;
  gzip: boolean;
  eventCount: { min: number; max: number; shape: 'uniform' | 'geometric' };
  countries: (typeof COUNTRY_CHOICES)[number];
}

/** Re-throws a unit parser's error with a hint on how to fix the value. */
function withHint<T>(parse: () => T, hint: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      throw new InvalidOptionError(error.option, `${error.rule}; ${hint}`);
    }
    throw error;
  }
}

export function resolveGenerateOptions(input: GenerateOptionsInput): GenerateOptions {
  const max = GENERATOR_DEFAULTS.maxCount;
  if (input.count === undefined) throw new InvalidOptionError('--count', 'is required: how many payloads to write, e.g. --count 100000');
  const count = withHint(() => parseInteger('--count', input.count!, { min: 1, max }), `write how many payloads to generate, from 1 to ${max.toLocaleString('en-US')} (e.g. --count 100000)`);
  const seed = withHint(() => parseInteger('--seed', input.seed ?? GENERATOR_DEFAULTS.seed, { min: 0, max: 2 ** 32 - 1 }), 'write a whole number from 0 to 4294967295 (e.g. --seed 7)');
  const out = (input.out ?? '').trim();
  if (out === '') throw new InvalidOptionError('--out', 'is required: the file to write, e.g. --out corpus.ndjson');
  if (out === '-') throw new InvalidOptionError('--out', 'must be a file (a sidecar file is written beside it), not standard output');
  const invalid = input.invalid ?? false;
  const dupRatio = withHint(() => parseFraction('--dup-ratio', input.dupRatio ?? GENERATOR_DEFAULTS.dupRatio), 'e.g. --dup-ratio 0.1 for 10 % duplicates');
  if (dupRatio >= 1) throw new InvalidOptionError('--dup-ratio', `must be below 1 (got ${dupRatio}): every duplicate needs an earlier first attempt; e.g. --dup-ratio 0.5`);
  if (invalid && dupRatio > 0) {
    throw new InvalidOptionError('--dup-ratio', 'cannot be combined with --invalid: invalid bodies are never registered, so repeating their IDs tests nothing; drop one of the two');
  }
  const dupPattern = input.dupPattern ?? GENERATOR_DEFAULTS.dupPattern;
  if (!(DUP_PATTERN_CHOICES as readonly string[]).includes(dupPattern)) {
    throw new InvalidOptionError('--dup-pattern', `${JSON.stringify(dupPattern)} is not a pattern; use one of ${DUP_PATTERN_CHOICES.join(', ')}`);
  }
  const variantRatio = withHint(() => parseFraction('--variant-ratio', input.variantRatio ?? GENERATOR_DEFAULTS.variantRatio), 'the fraction of duplicates sent with the ID in upper or mixed case, e.g. --variant-ratio 0.1');
  const countries = input.countries ?? GENERATOR_DEFAULTS.countries;
  if (!(COUNTRY_CHOICES as readonly string[]).includes(countries)) {
    throw new InvalidOptionError('--countries', `${JSON.stringify(countries)} is not a distribution; use weighted (by population) or uniform`);
  }
  return {
    count,
    seed,
    out,
    invalid,
    dupRatio,
    dupPattern: dupPattern as DupPattern,
    variantRatio,
    gzip: input.gzip ?? false,
    eventCount: input.events === undefined ? GENERATOR_DEFAULTS.eventCount : parseEvents(input.events),
    countries: countries as GenerateOptions['countries'],
  };
}

/** `--events MIN[-MAX][:uniform|geometric]`, e.g. `2`, `1-5`, `1-8:uniform`. */
export function parseEvents(text: string): GenerateOptions['eventCount'] {
  const limit = CONTRACT_LIMITS.maxAuditEvents;
  const match = /^(\d+)(?:-(\d+))?(?::(uniform|geometric))?$/.exec(text.trim());
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (match === null || min < 1 || max < min || max > limit) {
    throw new InvalidOptionError('--events', `${JSON.stringify(text)} is not an event count; write MIN-MAX with 1 ≤ MIN ≤ MAX ≤ ${limit}, optionally :uniform or :geometric (e.g. --events 1-5:uniform)`);
  }
  return { min, max, shape: (match[3] as 'uniform' | 'geometric' | undefined) ?? GENERATOR_DEFAULTS.eventCount.shape };
}
