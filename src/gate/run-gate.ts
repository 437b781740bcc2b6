// The release gate: a load phase with duplicates and the durability probe, a race phase, then conformance → one verdict.
// Hostile inputs go last: the load and race phases measure the target as it was started, before the conformance checks
// send it invalid, malformed, oversized and fuzzed bodies (json-server stores a deeply nested body, then fails every
// later request: a load phase after that would measure a broken target).

import type { BodyFile } from '../conformance/curl.ts';
import { describeRules } from '../conformance/levels.ts';
import { MIN_TRAILING_5XX } from '../conformance/target-broken.ts';
import { asUnreachable, runConformance } from '../conformance/runner.ts';
import { runLoad } from '../engines/load-run.ts';
import { runRace } from '../engines/race/race-run.ts';
import type { GateOptions } from '../options/gate-options.ts';
import { combineDocuments, type NamedDocument } from '../result/combine.ts';
import { redactHeaders, redactUrl } from '../result/redact.ts';
import { combineVerdicts, type ResultDocument } from '../result/result-document.ts';
import { InternalError } from '../errors.ts';
import { startServiceInWorker } from '../service/worker-service.ts';
import { judgeThresholds } from './thresholds.ts';
import { writeComparisonReports } from '../../reports/compare-index.ts';
import type { ComparisonDocument } from '../compare/comparison-document.ts';
import { compareWithBaseline, loadBaseline, type GateBaseline } from './baseline.ts';

/** The phases, and `baseline`: the comparison of the load phase with --baseline. */
export type GatePhase = 'conformance' | 'load' | 'race' | 'baseline';

export interface GateHooks {
  toolVersion: string;
  /** Absolute directory of the result: conformance body files and the race replay file are written there. */
  outDir: string;
  /** Aborting (Ctrl-C) ends the phase in flight early and skips the rest: the document is partial. */
  signal?: AbortSignal;
  /** A phase starts, or tells what it is doing. */
  onPhase?: (phase: GatePhase, message: string) => void;
}

export interface GateRun {
  /** The combined document: every phase, the thresholds and one verdict. */
  document: ResultDocument;
  /** Each phase's own document, in run order. */
  phases: NamedDocument[];
  /** Files the conformance curl commands read, relative to outDir. */
  bodyFiles: BodyFile[];
  /** The load phase against --baseline (also written to outDir as comparison.json, .md, .html). */
  comparison?: ComparisonDocument;
}

export async function runGate(input: GateOptions, hooks: GateHooks): Promise<GateRun> {
  // A baseline that cannot be read or is not like for like ends the gate before anything is sent (exit 2).
  const baseline = await loadBaseline(input, hooks.toolVersion);
  if (baseline) hooks.onPhase?.('baseline', `the load phase will be compared with ${baseline.settings.baseline.join(', ')} (limits ${baseline.settings.maxRegression}, alpha ${baseline.settings.alpha})`);
  // The embedded reference service is started once for every phase (each phase would otherwise start its own worker,
  // ~1 s each), except for a single-packet race phase, which needs an HTTP/2-only service of its own.
  const shared = input.target === undefined && input.race?.sync !== 'single-packet' ? await startServiceInWorker({ faults: input.faults, seed: input.seed }) : undefined;
  if (shared) hooks.onPhase?.('load', `embedded reference service on ${shared.url}${input.faults.length ? ` with faults ${input.faults.join(', ')}` : ''}, shared by every phase`);
  try {
    return await runPhases(shared ? onSharedService(input, shared.url) : input, hooks, shared ? embeddedTarget(shared.url, input.faults) : undefined, baseline);
  } finally {
    await shared?.close();
  }
}

/** Every phase aimed at the shared embedded service as if it were a given target (its faults are already in it). */
function onSharedService(options: GateOptions, url: string): GateOptions {
  const target = new URL(url);
  return {
    ...options,
    conformance: { ...options.conformance, target, faults: [] },
    load: { ...options.load, target, faults: [] },
    race: options.race ? { ...options.race, target, faults: [] } : undefined,
  };
}

function embeddedTarget(url: string, faults: readonly string[]): ResultDocument['target'] {
  return { url, embedded: true, ...(faults.length ? { faults: [...faults] } : {}) };
}

async function runPhases(options: GateOptions, hooks: GateHooks, target: ResultDocument['target'] | undefined, baseline: GateBaseline | undefined): Promise<GateRun> {
  const phases: NamedDocument[] = [];
  const failures: string[] = [];
  let bodyFiles: BodyFile[] = [];
  const common = { toolVersion: hooks.toolVersion, ...(hooks.signal ? { signal: hooks.signal } : {}) };
  const say = (phase: GatePhase) => (message: string) => hooks.onPhase?.(phase, message);

  const steps: Array<[GatePhase, () => Promise<ResultDocument>]> = [['load', () => runLoad(options.load, { ...common, onPhase: say('load') })]];
  const race = options.race;
  // The replay file holds the exact request bytes, header values included: with -H secrets the gate does not write it
  // into a result folder CI may publish (the printed seed and the same -H replay the bursts: stampede race --seed).
  const replayDir = options.headers.length === 0 ? { outDir: hooks.outDir } : {};
  if (race) steps.push(['race', () => runRace(race, { ...common, ...replayDir, onPhase: say('race') })]);
  steps.push([
    'conformance',
    async () => {
      const run = await runConformance(options.conformance, { ...common, resultDirectory: hooks.outDir, onPhase: say('conformance') });
      bodyFiles = run.bodyFiles;
      return run.document;
    },
  ]);

  const skipped: GatePhase[] = [];
  /** A bug of stampede inside a phase: its partial document is kept, later phases do not run, the gate ends in it. */
  let internal: InternalError | undefined;
  for (const [name, step] of steps) {
    if (internal) {
      failures.push(`${name}: not run after an internal error of stampede`);
      continue;
    }
    if (hooks.signal?.aborted) {
      skipped.push(name);
      continue;
    }
    hooks.onPhase?.(name, 'starting');
    try {
      const document = await step();
      // A phase aimed at the shared embedded service saw a plain URL: its document says what the target really was.
      if (target) document.target = target;
      phases.push({ name, document });
    } catch (error) {
      if (error instanceof InternalError) {
        internal = error;
        if (error.partial) phases.push({ name, document: error.partial });
        continue;
      }
      // Nothing measured at all: the target is unusable, exit 3 with its own message. Later: a dying target must not
      // lose what the earlier phases measured, so the phase is recorded as not run and the verdict becomes unknown.
      if (phases.length === 0) throw asUnreachable(error, options.target);
      failures.push(`${name}: could not run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const load = phases.find((p) => p.name === 'load')?.document;
  const thresholds = judgeThresholds(load, options.thresholds);
  const regression = baseline ? compareWithBaseline(baseline, load, hooks.toolVersion) : undefined;
  if (regression) thresholds.push(...regression.thresholds);
  if (regression?.comparison) {
    const paths = await writeComparisonReports(hooks.outDir, regression.comparison, ['json', 'markdown', 'html']);
    hooks.onPhase?.('baseline', `compared with ${baseline!.settings.baseline.join(', ')}: ${paths.html} (and comparison.md, comparison.json beside it)`);
  }
  const document = combineDocuments(phases, { thresholds, toolVersion: hooks.toolVersion, config: gateConfig(options, target !== undefined) });
  // The printed seed replays the whole gate (the first phase's document carries the one derived for it).
  document.seed = options.seed;
  const failingBefore = failingBeforeConformance(phases);
  if (failingBefore) document.verdictReasons.push(failingBefore);
  if (failures.length > 0 || skipped.length > 0) {
    document.verdict = combineVerdicts([document.verdict, 'unknown']);
    document.verdictReasons.push(...failures, ...(skipped.length ? [`not run (interrupted): ${skipped.join(', ')}`] : []));
  }
  if (skipped.length > 0 && !document.partial) {
    document.partial = true;
    document.partialReason = `interrupted (Ctrl-C): ${skipped.join(', ')} not run`;
  }
  if (internal) throw new InternalError(internal.message.replace(/^internal error, please report: /, ''), { cause: internal, partial: document });
  return { document, phases, bodyFiles, ...(regression?.comparison ? { comparison: regression.comparison } : {}) };
}

/** The resolved settings as the result document records them: header values never, target credentials never. */
function gateConfig(options: GateOptions, embedded: boolean): Record<string, unknown> {
  const { load, race, conformance, thresholds } = options;
  return {
    command: 'gate',
    ...(options.configFile ? { configFile: options.configFile } : {}),
    target: embedded || !options.target ? 'embedded' : redactUrl(options.target.origin),
    ...(options.faults.length ? { faults: [...options.faults] } : {}),
    seed: options.seed,
    headers: redactHeaders(options.headers),
    thresholds,
    conformance: {
      profile: conformance.profile,
      fuzz: conformance.fuzz,
      conflictStatus: conformance.conflictStatus,
      ...(conformance.levels.length > 0 ? { levels: describeRules(conformance.levels) } : {}),
    },
    // engine, warmupMs and maxLag: what a later gate comparing with this one as its --baseline needs to know.
    load: { model: load.model, engine: load.engine, stop: load.stop, warmupMs: load.warmupMs, maxLag: load.maxLag.off ? 'off' : load.maxLag.text, dupRatio: load.dupRatio, probe: load.probe, maxIndeterminateShare: load.maxIndeterminateShare },
    ...(options.regression ? { regression: { baseline: options.regression.baseline, maxRegression: options.regression.maxRegression, alpha: options.regression.alpha } } : {}),
    race: race ? { bursts: race.bursts, width: race.width, sync: race.sync, ids: race.ids, warmup: race.warmup, blockerBytes: race.blockerBytes, baselineBursts: race.baselineBursts } : 'off',
  };
}

/**
 * When the conformance phase saw no success at all, only 5xx and refusals (4xx), the target was already failing when
 * the phase before it ended: its own "only 5xx after check …" cannot name a check then, so the gate names the phase.
 */
function failingBeforeConformance(phases: readonly NamedDocument[]): string | undefined {
  const at = phases.findIndex((p) => p.name === 'conformance');
  const conformance = phases[at]?.document;
  if (!conformance || at === 0) return undefined;
  const count = (from: number, to: number) => Object.entries(conformance.statuses).filter(([status]) => Number(status) >= from && Number(status) < to).reduce((sum, [, n]) => sum + n, 0);
  const serverErrors = count(500, 600);
  if (count(100, 400) > 0 || serverErrors < MIN_TRAILING_5XX) return undefined;
  return `conformance: no request succeeded (${serverErrors} answers were 5xx, the others refusals): the target was already failing when the ${phases[at - 1]!.name} phase ended`;
}
