// `stampede conform`: the conformance suite for release gates; `--list` prints the catalogue. Exit code from the verdict.

import { resolve } from 'node:path';
import { formatCatalogue } from '../conformance/catalogue.ts';
import { writeBodyFiles } from '../conformance/curl.ts';
import { listInstances, runConformance } from '../conformance/runner.ts';
import { formatConformSummary } from '../conformance/summary.ts';
import { ExitCode } from '../errors.ts';
import { resolveConformOptions, type ConformOptionsInput } from '../options/conform-options.ts';
import { defaultResultDirectory, writeResultDocument } from '../result/write-result.ts';
import { exitCodeOf } from './exit-code.ts';
import type { Output } from './output.ts';

export async function runConformCommand(args: ConformOptionsInput, output: Output): Promise<number> {
  const options = resolveConformOptions(args);
  if (options.list) {
    output.out(formatCatalogue(listInstances()));
    return ExitCode.pass;
  }
  output.err(`stampede conform: profile ${options.profile}, conflict status ${options.conflictStatus}, fuzz ${options.fuzz}, seed ${options.seed} (replay with --seed ${options.seed})\n`);
  const directory = options.out ?? defaultResultDirectory();
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      output.err(`stampede conform: ${signal} again, exiting now without a result\n`);
      process.exit(ExitCode.interrupted);
    }
    output.err(`\nstampede conform: ${signal}: stopping; the checks run so far are written (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { document, bodyFiles } = await runConformance(options, {
      toolVersion: output.version,
      resultDirectory: resolve(directory),
      signal: controller.signal,
      onPhase: (phase) => output.err(`stampede conform: ${phase}\n`),
    });
    const path = await writeResultDocument(directory, document);
    await writeBodyFiles(directory, bodyFiles);
    output.out(formatConformSummary(document, path));
    return exitCodeOf(document);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
