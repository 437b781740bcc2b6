// The thin CLI: parseArguments (grammar only) → run (the command), errors mapped to exit codes.

import { CommanderError } from 'commander';
import { ExitCode, oneLine, StampedeError } from '../errors.ts';
import { processOutput, type Output } from './output.ts';
import { buildProgram, type ParsedCommand } from './program.ts';

/** Parse `argv` (without node and script). Returns the command to run, or the exit code when parsing ended it. */
export function parseArguments(argv: readonly string[], output: Output = processOutput): ParsedCommand | { exitCode: number } {
  let parsed: ParsedCommand | undefined;
  const program = buildProgram(output, (command) => {
    parsed = command;
  });
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end parsing with exit code 0; everything else (no command too) is a usage error.
    if (error.exitCode === 0) return { exitCode: ExitCode.pass };
    if (error.code !== 'commander.help') output.err('Run stampede --help (or stampede <command> --help) for the options.\n');
    return { exitCode: ExitCode.usage };
  }
  if (parsed === undefined) {
    program.outputHelp({ error: true });
    return { exitCode: ExitCode.usage };
  }
  return parsed;
}

/**
 * Run the parsed command. Each command's module is imported only when that command runs: `--help`, a usage error or a
 * light command never loads faker, ajv, undici or autocannon (start-up time, issue 19).
 */
export async function run(parsed: ParsedCommand, output: Output = processOutput): Promise<number> {
  switch (parsed.command) {
    case 'serve':
      return (await import('./serve-command.ts')).runServe(parsed.options, output);
    case 'contract':
      return (await import('./contract-command.ts')).runContract(parsed.options, output);
    case 'generate':
      return (await import('./generate-command.ts')).runGenerate(parsed.options, output);
    case 'load':
      return (await import('./load-command.ts')).runLoadCommand(parsed.options, output);
    case 'conform':
      return (await import('./conform-command.ts')).runConformCommand(parsed.options, output);
    case 'race':
      return (await import('./race-command.ts')).runRaceCommand(parsed.options, output);
    case 'gate':
      return (await import('./gate-command.ts')).runGateCommand(parsed.options, output);
    case 'selftest':
      return (await import('./selftest-command.ts')).runSelftestCommand(parsed.options, output);
    case 'merge':
      return (await import('./merge-command.ts')).runMergeCommand(parsed.options, output);
    case 'k6':
      return (await import('./k6-command.ts')).runK6Command(parsed.options, output);
    case 'report':
      return (await import('./report-command.ts')).runReportCommand(parsed.options, output);
    case 'compare':
      return (await import('./compare-command.ts')).runCompareCommand(parsed.options, output);
  }
}

export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  try {
    const parsed = parseArguments(argv, output);
    if ('exitCode' in parsed) return parsed.exitCode;
    return await run(parsed, output);
  } catch (error) {
    if (error instanceof StampedeError) {
      output.err(`stampede: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug of ours: one line, never a stack trace (STAMPEDE_DEBUG=1 prints it for a report).
    return reportInternalError(error, output);
  }
}

/** One line for an unexpected error (exit 70); the stack only with STAMPEDE_DEBUG=1. */
export function reportInternalError(error: unknown, output: Output = processOutput): number {
  output.err(`stampede: internal error, please report: ${oneLine(error)}\n`);
  if (process.env.STAMPEDE_DEBUG === '1' && error instanceof Error && error.stack) output.err(`${error.stack}\n`);
  return ExitCode.internal;
}
