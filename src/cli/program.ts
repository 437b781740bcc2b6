// The command-line grammar (commander): commands, options and help texts. Parsing only; nothing runs here.

import { Command, Option } from 'commander';
import { SERVICE_DEFAULTS } from '../defaults.ts';
import { FAULT_CATALOGUE } from '../service/faults.ts';
import type { Output } from './output.ts';

/** What the command line asked for, with option values as typed (validation happens in src/options/). */
export type ParsedCommand =
  | { command: 'serve'; options: ServeArguments }
  | { command: 'contract'; options: { format: string } };

export interface ServeArguments {
  port: string;
  host: string;
  fault: string[];
  seed: string;
  maxBody: string;
  keepPayloads: boolean;
  headerTimeout: string;
  requestTimeout: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function buildProgram(output: Output, onCommand: (parsed: ParsedCommand) => void): Command {
  const program = new Command('stampede')
    .description('Load, race and conformance testing for POST /user-profiles: throughput and duplicate-ID correctness in one run.')
    .version(output.version, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .exitOverride();

  const faultHelp = FAULT_CATALOGUE.map((f) => `  ${f.syntax}\n      ${f.simulates}`).join('\n');
  program
    .command('serve')
    .description('Run the reference registration service (the default target), optionally with injected faults.')
    .addOption(new Option('--port <port>', 'TCP port; 0 picks a free one').default(String(SERVICE_DEFAULTS.port)))
    .addOption(new Option('--host <host>', 'address to listen on').default(SERVICE_DEFAULTS.host))
    .addOption(new Option('--fault <name[:param]>', 'inject a fault (repeatable); see the list below').default([]).argParser(collect))
    .addOption(new Option('--seed <n>', 'seed of the faults\' random choices').default(String(SERVICE_DEFAULTS.seed)))
    .addOption(new Option('--max-body <size>', 'largest accepted body (e.g. 1mib, 512kb)').default('1mib'))
    .addOption(new Option('--keep-payloads', 'store whole bodies, not only the canonical IDs').default(false))
    .addOption(new Option('--header-timeout <duration>', 'disconnect clients whose headers take longer').default(`${SERVICE_DEFAULTS.headersTimeoutMs / 1000}s`))
    .addOption(new Option('--request-timeout <duration>', 'disconnect clients whose whole request takes longer').default(`${SERVICE_DEFAULTS.requestTimeoutMs / 1000}s`))
    .addHelpText('after', `\nFaults (--fault NAME[:PARAM], repeatable, seeded by --seed):\n${faultHelp}\n\nExample:\n  stampede serve --port 8080 --fault race:tick --fault latency:uniform:20ms:80ms --seed 7\n`)
    .action((options: ServeArguments) => onCommand({ command: 'serve', options }));

  program
    .command('contract')
    .description('Print the contract: the request JSON Schema, the OpenAPI 3.1 document, or an example body.')
    .addOption(new Option('--format <format>', 'what to print').choices(['schema', 'openapi', 'example']).default('openapi'))
    .action((options: { format: string }) => onCommand({ command: 'contract', options }));

  // Every command rejects unknown options and stray arguments, and shares the error behaviour.
  for (const command of program.commands) {
    command.exitOverride().allowExcessArguments(false).configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  }
  return program;
}
