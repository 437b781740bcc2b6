// Runs a k6 scenario under the stand-ins (tests only): __ENV and open() per test, a fake clock, iterations, the summary.

import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import type { SummaryData } from '../lib/summary-data.ts';
import { createState, type Responder, type ScriptedResponse, type StandInState } from './state.ts';
import { buildSummary, failedThresholds, type SummaryInput } from './summary.ts';

/** The fake clock starts here for every scenario load. */
export const CLOCK_START = Date.parse('2030-01-01T00:00:00.000Z'); // epoch ms

const importers = {
  throughput: () => import('../throughput.ts'),
  ramp: () => import('../ramp.ts'),
  soak: () => import('../soak.ts'),
  race: () => import('../race.ts'),
  smoke: () => import('../smoke.ts'),
};
export type ScenarioName = keyof typeof importers;
type ScenarioModule<N extends ScenarioName> = Awaited<ReturnType<(typeof importers)[N]>>;

export interface LoadOptions {
  /** The -e variables (k6's __ENV). */
  env?: Record<string, string>;
  /** open() answers these paths from memory; any other path is read from disk. */
  files?: Record<string, string>;
  responder?: Responder;
}

export interface IterationSpec {
  vu: number;
  iterationInScenario: number;
  iterationInTest: number;
}

export interface Loaded<M> {
  module: M;
  state: StandInState;
  /** Paths the script passed to open(). */
  opened: string[];
  /** One iteration of the default function as k6 would run it on this VU. */
  iterate(data: unknown, spec: IterationSpec): void;
  /** Iterations `iterations` (iterationInTest values, in order) spread over `vus` VUs, `stepMs` apart on the clock. */
  run(data: unknown, iterations: number[], options?: { vus?: number; stepMs?: number }): void;
  /** k6's summary object of everything recorded so far. */
  summary(setupData: unknown): SummaryData;
  /** The end of the run: the summary, the thresholds that failed, handleSummary's outputs and the document it wrote. */
  finish(setupData: unknown): { summary: SummaryData; failed: string[]; outputs: Record<string, string>; document: Record<string, any> };
}

/** A correct service, as far as the scripts need one: 415, 400, then 201 once per ID and the conflict status after. */
export function correctService(conflictStatus = 409, durationMs: () => number = () => 5): Responder {
  const seen = new Set<string>();
  return (request): ScriptedResponse => {
    if (request.method !== 'POST') return { status: 405, durationMs: durationMs() };
    const type = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type)) return { status: 415, durationMs: durationMs() };
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return { status: 400, durationMs: durationMs() };
    }
    const id = (body as { userProfileId?: unknown } | null)?.userProfileId;
    if (typeof id !== 'string') return { status: 400, durationMs: durationMs() };
    if (seen.has(id.toLowerCase())) return { status: conflictStatus, durationMs: durationMs() };
    seen.add(id.toLowerCase());
    return { status: 201, durationMs: durationMs() };
  };
}

/** Import a scenario fresh (its init code runs again) with this environment, clock and responder. */
export async function loadScenario<N extends ScenarioName>(name: N, options: LoadOptions = {}): Promise<Loaded<ScenarioModule<N>>> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(CLOCK_START);
  const state = createState(options.responder ?? correctService(Number(options.env?.CONFLICT_STATUS ?? 409)), (ms) => {
    vi.setSystemTime(Date.now() + ms);
  });
  globalThis.__k6StandIn = state;
  // k6's console goes to the state, so tests stay quiet and can read what setup() printed.
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void state.logs.push(args.map(String).join(' ')));
  const opened: string[] = [];
  const files = options.files ?? {};
  Object.assign(globalThis, {
    __ENV: { ...(options.env ?? {}) },
    open: (path: string) => {
      opened.push(path);
      return files[path] ?? readFileSync(path, 'utf8');
    },
  });
  vi.resetModules();
  const module = (await importers[name]()) as ScenarioModule<N>;
  state.exec.scenario = { ...state.exec.scenario, name, startTime: Date.now() };
  const iterate = (data: unknown, spec: IterationSpec) => {
    const { vu, scenario } = state.exec;
    vu.idInTest = vu.idInInstance = spec.vu;
    vu.iterationInScenario = vu.iterationInInstance = spec.iterationInScenario;
    scenario.iterationInTest = scenario.iterationInInstance = spec.iterationInTest;
    (module.default as (data: unknown) => void)(data);
  };
  const summary = (setupData: unknown) => buildSummary(state, module.options as SummaryInput, setupData, Date.now() - CLOCK_START);
  return {
    module,
    state,
    opened,
    iterate,
    run(data, iterations, { vus = 4, stepMs = 1 } = {}) {
      const perVu = new Map<number, number>();
      iterations.forEach((iterationInTest, i) => {
        const vu = (i % vus) + 1;
        const iterationInScenario = perVu.get(vu) ?? 0;
        perVu.set(vu, iterationInScenario + 1);
        iterate(data, { vu, iterationInScenario, iterationInTest });
        vi.setSystemTime(Date.now() + stepMs);
      });
    },
    summary,
    finish(setupData) {
      const data = summary(setupData);
      const outputs = (module.handleSummary as (data: SummaryData) => Record<string, string>)(data);
      const document = JSON.parse(outputs[options.env?.SUMMARY_OUT ?? 'k6-result.json']!) as Record<string, any>;
      return { summary: data, failed: failedThresholds(data), outputs, document };
    },
  };
}

/** Undo the fake clock and the globals (call in afterEach). */
export function unloadScenario(): void {
  vi.useRealTimers();
  vi.restoreAllMocks();
  globalThis.__k6StandIn = undefined;
  Object.assign(globalThis, { __ENV: undefined, open: undefined });
}

/** 0, 1, …, count − 1. */
export function range(count: number, from = 0): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
