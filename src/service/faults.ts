// Fault injection for the reference service: the catalogue, the `--fault NAME[:PARAM]` parser and the seeded injector.

import { InvalidFaultError, InvalidOptionError } from '../errors.ts';
import { parseDuration, parseFraction, parseStatus } from '../options/units.ts';
import { chooseByKey, createRandom, hash32, type Random } from '../random.ts';
import { SERVICE_DEFAULTS } from '../defaults.ts';

/** A distribution of added delay, in ms. */
export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'normal'; meanMs: number; sdMs: number };

/** Which faults are on, with their parameters. Absent = off. */
export interface FaultPlan {
  /** Check-then-insert with an async gap: one event-loop turn ('tick') or a delay in ms. */
  race?: 'tick' | number;
  /** Fraction of IDs answered 201 but not stored. */
  loseWrites?: number;
  /** Fraction of requests answered with `status` (5xx) and not processed. */
  errors?: { fraction: number; status: number };
  latency?: LatencySpec;
  /** Fraction of new IDs answered with the conflict status (and not stored). */
  falseConflict?: number;
  /** Status sent instead of 201 (the profile is still stored). */
  wrongStatus?: number;
  /** Accept any body: no UTF-8, JSON or schema checks (Content-Type and size limits still apply). */
  noValidation?: boolean;
}

/** The catalogue shown by `stampede serve --help` and the README: syntax and what each fault simulates. */
export const FAULT_CATALOGUE = [
  { syntax: 'race:tick | race:<duration>', simulates: 'check-then-insert with an async gap (one event-loop turn, or a delay such as 2ms): concurrent duplicates can both get 201' },
  { syntax: 'lose-writes:<fraction>', simulates: 'answers 201 but forgets the first write of that fraction of the IDs (lost acknowledged writes; a later registration is kept)' },
  { syntax: 'errors:<fraction>[:<status>]', simulates: 'answers 5xx (default 503) to that fraction of requests, without processing them' },
  { syntax: 'latency:<duration> | latency:uniform:<min>:<max> | latency:normal:<mean>:<sd>', simulates: 'adds delay before each request is processed, fixed or drawn from a distribution' },
  { syntax: 'false-conflict:<fraction>', simulates: 'answers 409 to that fraction of new IDs (a conflict for an ID never registered)' },
  { syntax: 'wrong-status:<code>', simulates: 'answers <code> instead of 201 for a new profile (which is still stored)' },
  { syntax: 'no-validation', simulates: 'accepts any body: no JSON, UTF-8 or schema checks' },
] as const;

const FAULT_NAMES = ['race', 'lose-writes', 'errors', 'latency', 'false-conflict', 'wrong-status', 'no-validation'] as const;

/** Parse every `--fault` value into one plan; each fault may be given once. */
export function parseFaults(specs: readonly string[]): FaultPlan {
  const plan: FaultPlan = {};
  const seen = new Set<string>();
  for (const spec of specs) {
    const [name = '', ...params] = spec.split(':');
    if (seen.has(name)) throw new InvalidFaultError(spec, `fault "${name}" is given twice; give each fault once`);
    seen.add(name);
    applyFault(plan, spec, name, params);
  }
  return plan;
}

function applyFault(plan: FaultPlan, spec: string, name: string, params: string[]): void {
  const option = `--fault ${name}`;
  try {
    switch (name) {
      case 'race':
        expectParams(spec, params, 1, 'race:tick or race:<duration>, e.g. race:2ms');
        plan.race = params[0] === 'tick' ? 'tick' : parseDuration(option, params[0]!, { min: 0, max: 60_000 });
        return;
      case 'lose-writes':
        expectParams(spec, params, 1, 'lose-writes:<fraction>, e.g. lose-writes:0.02');
        plan.loseWrites = parseFraction(option, params[0]!);
        return;
      case 'errors': {
        expectParams(spec, params, [1, 2], 'errors:<fraction>[:<status>], e.g. errors:0.05:503');
        const status = params[1] === undefined ? SERVICE_DEFAULTS.injectedErrorStatus : parseStatus(option, params[1], { min: 500, max: 599 });
        plan.errors = { fraction: parseFraction(option, params[0]!), status };
        return;
      }
      case 'latency':
        plan.latency = parseLatency(spec, option, params);
        return;
      case 'false-conflict':
        expectParams(spec, params, 1, 'false-conflict:<fraction>, e.g. false-conflict:0.01');
        plan.falseConflict = parseFraction(option, params[0]!);
        return;
      case 'wrong-status':
        expectParams(spec, params, 1, 'wrong-status:<code>, e.g. wrong-status:200');
        plan.wrongStatus = parseStatus(option, params[0]!);
        return;
      case 'no-validation':
        expectParams(spec, params, 0, 'no-validation (no parameter)');
        plan.noValidation = true;
        return;
      default:
        throw new InvalidFaultError(spec, `unknown fault "${name}"; known faults: ${FAULT_NAMES.join(', ')} (see stampede serve --help)`);
    }
  } catch (error) {
    // Re-word unit errors so the message quotes the whole --fault value the user typed.
    if (error instanceof InvalidOptionError) throw new InvalidFaultError(spec, error.rule);
    throw error;
  }
}

function parseLatency(spec: string, option: string, params: string[]): LatencySpec {
  const usage = 'latency:<duration>, latency:uniform:<min>:<max> or latency:normal:<mean>:<sd>, e.g. latency:50ms';
  const d = (text: string) => parseDuration(option, text, { min: 0, max: 60_000 });
  if (params[0] === 'uniform') {
    expectParams(spec, params, 3, usage);
    const minMs = d(params[1]!);
    const maxMs = d(params[2]!);
    if (maxMs < minMs) throw new InvalidFaultError(spec, `the maximum (${params[2]}) is below the minimum (${params[1]})`);
    return { kind: 'uniform', minMs, maxMs };
  }
  if (params[0] === 'normal') {
    expectParams(spec, params, 3, usage);
    return { kind: 'normal', meanMs: d(params[1]!), sdMs: d(params[2]!) };
  }
  expectParams(spec, params, 1, usage);
  return { kind: 'fixed', ms: d(params[0]!) };
}

function expectParams(spec: string, params: string[], count: number | [number, number], usage: string): void {
  const [min, max] = typeof count === 'number' ? [count, count] : count;
  if (params.length < min || params.length > max || params.some((p) => p === '')) {
    throw new InvalidFaultError(spec, `expected ${usage}`);
  }
}

/** The decisions of an active fault plan, seeded so a run can be replayed. */
export class FaultInjector {
  readonly plan: FaultPlan;
  /** Whether any fault is on; computed once, since the service asks on every request. */
  readonly active: boolean;
  private readonly seed: number;
  private readonly errorRandom: Random;
  private readonly latencyRandom: Random;
  /** lose-writes: chosen IDs whose one lost write has happened. */
  private readonly lost = new Set<string>();

  constructor(plan: FaultPlan, seed: number) {
    this.plan = plan;
    this.active = Object.keys(plan).length > 0;
    this.seed = seed >>> 0;
    // One stream per fault, so turning one fault on does not shift another's choices.
    this.errorRandom = createRandom(hash32('errors', this.seed));
    this.latencyRandom = createRandom(hash32('latency', this.seed));
  }

  /** The 5xx status to answer this request with, or 0 to process it. */
  injectedError(): number {
    const errors = this.plan.errors;
    return errors !== undefined && this.errorRandom.next() < errors.fraction ? errors.status : 0;
  }

  /** Delay to add before processing this request, in ms (0 = none). */
  delayMs(): number {
    const latency = this.plan.latency;
    if (latency === undefined) return 0;
    switch (latency.kind) {
      case 'fixed':
        return latency.ms;
      case 'uniform':
        return latency.minMs + (latency.maxMs - latency.minMs) * this.latencyRandom.next();
      case 'normal':
        return Math.max(0, this.latencyRandom.normal(latency.meanMs, latency.sdMs));
    }
  }

  /**
   * Whether this write of the (canonical) ID is forgotten: the first acknowledged write of a chosen ID is lost (what a
   * crash or a fail-over after the acknowledgement does); a later registration of it is kept, so a re-submission
   * after the loss re-creates the profile and the one after that is a conflict. Which IDs are chosen is decided per
   * ID, so the choice is the same in any order.
   */
  losesWrite(id: string): boolean {
    if (this.plan.loseWrites === undefined || !chooseByKey(id, this.seed ^ 0x1a2b3c4d, this.plan.loseWrites)) return false;
    if (this.lost.has(id)) return false;
    this.lost.add(id);
    return true;
  }

  /** Whether this new (canonical) ID gets a false conflict. */
  falseConflict(id: string): boolean {
    return this.plan.falseConflict !== undefined && chooseByKey(id, this.seed ^ 0x5e6f7a8b, this.plan.falseConflict);
  }
}

/** One-line description of a plan, for the start-up banner. */
export function describeFaults(specs: readonly string[]): string {
  return specs.length === 0 ? 'none' : specs.join(', ');
}
