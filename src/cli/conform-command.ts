// `stampede conform`: the conformance suite for release gates; `--list` prints the catalogue. Exit code from the verdict.

import { resolve } from 'node:path';
import { catalogueInstances } from '../conformance/cases.ts';
import { formatCatalogue } from '../conformance/catalogue-list.ts';
import { writeBodyFiles } from '../conformance/curl.ts';
import { runConformance } from '../conformance/runner.ts';
import { writingPartial } from './partial-result.ts';
import { formatConformSummary } from '../conformance/summary.ts';
import { ExitCode } from '../errors.ts';
import { resolveConformOptions, type ConformOptionsInput } from '../options/conform-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { writeReports } from '../../reports/index.ts';
import { exitCodeOf } from './exit-code.ts';
import { withInterrupt } from './interrupt.ts';
import type { Output } from './output.ts';

export async function runConformCommand(args: ConformOptionsInput, output: Output): Promise<number> {
  const options = resolveConformOptions(args);
  if (options.list) {
    output.out(formatCatalogue(catalogueInstances(), options.profile, options.levels));
    return ExitCode.pass;
  }
  const levels = options.levels.length > 0 ? `, levels ${options.levels.map((r) => `${r.pattern}=${r.level.toLowerCase()}`).join(' ')}` : '';
  output.err(`stampede conform: profile ${options.profile}${levels}, conflict status ${options.conflictStatus}, fuzz ${options.fuzz}, seed ${options.seed} (replay with --seed ${options.seed})\n`);
  const directory = options.out ?? defaultResultDirectory();
  return withInterrupt('conform', output, 'stopping; the checks run so far are written', async (signal) => {
    const { document, bodyFiles } = await writingPartial(
      directory,
      runConformance(options, {
        toolVersion: output.version,
        resultDirectory: resolve(directory),
        signal,
        onPhase: (phase) => output.err(`stampede conform: ${phase}\n`),
      }),
    );
    // result.json and the three reports beside it (report.html, report.md, junit.xml).
    const { json: path, html } = await writeReports(directory, document);
    await writeBodyFiles(directory, bodyFiles);
    output.out(formatConformSummary(document, path));
    output.out(`report: ${html}\n`);
    return exitCodeOf(document);
  });
}
