// The release gate: conformance, a load phase with duplicates and the durability probe, a race phase → one verdict.

import type { BodyFile } from '../conformance/curl.ts';
import { runConformance } from '../conformance/runner.ts';
import { runLoad } from '../engines/load-run.ts';
import { runRace } from '../engines/race/race-run.ts';
import type { GateOptions } from '../options/gate-options.ts';
import { combineDocuments, type NamedDocument } from '../result/combine.ts';
import { redactHeaders, redactUrl } from '../result/redact.ts';
import { combineVerdicts, type ResultDocument } from '../result/result-document.ts';
import { startServiceInWorker } from '../service/worker-service.ts';
import { judgeThresholds } from './thresholds.ts';

export type GatePhase = 'conformance' | 'load' | 'race';

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
}

export async function runGate(input: GateOptions, hooks: GateHooks): Promise<GateRun> {
  // The embedded reference service is started once for every phase (each phase would otherwise start its own worker,
  // ~1 s each), except for a single-packet race phase, which needs an HTTP/2-only service of its own.
  const shared = input.target === undefined && input.race?.sync !== 'single-packet' ? await startServiceInWorker({ faults: input.faults, seed: input.seed }) : undefined;
  if (shared) hooks.onPhase?.('conformance', `embedded reference service on ${shared.url}${input.faults.length ? ` with faults ${input.faults.join(', ')}` : ''}, shared by every phase`);
  try {
    return await runPhases(shared ? onSharedService(input, shared.url) : input, hooks, shared ? embeddedTarget(shared.url, input.faults) : undefined);
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

async function runPhases(options: GateOptions, hooks: GateHooks, target: ResultDocument['target'] | undefined): Promise<GateRun> {
  const phases: NamedDocument[] = [];
  const failures: string[] = [];
  let bodyFiles: BodyFile[] = [];
  const common = { toolVersion: hooks.toolVersion, ...(hooks.signal ? { signal: hooks.signal } : {}) };
  const say = (phase: GatePhase) => (message: string) => hooks.onPhase?.(phase, message);

  const steps: Array<[GatePhase, () => Promise<ResultDocument>]> = [
    [
      'conformance',
      async () => {
        const run = await runConformance(options.conformance, { ...common, resultDirectory: hooks.outDir, onPhase: say('conformance') });
        bodyFiles = run.bodyFiles;
        return run.document;
      },
    ],
    ['load', () => runLoad(options.load, { ...common, onPhase: say('load') })],
  ];
  const race = options.race;
  // The replay file holds the exact request bytes, header values included: with -H secrets the gate does not write it
  // into a result folder CI may publish (the printed seed and the same -H replay the bursts: stampede race --seed).
  const replayDir = options.headers.length === 0 ? { outDir: hooks.outDir } : {};
  if (race) steps.push(['race', () => runRace(race, { ...common, ...replayDir, onPhase: say('race') })]);

  const skipped: GatePhase[] = [];
  for (const [name, step] of steps) {
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
      // Nothing measured at all: the target is unusable, exit 3 with its own message. Later: a dying target must not
      // lose what the earlier phases measured, so the phase is recorded as not run and the verdict becomes unknown.
      if (phases.length === 0) throw error;
      failures.push(`${name}: could not run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const load = phases.find((p) => p.name === 'load')?.document;
  const thresholds = judgeThresholds(load, options.thresholds);
  const document = combineDocuments(phases, { thresholds, toolVersion: hooks.toolVersion, config: gateConfig(options, target !== undefined) });
  if (failures.length > 0 || skipped.length > 0) {
    document.verdict = combineVerdicts([document.verdict, 'unknown']);
    document.verdictReasons.push(...failures, ...(skipped.length ? [`not run (interrupted): ${skipped.join(', ')}`] : []));
  }
  if (skipped.length > 0 && !document.partial) {
    document.partial = true;
    document.partialReason = `interrupted (Ctrl-C): ${skipped.join(', ')} not run`;
  }
  return { document, phases, bodyFiles };
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
    conformance: { profile: conformance.profile, fuzz: conformance.fuzz, conflictStatus: conformance.conflictStatus },
    load: { model: load.model, stop: load.stop, dupRatio: load.dupRatio, probe: load.probe, maxIndeterminateShare: load.maxIndeterminateShare },
    race: race ? { bursts: race.bursts, width: race.width, sync: race.sync, ids: race.ids, warmup: race.warmup, blockerBytes: race.blockerBytes, baselineBursts: race.baselineBursts } : 'off',
  };
}
