// Validation of `stampede selftest` options: the fault rows, the short (CI) version, the seed and the output folder.

import { randomInt } from 'node:crypto';
import { SELFTEST_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseFaults } from '../service/faults.ts';
import { parseInteger } from './units.ts';

export interface SelftestOptionsInput {
  fault?: readonly string[];
  short?: boolean;
  seed?: string | number;
  out?: string;
}

export interface SelftestOptions {
  /** One row per fault, after the correct service's row. */
  faults: readonly string[];
  short: boolean;
  seed: number;
  out: string | undefined;
}

export function resolveSelftestOptions(input: SelftestOptionsInput): SelftestOptions {
  const short = input.short ?? false;
  const skipped: readonly string[] = short ? SELFTEST_DEFAULTS.short.skip : [];
  const faults = input.fault && input.fault.length > 0 ? input.fault : SELFTEST_DEFAULTS.faults.filter((fault) => !skipped.includes(fault));
  for (const fault of faults) parseFaults([fault]); // InvalidFaultError names the bad one
  const seen = new Set<string>();
  for (const fault of faults) {
    if (seen.has(fault)) throw new InvalidOptionError('--fault', `${fault} is given twice; each fault is one row of the matrix`);
    seen.add(fault);
  }
  return {
    faults,
    short,
    seed: input.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
  };
}
