// `stampede selftest`: the fault matrix; exit 1 when a fault goes undetected or the correct service is flagged.

import { resolve } from 'node:path';
import { formatMatrix, runSelftest } from '../gate/selftest.ts';
import { ExitCode } from '../errors.ts';
import { resolveSelftestOptions, type SelftestOptionsInput } from '../options/selftest-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { writeReports } from '../../reports/index.ts';
import { withInterrupt } from './interrupt.ts';
import type { Output } from './output.ts';

export async function runSelftestCommand(args: SelftestOptionsInput, output: Output): Promise<number> {
  const options = resolveSelftestOptions(args);
  const directory = resolve(options.out ?? defaultResultDirectory());
  output.err(`stampede selftest: the gate against the reference service, correct and with ${options.faults.length} faults${options.short ? ' (short)' : ''}, seed ${options.seed}\n`);
  let interrupted = false;
  const rows = await withInterrupt('selftest', output, 'stopping after the row in flight; its result is written', (signal) => {
    signal.addEventListener('abort', () => (interrupted = true));
    return runSelftest(options, {
      toolVersion: output.version,
      outDir: directory,
      signal,
      onRow: (fault, index, total) => output.err(`stampede selftest: ${index + 1}/${total} ${fault === 'none' ? 'correct service' : `fault ${fault}`}\n`),
      persist: async (dir, document) => void (await writeReports(dir, document)),
    });
  });
  output.out(formatMatrix(rows, !interrupted));
  output.err(`stampede selftest: each row's reports are in ${directory}/\n`);
  if (interrupted) return ExitCode.interrupted;
  return rows.every((row) => row.ok) ? ExitCode.pass : ExitCode.checkFailed;
}
