// The gate's comparison with a baseline (`--baseline FILE --max-regression …`): the baseline is read and checked to be
// like for like before any phase runs, then the load phase is compared with it and each limit becomes a threshold.

import { compareRuns } from '../compare/compare-runs.ts';
import type { ComparisonDocument, RunFacts } from '../compare/comparison-document.ts';
import { figureSpec } from '../compare/figures.ts';
import { readSide } from '../compare/read-sides.ts';
import { describeModel, differences, documentFacts, EMBEDDED_TARGET, origin } from '../compare/run-facts.ts';
import { NotComparableError } from '../errors.ts';
import type { GateOptions } from '../options/gate-options.ts';
import type { NamedDocument } from '../result/combine.ts';
import type { ResultDocument, ThresholdResult } from '../result/result-document.ts';

export interface GateBaseline {
  documents: NamedDocument[];
  settings: NonNullable<GateOptions['regression']>;
}

/** What this gate's load phase will be, in the facts a baseline must share. */
export function gateFacts(options: GateOptions, toolVersion: string): RunFacts {
  const model = options.load.model;
  return {
    target: options.target ? origin(options.target.href) : EMBEDDED_TARGET,
    engine: options.load.engine,
    model: model.kind,
    ...(model.kind === 'closed' ? { connections: model.connections } : { rate: model.rate }),
    dupRatio: options.load.dupRatio,
    toolVersion,
  };
}

/**
 * Reads the baseline documents; throws (exit 2, before anything is sent) when a file is not a result document of this
 * schema version (InvalidResultDocumentError, naming it) or the baseline is not like for like with this gate.
 */
export async function loadBaseline(options: GateOptions, toolVersion: string): Promise<GateBaseline | undefined> {
  const settings = options.regression;
  if (!settings) return undefined;
  const documents = await readSide('--baseline', settings.baseline);
  const here = gateFacts(options, toolVersion);
  const diffs = differences(documents.map((d) => documentFacts(d.document)), [here]);
  if (diffs.length > 0) {
    const models = new Set(documents.map((d) => documentFacts(d.document).model).concat(here.model));
    const listed = diffs.map((d) => `${d.fact} ${d.base} in the baseline, ${d.new} here`).join('; ');
    const why = models.size > 1 ? `the baseline is ${describeModel(documentFacts(documents[0]!.document))} and this gate ${describeModel(here)}: no verdict is drawn across load models` : 'a regression verdict needs the same target, engine, load model, connections or rate, duplicate ratio and stampede version';
    throw new NotComparableError(`--baseline ${settings.baseline.join(', ')} is not like for like with this gate (${listed}): ${why}; run the gate with the baseline's settings, or record a new baseline`);
  }
  return { documents, settings };
}

/** The load phase against the baseline: the comparison document, and one threshold per --max-regression limit. */
export function compareWithBaseline(baseline: GateBaseline, load: ResultDocument | undefined, toolVersion: string): { comparison?: ComparisonDocument; thresholds: ThresholdResult[] } {
  const { settings } = baseline;
  if (!load) {
    return { thresholds: settings.limits.map((limit) => ({ ...limitThreshold(limit), verdict: 'unknown', detail: 'the load phase did not run: nothing to compare with the baseline' })) };
  }
  const comparison = compareRuns({ base: baseline.documents, new: [{ name: 'this gate (load phase)', document: load }], alpha: settings.alpha, limits: settings.limits, toolVersion, sideNames: { base: 'the baseline', new: 'this gate' } });
  const thresholds = (comparison.limits ?? []).map((result): ThresholdResult => ({ ...limitThreshold(result), observed: result.observed, verdict: result.verdict, ...(result.detail && result.verdict !== 'pass' ? { detail: result.detail } : {}) }));
  return { comparison, thresholds };
}

function limitThreshold(limit: NonNullable<GateOptions['regression']>['limits'][number]): Pick<ThresholdResult, 'id' | 'title' | 'limit'> {
  const title = figureSpec(limit.figure).title;
  return { id: `max-regression.${limit.figure}`, title: `${title} against the baseline: no significant regression beyond ${limit.text}`, limit: limit.text };
}
