// The command-line grammar of `stampede compare` (parsing only; validation in src/options/compare-options.ts).

import { Option, type Command } from 'commander';
import { COMPARE_DEFAULTS } from '../defaults.ts';
import type { CompareOptionsInput } from '../options/compare-options.ts';

export type CompareCommand = { command: 'compare'; options: CompareOptionsInput };

export function addCompareCommand(program: Command, onCommand: (parsed: CompareCommand) => void): void {
  program
    .command('compare')
    .description('Compare runs with a baseline: each figure base against new over per-second samples, with an interval and a p-value, or ~ when not significant.')
    .argument('<base>', 'the base: a result.json, a directory of them, or several separated by commas (repeated runs make a stronger test)')
    .argument('<new>', 'the new runs, the same way')
    .addOption(new Option('--format <format>', `md (markdown), html, json or junit (default: from the --out extension, else ${COMPARE_DEFAULTS.format})`))
    .addOption(new Option('--out <file>', 'write the comparison to this file (default: print it to stdout)'))
    .addOption(new Option('--alpha <level>', `significance level, family-wise over the figures (default ${COMPARE_DEFAULTS.alpha})`))
    .addOption(new Option('--max-regression <limits>', "judge limits, e.g. 'p99=10%,throughput=5%,error-rate=0.1pp': exit 1 when a regression is significant and beyond its limit"))
    .addHelpText(
      'after',
      "\nFigures: throughput, p50, p90, p99, p999, error-rate, lag-p99, each over the per-second samples of the runs (the first second\nwithout a warm-up and a last partial second left out); Mann–Whitney U, Holm-adjusted; the shift is Hodges–Lehmann's.\n\nExit codes: 0 compared (whatever it shows; with --max-regression: no limit failed), 1 a limit failed, 2 usage error, a file\nthat is not a result document, or runs of different load models, 3 a limit could not be decided (too few seconds).\n\nExamples:\n  stampede compare results/main/result.json results/pr/result.json\n  stampede compare base1/result.json,base2/result.json new1/result.json,new2/result.json --format html --out compare.html\n  stampede compare results/main/ results/pr/ --max-regression 'p99=10%,error-rate=0.1pp' --format junit --out compare.xml\n",
    )
    .action((base: string, next: string, options: Omit<CompareOptionsInput, 'base' | 'new'>) => onCommand({ command: 'compare', options: { base, new: next, ...options } }));
}
