// The thin CLI: parseArguments (grammar only) → run (the command), errors mapped to exit codes.

import { CommanderError } from 'commander';
import { ExitCode, StampedeError } from '../errors.ts';
import { runContract } from './contract-command.ts';
import { runGenerate } from './generate-command.ts';
import { runLoadCommand } from './load-command.ts';
import { runConformCommand } from './conform-command.ts';
import { runRaceCommand } from './race-command.ts';
import { runGateCommand } from './gate-command.ts';
import { runSelftestCommand } from './selftest-command.ts';
import { runK6Command } from './k6-command.ts';
import { runMergeCommand } from './merge-command.ts';
import { runReportCommand } from './report-command.ts';
import { processOutput, type Output } from './output.ts';
import { buildProgram, type ParsedCommand } from './program.ts';
import { runServe } from './serve-command.ts';

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

export async function run(parsed: ParsedCommand, output: Output = processOutput): Promise<number> {
  switch (parsed.command) {
    case 'serve':
      return runServe(parsed.options, output);
    case 'contract':
      return runContract(parsed.options, output);
    case 'generate':
      return runGenerate(parsed.options, output);
    case 'load':
      return runLoadCommand(parsed.options, output);
    case 'conform':
      return runConformCommand(parsed.options, output);
    case 'race':
      return runRaceCommand(parsed.options, output);
    case 'gate':
      return runGateCommand(parsed.options, output);
    case 'selftest':
      return runSelftestCommand(parsed.options, output);
    case 'merge':
      return runMergeCommand(parsed.options, output);
    case 'k6':
      return runK6Command(parsed.options, output);
    case 'report':
      return runReportCommand(parsed.options, output);
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
    throw error;
  }
}
