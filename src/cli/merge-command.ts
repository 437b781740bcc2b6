// `stampede merge FILE…`: the --out json files of several k6 instances → one ledger, one verdict, result.json.

import { writeReports } from '../../reports/index.ts';
import { K6_DEFAULTS } from '../defaults.ts';
import { mergeK6Outputs } from '../engines/k6/merge-run.ts';
import { checkReachable } from '../engines/reachability.ts';
import { InvalidOptionError } from '../errors.ts';
import { resolveMergeOptions, type MergeOptionsInput } from '../options/merge-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { exitCodeOf } from './exit-code.ts';
import { formatK6Summary } from './merge-summary.ts';
import { withInterrupt } from './interrupt.ts';
import type { Output } from './output.ts';

export async function runMergeCommand(args: MergeOptionsInput, output: Output): Promise<number> {
  const options = resolveMergeOptions(args);
  const probe = options.probe;
  if (probe !== undefined) {
    try {
      await checkReachable(probe.target, { insecure: probe.insecure, timeoutMs: Math.min(probe.timeoutMs, 5_000) });
    } catch (error) {
      if (error instanceof InvalidOptionError) throw new InvalidOptionError('--probe-target', error.rule);
      throw error;
    }
  }
  output.err(`stampede merge: ${options.files.length} file(s)${probe ? `, then the durability probe (${probe.plan.mode === 'all' ? 'all' : `sample:${probe.plan.size}`}) on ${probe.target.origin}` : ', no durability probe (U3 unknown; add --probe-target URL)'}\n`);

  return withInterrupt('merge', output, 'stopping the reading or the durability probe, writing the partial result', async (signal) => {
    const document = await mergeK6Outputs(
      {
        files: options.files,
        conflictStatus: options.conflictStatus,
        maxIndeterminateShare: options.maxIndeterminateShare,
        probe: probe && {
          url: probe.target.origin,
          plan: probe.plan,
          headers: probe.headers,
          insecure: probe.insecure,
          timeoutMs: probe.timeoutMs,
          concurrency: K6_DEFAULTS.probeConcurrency,
          seed: options.seed,
        },
      },
      { toolVersion: output.version, seed: options.seed, signal, onPhase: (phase) => output.err(`stampede merge: ${phase}\n`) },
    );
    const { json: path } = await writeReports(options.out ?? defaultResultDirectory(), document);
    output.out(formatK6Summary(document, path, 'stampede merge'));
    return exitCodeOf(document);
  });
}
