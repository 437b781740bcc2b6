// `stampede k6 <scenario>`: run a k6 scenario (k6 must be on PATH), stream its progress, then judge its output in the
// ledger with the durability probe; Ctrl-C stops k6 gracefully and the partial output is still judged (exit 130).

import { runK6Scenario } from '../engines/k6/k6-run.ts';
import { k6IsRunning } from '../engines/k6/k6-process.ts';
import { ExitCode } from '../errors.ts';
import { resolveK6Options, type K6OptionsInput } from '../options/k6-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { exitCodeOf } from './exit-code.ts';
import { writeReports } from '../../reports/index.ts';
import { formatK6Summary } from './merge-summary.ts';
import type { Output } from './output.ts';

export async function runK6Command(args: K6OptionsInput, output: Output): Promise<number> {
  const options = resolveK6Options(args);
  const directory = options.out ?? defaultResultDirectory();
  output.err(`stampede k6 ${options.scenario}: seed ${options.seed}, results in ${directory}\n`);

  const controller = new AbortController();
  // While k6 runs, runK6Process forwards each Ctrl-C to it (graceful stop, then hard stop); afterwards the first one
  // stops the durability probe and a second one quits without a result.
  const onSignal = (signal: NodeJS.Signals) => {
    if (k6IsRunning()) {
      if (!controller.signal.aborted) output.err(`\nstampede k6: ${signal}: k6 is stopping gracefully (again to stop it at once); its output so far will be judged\n`);
    } else if (controller.signal.aborted) {
      process.exit(ExitCode.interrupted);
    } else {
      output.err(`\nstampede k6: ${signal}: stopping, writing the partial result (again to quit at once)\n`);
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const document = await runK6Scenario(options, directory, {
      toolVersion: output.version,
      onOutput: (text) => output.err(text),
      onPhase: (phase) => output.err(`stampede k6: ${phase}\n`),
      signal: controller.signal,
    });
    const { json: path } = await writeReports(directory, document);
    output.out(formatK6Summary(document, path, `stampede k6 ${options.scenario}`));
    return exitCodeOf(document);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
