// Several result documents (a gate's phases, or `stampede report a.json b.json`) combined into one, engine `combined`.

import { randomUUID } from 'node:crypto';
import {
  combineVerdicts,
  RESULT_SCHEMA_VERSION,
  type AttemptKind,
  type Engine,
  type InvariantId,
  type InvariantResult,
  type OutcomeCounts,
  type PhaseSummary,
  type ResultDocument,
  type ThresholdResult,
} from './result-document.ts';

export interface NamedDocument {
  /** The phase name (conformance, load, race) or the file the document was read from. */
  name: string;
  document: ResultDocument;
}

export interface CombineOptions {
  /** The gate's thresholds, judged by the caller; their verdicts join the combined verdict. */
  thresholds?: ThresholdResult[];
  /** Recorded as `config` of the combined document (e.g. the gate's resolved options, headers redacted). */
  config?: Record<string, unknown>;
  toolVersion?: string;
}

/** Engines whose throughput and latency describe a load phase (the others are checks or bursts). */
const LOAD_ENGINES: ReadonlySet<Engine> = new Set(['http1', 'autocannon', 'undici', 'k6', 'merged']);
const INVARIANT_ORDER: readonly InvariantId[] = ['U1', 'U2', 'U3', 'U4'];
const MAX_EXAMPLES = 5; // per invariant, as one engine keeps

export function combineDocuments(parts: readonly NamedDocument[], options: CombineOptions = {}): ResultDocument {
  const first = parts[0];
  if (first === undefined) throw new TypeError('combineDocuments needs at least one document');
  const documents = parts.map((part) => part.document);
  // Throughput and latency come from one load phase: percentiles of different runs cannot be merged without their
  // histograms, so the largest load phase (by requests sent) stands for the run, and the phases table shows the rest.
  const load = documents.filter((d) => LOAD_ENGINES.has(d.engine) || (d.engine === 'combined' && d.throughput.overall > 0)).sort((a, b) => b.totals.sent - a.totals.sent)[0];
  const startedAt = Math.min(...documents.map((d) => Date.parse(d.startedAt)));
  const endedAt = Math.max(...documents.map((d) => Date.parse(d.endedAt)));
  const partials = parts.filter((p) => p.document.partial);
  const thresholds = options.thresholds ?? documents.flatMap((d) => d.thresholds ?? []);
  const checks = documents.flatMap((d) => d.checks ?? []);
  const race = documents.find((d) => d.race !== undefined)?.race;
  const probe = documents.find((d) => d.probe !== undefined)?.probe;

  const reasons: string[] = [];
  for (const { name, document } of parts) for (const reason of document.verdictReasons) reasons.push(`${name}: ${reason}`);
  for (const threshold of thresholds) {
    if (threshold.verdict === 'fail') reasons.push(`threshold ${threshold.title}: measured ${threshold.observed ?? 'nothing'}, limit ${threshold.limit}`);
    if (threshold.verdict === 'unknown') reasons.push(`threshold ${threshold.title}: ${threshold.detail ?? 'could not be measured'}`);
  }

  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'stampede', version: options.toolVersion ?? first.document.tool.version },
    engine: 'combined',
    runId: randomUUID(),
    seed: first.document.seed,
    target: first.document.target,
    config: options.config ?? { phases: Object.fromEntries(parts.map((p) => [p.name, p.document.config])) },
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: Math.max(0, endedAt - startedAt),
    partial: partials.length > 0,
    ...(partials.length > 0 ? { partialReason: partials.map((p) => `${p.name}: ${p.document.partialReason ?? 'partial'}`).join('; ') } : {}),
    totals: sumTotals(documents),
    throughput: load?.throughput ?? { overall: 0, durationMs: 0, perSecond: [] },
    latency: load?.latency ?? first.document.latency,
    statuses: sumRecords(documents.map((d) => d.statuses)),
    errors: sumRecords(documents.map((d) => d.errors)),
    invariants: combineInvariants(parts),
    ...(probe ? { probe } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(race ? { race } : {}),
    ...(thresholds.length > 0 ? { thresholds } : {}),
    phases: parts.map(phaseOf),
    verdict: combineVerdicts([...documents.map((d) => d.verdict), ...thresholds.map((t) => t.verdict)]),
    verdictReasons: reasons,
  };
}

function phaseOf({ name, document }: NamedDocument): PhaseSummary {
  const { sent, ok, fail, indeterminate } = document.totals;
  return {
    name,
    engine: document.engine,
    runId: document.runId,
    verdict: document.verdict,
    verdictReasons: document.verdictReasons,
    durationMs: document.durationMs,
    partial: document.partial,
    totals: { sent, ok, fail, indeterminate },
  };
}

function sumTotals(documents: readonly ResultDocument[]): ResultDocument['totals'] {
  const totals: ResultDocument['totals'] = { ...zero(), byKind: {} };
  for (const document of documents) {
    addCounts(totals, document.totals);
    for (const [kind, counts] of Object.entries(document.totals.byKind) as Array<[AttemptKind, OutcomeCounts]>) {
      addCounts((totals.byKind[kind] ??= zero()), counts);
    }
  }
  return totals;
}

function combineInvariants(parts: readonly NamedDocument[]): InvariantResult[] {
  const combined: InvariantResult[] = [];
  for (const id of INVARIANT_ORDER) {
    const found = parts.flatMap(({ name, document }) => document.invariants.filter((i) => i.id === id).map((invariant) => ({ name, invariant })));
    const head = found[0];
    if (head === undefined) continue;
    combined.push({
      id,
      title: head.invariant.title,
      verdict: combineVerdicts(found.map((f) => f.invariant.verdict)),
      checked: found.reduce((sum, f) => sum + f.invariant.checked, 0),
      violations: found.reduce((sum, f) => sum + f.invariant.violations, 0),
      examples: found.flatMap((f) => f.invariant.examples).slice(0, MAX_EXAMPLES),
      detail: found.length === 1 ? head.invariant.detail : found.map((f) => `${f.name}: ${f.invariant.detail}`).join(' · '),
    });
  }
  return combined;
}

function sumRecords(records: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}

function zero(): OutcomeCounts {
  return { sent: 0, ok: 0, fail: 0, indeterminate: 0 };
}

function addCounts(into: OutcomeCounts, counts: OutcomeCounts): void {
  into.sent += counts.sent;
  into.ok += counts.ok;
  into.fail += counts.fail;
  into.indeterminate += counts.indeterminate;
}
