// Like for like: the facts of a run that must match for a comparison to mean something, and how two sides differ.

import { NotComparableError } from '../errors.ts';
import type { Engine, ResultDocument } from '../result/result-document.ts';
import type { Difference, FactName, RunFacts } from './comparison-document.ts';

export const EMBEDDED_TARGET = 'embedded reference service';

/** Engines whose documents describe a load phase (the others are checks or bursts). */
const LOAD_ENGINES: ReadonlySet<Engine> = new Set(['http1', 'autocannon', 'undici', 'k6', 'merged']);

/** The facts of a run document, or of the load phase of a gate's combined document. */
export function documentFacts(document: ResultDocument): RunFacts {
  const config = loadConfig(document);
  const model = config.model as { kind?: unknown; connections?: unknown; rate?: unknown } | undefined;
  const kind = model?.kind === 'open' || model?.kind === 'closed' ? model.kind : document.latency.model;
  return {
    target: document.target.embedded ? EMBEDDED_TARGET : origin(document.target.url),
    engine: loadEngine(document),
    model: kind,
    ...(kind === 'closed' && typeof model?.connections === 'number' ? { connections: model.connections } : {}),
    ...(kind === 'open' && typeof model?.rate === 'number' ? { rate: model.rate } : {}),
    ...(typeof config.dupRatio === 'number' ? { dupRatio: config.dupRatio } : {}),
    toolVersion: document.tool.version,
  };
}

/** A target URL as compared: its origin (a URL given with a trailing slash or a path is the same target). */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function loadConfig(document: ResultDocument): Record<string, unknown> {
  const load = (document.config as { load?: unknown }).load;
  return document.engine === 'combined' && load !== null && typeof load === 'object' ? (load as Record<string, unknown>) : document.config;
}

function loadEngine(document: ResultDocument): string {
  if (document.engine !== 'combined') return document.engine;
  const phases = document.phases ?? [];
  return (phases.find((p) => p.name === 'load') ?? phases.find((p) => LOAD_ENGINES.has(p.engine)))?.engine ?? 'combined';
}

const FACTS: ReadonlyArray<[FactName, (f: RunFacts) => string | undefined]> = [
  ['target', (f) => f.target],
  ['engine', (f) => f.engine],
  ['model', (f) => f.model],
  ['connections', (f) => (f.connections === undefined ? undefined : String(f.connections))],
  ['rate', (f) => (f.rate === undefined ? undefined : `${f.rate} req/s`)],
  ['dup-ratio', (f) => (f.dupRatio === undefined ? undefined : String(f.dupRatio))],
  ['tool-version', (f) => f.toolVersion],
];

/** Every fact on which the runs differ, between the sides or within one (a side that mixes runs of two settings). */
export function differences(base: readonly RunFacts[], next: readonly RunFacts[]): Difference[] {
  const out: Difference[] = [];
  for (const [fact, read] of FACTS) {
    const b = distinct(base.map(read));
    const n = distinct(next.map(read));
    if (distinct([...b, ...n]).length > 1) out.push({ fact, base: b.join(' / '), new: n.join(' / ') });
  }
  return out;
}

/** Throws when the sides hold runs of different load models: a verdict across them means nothing. */
export function refuseOtherModels(base: readonly RunFacts[], next: readonly RunFacts[], sides: { base: string; new: string }): void {
  const models = distinct([...base, ...next].map((f) => f.model));
  if (models.length <= 1) return;
  const describe = (facts: readonly RunFacts[]) => distinct(facts.map(describeModel)).join(' and ');
  throw new NotComparableError(
    `${sides.base} is ${describe(base)}, ${sides.new} ${describe(next)}: a closed model (busy connections) and an open model (a fixed arrival rate) measure different things, so no verdict is drawn across them; compare runs of one model (both --connections N, or both --rate R)`,
  );
}

export function describeModel(facts: RunFacts): string {
  if (facts.model === 'closed') return `the closed model${facts.connections !== undefined ? ` (${facts.connections} connections)` : ''}`;
  return `the open model${facts.rate !== undefined ? ` (${facts.rate} req/s)` : ''}`;
}

function distinct(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.map((v) => v ?? 'not recorded'))];
}
