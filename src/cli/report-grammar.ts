// The command-line grammar of `stampede report` (parsing only; validation in src/options/report-options.ts).

import { Option, type Command } from 'commander';
import { REPORT_DEFAULTS } from '../defaults.ts';
import type { ReportOptionsInput } from '../options/report-options.ts';

export type ReportCommand = { command: 'report'; options: ReportOptionsInput };

export function addReportCommand(program: Command, onCommand: (parsed: ReportCommand) => void): void {
  program
    .command('report')
    .description('Render result documents as an HTML page, Markdown, JUnit XML or JSON; several results are combined into one report.')
    .argument('<result.json...>', 'result documents written by load, race, conform, gate or merge')
    .addOption(new Option('--format <format>', `html, md (markdown), junit or json (default: from the --out extension, else ${REPORT_DEFAULTS.format})`))
    .addOption(new Option('--out <file>', 'write the report to this file (default: print it to stdout)'))
    .addHelpText('after', '\nExit codes: 0 the report was written (whatever the verdict in it), 2 usage error or a file that is not a result document.\n\nExamples:\n  stampede report results/<timestamp>/result.json --format html --out report.html\n  stampede report load/result.json race/result.json conform/result.json --format md >> "$GITHUB_STEP_SUMMARY"\n  stampede report result.json --format junit --out junit.xml\n')
    .action((files: string[], options: { format?: string; out?: string }) => onCommand({ command: 'report', options: { files, ...options } }));
}
