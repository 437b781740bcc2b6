// The command-line grammar (commander): commands, options and help texts. Parsing only; nothing runs here.

import { Command, Option } from 'commander';
import { GENERATOR_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import { FAULT_CATALOGUE } from '../service/faults.ts';
import type { Output } from './output.ts';

/** What the command line asked for, with option values as typed (validation happens in src/options/). */
export type ParsedCommand =
  | { command: 'serve'; options: ServeArguments }
  | { command: 'contract'; options: { format: string } }
  | { command: 'generate'; options: GenerateArguments };

/** `stampede generate` options as typed; validated by src/options/generate-options.ts. */
export interface GenerateArguments {
  count?: string;
  seed: string;
  out?: string;
  invalid: boolean;
  dupRatio: string;
  dupPattern: string;
  variantRatio: string;
  events?: string;
  countries: string;
  gzip: boolean;
}

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

  program
    .command('generate')
    .description('Write a corpus of request bodies (NDJSON, one per line) and a ground-truth sidecar beside it, for k6 and for reuse.')
    .addOption(new Option('--count <n>', 'how many payloads (lines) to write'))
    .addOption(new Option('--seed <n>', 'seed of every choice: the same seed writes the same bytes').default(String(GENERATOR_DEFAULTS.seed)))
    .addOption(new Option('--out <file>', 'corpus file to write; the sidecar is FILE without .ndjson/.gz plus .truth.ndjson[.gz]'))
    .addOption(new Option('--invalid', 'write labelled invalid bodies (every mutation of the catalogue in turn) instead of valid ones').default(false))
    .addOption(new Option('--dup-ratio <r>', 'fraction of lines that repeat an earlier ID (0 to below 1, e.g. 0.1 or 10%)').default(String(GENERATOR_DEFAULTS.dupRatio)))
    .addOption(new Option('--dup-pattern <pattern>', 'duplicates: mixed, immediate (retry), delayed, hot (a few IDs hit often)').default(GENERATOR_DEFAULTS.dupPattern))
    .addOption(new Option('--variant-ratio <r>', 'fraction of duplicates with the ID in upper or mixed case (the same ID)').default(String(GENERATOR_DEFAULTS.variantRatio)))
    .addOption(new Option('--events <min-max>', 'audit events per profile, MIN-MAX[:uniform|geometric] (default 1-5:geometric)'))
    .addOption(new Option('--countries <how>', 'countryCode distribution: weighted (by population) or uniform').default(GENERATOR_DEFAULTS.countries))
    .addOption(new Option('--gzip', 'gzip the corpus and the sidecar').default(false))
    .addHelpText('after', '\nEach corpus line is one request body; the sidecar tells, per line, first attempt or duplicate (or, with\n--invalid, the violated rule). See generators/README.md.\n\nExamples:\n  stampede generate --count 100000 --seed 7 --out corpus.ndjson\n  stampede generate --count 1000000 --dup-ratio 0.05 --dup-pattern hot --gzip --out dup.ndjson.gz\n  stampede generate --count 5000 --invalid --out invalid.ndjson\n')
    .action((options: GenerateArguments) => onCommand({ command: 'generate', options }));

  // Every command rejects unknown options and stray arguments, and shares the error behaviour.
  for (const command of program.commands) {
    command.exitOverride().allowExcessArguments(false).configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  }
  return program;
}
