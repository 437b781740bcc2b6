// The short human summary of a k6 (or merged k6) result document, printed by `stampede merge` and `stampede k6`.

import type { ResultDocument } from '../result/result-document.ts';
import { formatLoadSummary } from './load-summary.ts';

const n = (value: number) => value.toLocaleString('en-US');

interface InputConfig {
  file: string;
  requests: number;
  ledgered: number;
  unledgered: { requests: number };
  droppedIterations: number;
  late?: number;
}

/** `command`: how the first line names the run (e.g. "stampede merge", "stampede k6 throughput"). */
export function formatK6Summary(doc: ResultDocument, resultPath: string | undefined, command: string): string {
  const inputs = ((doc.config as { inputs?: InputConfig[] }).inputs ?? []);
  const head = `${command}: ${inputs.length} k6 output file(s) in one ledger (engine ${doc.engine}), target ${doc.target.url}${doc.target.embedded ? ' (embedded reference service)' : ''}${doc.partial ? ' — PARTIAL (interrupted)' : ''}`;
  const lines = [head];
  for (const [index, input] of inputs.entries()) {
    const phase = doc.phases?.[index];
    const judged = phase ? ` → ok ${n(phase.totals.ok)} · fail ${n(phase.totals.fail)} · indeterminate ${n(phase.totals.indeterminate)}` : '';
    const extra = [
      input.unledgered.requests > 0 ? `${n(input.unledgered.requests)} without stampede metadata, not judged` : '',
      input.droppedIterations > 0 ? `${n(input.droppedIterations)} dropped iterations` : '',
      input.late !== undefined && input.late > 0 ? `${n(input.late)} later in the file than the merge's bound` : '',
    ].filter(Boolean);
    lines.push(`  ${input.file}: ${n(input.ledgered)} requests judged${judged}${extra.length ? ` (${extra.join(', ')})` : ''}`);
  }
  // The rest (totals, throughput, latency, statuses, invariants, probe, verdict) reads as for a load run.
  const [, ...rest] = formatLoadSummary(doc, resultPath).split('\n');
  return `${[...lines, ...rest].join('\n')}`;
}
