// Validation of `stampede merge` options (CLI or code), in one place, into resolved values; messages name the option.

import { K6_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseProbe } from './load-options.ts';
import { parseHeader, parseTarget } from './target-options.ts';
import { parseDuration, parseFraction, parseInteger, parseStatus } from './units.ts';

export interface MergeOptionsInput {
  files: readonly string[];
  out?: string;
  conflictStatus?: string | number;
  maxIndeterminate?: string | number;
  /** Run the durability probe against this base URL (the target the k6 instances loaded). */
  probeTarget?: string;
  probe?: string;
  header?: readonly string[];
  insecure?: boolean;
  timeout?: string | number;
  seed?: string | number;
}

export interface ResolvedMergeOptions {
  files: readonly string[];
  /** Undefined: results/<timestamp>/. */
  out: string | undefined;
  conflictStatus: number;
  maxIndeterminateShare: number; // 0..1
  probe: { target: URL; plan: { mode: 'all' } | { mode: 'sample'; size: number }; headers: Array<[string, string]>; insecure: boolean; timeoutMs: number } | undefined;
  /** Seed of the probe's sample and bodies. */
  seed: number;
}

export function resolveMergeOptions(input: MergeOptionsInput): ResolvedMergeOptions {
  if (input.files.length === 0) throw new InvalidOptionError('FILE', 'give at least one k6 --out json file, e.g. stampede merge a.json b.json');
  const headers = (input.header ?? []).map(parseHeader);
  let probe: ResolvedMergeOptions['probe'];
  if (input.probeTarget === undefined) {
    for (const [given, option] of [
      [input.probe !== undefined, '--probe'],
      [headers.length > 0, '-H'],
      [input.insecure === true, '--insecure'],
      [input.timeout !== undefined, '--timeout'],
    ] as const) {
      if (given) throw new InvalidOptionError(option, 'is an option of the durability probe, which runs only with --probe-target URL (the target the k6 instances loaded)');
    }
  } else {
    const plan = parseProbe(input.probe ?? K6_DEFAULTS.probe);
    if (plan.mode === 'off') throw new InvalidOptionError('--probe', 'off cannot be combined with --probe-target; drop --probe-target to skip the durability probe (U3 is then unknown)');
    probe = {
      target: probeTarget(input.probeTarget),
      plan,
      headers,
      insecure: input.insecure ?? false,
      timeoutMs: parseDuration('--timeout', input.timeout ?? K6_DEFAULTS.probeTimeoutMs, { min: 1, max: 600_000 }),
    };
  }
  return {
    files: input.files,
    out: input.out === undefined || input.out.trim() === '' ? undefined : input.out,
    conflictStatus: parseStatus('--conflict-status', input.conflictStatus ?? SERVICE_DEFAULTS.conflictStatus, { min: 400, max: 499 }),
    maxIndeterminateShare: parseFraction('--max-indeterminate', input.maxIndeterminate ?? K6_DEFAULTS.maxIndeterminateShare),
    probe,
    seed: input.seed === undefined ? 1 : parseInteger('--seed', input.seed, { min: 0, max: 2 ** 32 - 1 }),
  };
}

function probeTarget(text: string): URL {
  try {
    return parseTarget(text);
  } catch (error) {
    if (error instanceof InvalidOptionError) throw new InvalidOptionError('--probe-target', error.rule);
    throw error;
  }
}
