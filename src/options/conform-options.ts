// Validation of `stampede conform` options (CLI or code), in one place, into resolved values; messages name the option.

import { randomInt } from 'node:crypto';
import { CONFORM_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { catalogueInstances } from '../conformance/cases.ts';
import { parseLevelFlag, requireMatches, type LevelRule } from '../conformance/levels.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseHeader, resolveTarget } from './target-options.ts';
import { parseDuration, parseInteger, parseStatus } from './units.ts';

export interface ConformOptionsInput {
  target?: string;
  profile?: string;
  conflictStatus?: string | number;
  fuzz?: string | number;
  seed?: string | number;
  header?: readonly string[];
  insecure?: boolean;
  timeout?: string | number;
  out?: string;
  /** Print the catalogue instead of running it. */
  list?: boolean;
  /** `--level PATTERN=must|should|may|off`, repeatable; later ones win. */
  level?: readonly string[];
  /** Rules read from a config file (already validated), applied before the --level flags. */
  presetLevels?: readonly LevelRule[];
  /** Faults of the embedded reference service (only without --target). */
  fault?: readonly string[];
}

export type ConformProfile = 'default' | 'strict';

export interface ConformOptions {
  /** Undefined: start the embedded reference service. */
  target: URL | undefined;
  profile: ConformProfile;
  conflictStatus: number;
  /** Requests of the fuzz round (0 skips the round: no NO-5XX-FUZZ check). */
  fuzz: number;
  seed: number;
  /** Extra request headers, in order; values are secrets as far as reports are concerned. */
  headers: Array<[string, string]>;
  insecure: boolean;
  timeoutMs: number; // ms
  /** Output directory; undefined = results/<timestamp>/. */
  out: string | undefined;
  list: boolean;
  faults: readonly string[];
  /** Level rules in the order they apply (the config file's, then the flags'); the last matching one wins. */
  levels: LevelRule[];
}

const RESERVED_HEADERS = new Set(['content-type', 'expect']);

export function resolveConformOptions(input: ConformOptionsInput): ConformOptions {
  const { target, faults } = resolveTarget(input);
  const profile = input.profile ?? CONFORM_DEFAULTS.profile;
  if (profile !== 'default' && profile !== 'strict') {
    throw new InvalidOptionError('--profile', `${JSON.stringify(profile)} is not a profile; write default (a SHOULD failure is a warning) or strict (a SHOULD failure fails the verdict)`);
  }
  const headers = (input.header ?? []).map(parseHeader);
  for (const [name] of headers) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new InvalidOptionError('-H', `${name} is chosen per check by stampede conform (the checks send wrong ones on purpose) and cannot be overridden`);
    }
  }
  return {
    target,
    profile,
    conflictStatus: parseStatus('--conflict-status', input.conflictStatus ?? SERVICE_DEFAULTS.conflictStatus, { min: 400, max: 499 }),
    fuzz: parseInteger('--fuzz', input.fuzz ?? CONFORM_DEFAULTS.fuzz, { min: 0, max: 1_000_000 }),
    // A fresh seed per run unless given: a target keeps the IDs it registered, so replaying a seed against it conflicts.
    seed: input.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
    headers,
    insecure: input.insecure ?? false,
    timeoutMs: parseDuration('--timeout', input.timeout ?? CONFORM_DEFAULTS.timeoutMs, { min: 1, max: 600_000 }),
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
    list: input.list ?? false,
    faults,
    levels: resolveLevels(input),
  };
}

function resolveLevels(input: ConformOptionsInput): LevelRule[] {
  const rules = [...(input.presetLevels ?? []), ...(input.level ?? []).map(parseLevelFlag)];
  if (rules.length > 0) requireMatches(rules, catalogueInstances().map((c) => c.id));
  return rules;
}
