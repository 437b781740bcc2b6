// The command-line grammar (commander): commands, options and help texts. Parsing only; nothing runs here.

import { Command, Option } from 'commander';
import { GENERATOR_DEFAULTS, LOAD_DEFAULTS, RACE_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import type { LoadOptionsInput } from '../options/load-options.ts';
import { CONFORM_DEFAULTS } from '../defaults.ts';
import type { ConformOptionsInput } from '../options/conform-options.ts';
import type { RaceOptionsInput } from '../options/race-options.ts';
import { FAULT_CATALOGUE } from '../service/faults.ts';
import { addCompareCommand, type CompareCommand } from './compare-grammar.ts';
import { addGateCommands, type GateCommand } from './gate-grammar.ts';
import { addK6Commands, type K6Command } from './k6-grammar.ts';
import { addReportCommand, type ReportCommand } from './report-grammar.ts';
import type { Output } from './output.ts';

/** What the command line asked for, with option values as typed (validation happens in src/options/). */
export type ParsedCommand =
  | { command: 'serve'; options: ServeArguments }
  | { command: 'contract'; options: { format: string } }
  | { command: 'generate'; options: GenerateArguments }
  | { command: 'load'; options: LoadOptionsInput }
  | { command: 'conform'; options: ConformOptionsInput }
  | { command: 'race'; options: RaceOptionsInput }
  | GateCommand
  | K6Command
  | ReportCommand
  | CompareCommand;

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
  tlsCert?: string;
  tlsKey?: string;
  http2?: boolean;
  tls?: boolean;
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
    .addOption(new Option('--tls-cert <file>', 'PEM certificate: serve HTTPS (HTTP/1.1, or HTTP/2 with --http2); needs --tls-key'))
    .addOption(new Option('--tls-key <file>', 'PEM private key of --tls-cert'))
    .addOption(new Option('--tls', 'serve HTTPS with a self-signed certificate generated at start (printed fingerprint), unless --tls-cert/--tls-key are given'))
    .addOption(new Option('--http2', 'serve HTTP/2: cleartext h2c (prior knowledge), or h2 over TLS (ALPN) with --tls-cert/--tls-key'))
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

  program
    .command('load')
    .description('Load the target with unique realistic bodies plus planned duplicates; check every answer and the per-ID invariants U1–U4.')
    .addOption(new Option('--target <url>', 'base URL of the service (default: the embedded reference service in a worker thread)'))
    .addOption(new Option('--connections <n>', `closed model: busy connections (default ${LOAD_DEFAULTS.connections})`))
    .addOption(new Option('--rate <r>', 'open model: requests started per second, evenly spaced; latency from the intended start'))
    .addOption(new Option('--max-connections <n>', `open model: most connections opened (default ${LOAD_DEFAULTS.maxConnections})`))
    .addOption(new Option('--engine <name>', `closed model: http1 (stampede's own HTTP/1.1 client) or autocannon (default ${LOAD_DEFAULTS.engine})`))
    .addOption(new Option('--workers <n>', `worker threads sharing the load, each owning a share of the IDs and of the connections or rate; one per core left free by the target (default ${LOAD_DEFAULTS.workers})`))
    .addOption(new Option('--warmup <duration>', `sent first, judged by the ledger, kept out of throughput and latency; 0 for none (default ${LOAD_DEFAULTS.openWarmupMs / 1000}s with --rate and --duration, else 0)`))
    .addOption(new Option('--max-lag <limit>', `above this, stampede's own lag marks its latency figures generator-bound: a percentile=duration, or off (default ${LOAD_DEFAULTS.maxLag})`))
    .addOption(new Option('--duration <duration>', `how long to send, e.g. 30s, 2m (default ${LOAD_DEFAULTS.durationMs / 1000}s)`))
    .addOption(new Option('--requests <n>', 'send exactly this many requests instead of --duration'))
    .addOption(new Option('--dup-ratio <r>', `share of requests repeating an earlier ID (default ${LOAD_DEFAULTS.dupRatio})`))
    .addOption(new Option('--seed <n>', 'seed of every random choice (default: a fresh one, printed)'))
    .addOption(new Option('-H, --header <header>', "extra request header 'Name: value' (repeatable); values never reach a report").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'accept an untrusted TLS certificate').default(false))
    .addOption(new Option('--timeout <duration>', `a request unanswered this long is indeterminate (default ${LOAD_DEFAULTS.timeoutMs / 1000}s)`))
    .addOption(new Option('--probe <plan>', `durability probe after the load: all, sample:N or off (default ${LOAD_DEFAULTS.probe})`))
    .addOption(new Option('--conflict-status <code>', `the status a duplicate must get (default ${SERVICE_DEFAULTS.conflictStatus})`))
    .addOption(new Option('--max-indeterminate <share>', `above this share of indeterminate outcomes the verdict is unknown (default ${LOAD_DEFAULTS.maxIndeterminateShare})`))
    .addOption(new Option('--fault <name[:param]>', 'embedded service only: inject a fault (repeatable; see stampede serve --help)').default([]).argParser(collect))
    .addOption(new Option('--out <dir>', 'where result.json goes (default results/<timestamp>/)'))
    .addHelpText('after', `\nExit codes: 0 pass, 1 a check failed, 2 usage error, 3 verdict unknown (target unreachable, too many indeterminate answers), 70 internal error, 130 interrupted.\n\nExamples:\n  stampede load --duration 30s --connections 64\n  stampede load --target http://127.0.0.1:8080 --rate 2000 --duration 1m -H 'Authorization: Bearer …'\n  stampede load --fault lose-writes:0.02 --requests 20000\n`)
    .action((options: LoadOptionsInput) => onCommand({ command: 'load', options }));

  program
    .command('race')
    .description('Reproduce duplicate-ID races: bursts of synchronised POSTs of one new ID; more than one 2xx is a reproduced race.')
    .addOption(new Option('--target <url>', 'base URL of the service, http:// or https:// (default: the embedded reference service in a worker thread)'))
    .addOption(new Option('--bursts <n>', `bursts, each on a fresh ID (default ${RACE_DEFAULTS.bursts})`))
    .addOption(new Option('--width <n>', `requests per burst (default ${RACE_DEFAULTS.width})`))
    .addOption(new Option('--sync <mode>', `last-byte (HTTP/1.1), single-packet (HTTP/2) or naive (default ${RACE_DEFAULTS.sync})`))
    .addOption(new Option('--ids <mode>', 'same: one spelling; variants: upper/lower/mixed case of the same ID (default same)'))
    .addOption(new Option('--warmup', 'send GET /healthz (keep-alive) on each connection before its burst request'))
    .addOption(
      new Option(
        '--blocker <size>',
        `last-byte: per burst, one more POST on its own connection, a JSON array body of this size (e.g. 256kib; under the target's body limit) answered 4xx; its final byte goes first, ${RACE_DEFAULTS.blockerLeadUs} µs ahead, so the server is busy parsing it while the final bytes land (default off)`,
      ),
    )
    .addOption(new Option('--seed <n>', 'seed of the IDs and bodies (default: a fresh one, printed)'))
    .addOption(new Option('-H, --header <header>', "extra request header 'Name: value' (repeatable); values never reach result.json (they are in the replay file's bytes)").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'accept an untrusted TLS certificate').default(false))
    .addOption(new Option('--timeout <duration>', `a request unanswered this long is indeterminate (default ${RACE_DEFAULTS.timeoutMs / 1000}s)`))
    .addOption(new Option('--conflict-status <code>', `the status a duplicate must get (default ${SERVICE_DEFAULTS.conflictStatus})`))
    .addOption(new Option('--baseline <n>', `naive bursts measured beside a synchronised mode; 0 for none (default min(--bursts, ${RACE_DEFAULTS.baselineBursts}))`))
    .addOption(new Option('--connect-concurrency <n>', `connections being opened at once, so a small accept queue is never flooded; a burst starts when all are up (default ${RACE_DEFAULTS.connectConcurrency})`))
    .addOption(new Option('--replay <file>', `re-send the requests of a ${RACE_DEFAULTS.replayFile} written by an earlier run, byte for byte`))
    .addOption(new Option('--fault <name[:param]>', 'embedded service only: inject a fault (repeatable; see stampede serve --help)').default([]).argParser(collect))
    .addOption(new Option('--out <dir>', `where result.json and ${RACE_DEFAULTS.replayFile} go (default results/<timestamp>/)`))
    .addHelpText('after', `\nExit codes: 0 no race reproduced, 1 a race reproduced (or another wrong answer), 2 usage error,\n3 unknown (target unreachable, most requests unanswered), 70 internal error, 130 interrupted.\n\nExamples:\n  stampede race --fault race:tick\n  stampede race --target http://127.0.0.1:8080 --bursts 200 --width 64 --ids variants\n  stampede race --replay results/<timestamp>/${RACE_DEFAULTS.replayFile} --target http://127.0.0.1:8080\n`)
    .action((options: RaceOptionsInput) => onCommand({ command: 'race', options }));

  program
    .command('conform')
    .description('Run the conformance suite (named checks: MUST, SHOULD, MAY) against the target; --list prints the catalogue.')
    .addOption(new Option('--target <url>', 'base URL of the service (default: the embedded reference service in a worker thread)'))
    .addOption(new Option('--profile <profile>', `default (a SHOULD failure is a warning) or strict (every SHOULD is a MUST) (default ${CONFORM_DEFAULTS.profile})`))
    .addOption(new Option('--level <pattern=level>', "set the level of the checks whose ID matches a glob: must, should, may or off (repeatable; the last match wins over --profile and the default)").default([]).argParser(collect))
    .addOption(new Option('--conflict-status <code>', `the status a duplicate ID should get, for targets using 400/422 by design (default ${SERVICE_DEFAULTS.conflictStatus})`))
    .addOption(new Option('--fuzz <n>', `hostile requests in the seeded fuzz round; 0 skips it (default ${CONFORM_DEFAULTS.fuzz})`))
    .addOption(new Option('--seed <n>', 'seed of the payloads and the fuzz round (default: a fresh one, printed)'))
    .addOption(new Option('-H, --header <header>', "extra request header 'Name: value' (repeatable); values never reach a report").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'accept an untrusted TLS certificate').default(false))
    .addOption(new Option('--timeout <duration>', `a request unanswered this long fails NO-HANG (default ${CONFORM_DEFAULTS.timeoutMs / 1000}s)`))
    .addOption(new Option('--fault <name[:param]>', 'embedded service only: inject a fault (repeatable; see stampede serve --help)').default([]).argParser(collect))
    .addOption(new Option('--out <dir>', 'where result.json (and the body files of the curl commands) go (default results/<timestamp>/)'))
    .addOption(new Option('--list', 'print the catalogue (one check per line: ID, level, where the level came from, source, meaning, reference) and exit').default(false))
    .addHelpText('after', `\nLevels: MUST where the spec or HTTP requires it, SHOULD where the check rests on the contract's reading of the\nspec's example or on an RFC's advice; --profile strict makes every SHOULD a MUST; --level overrides both.\n\nExit codes: 0 pass (SHOULD failures are warnings), 1 a MUST check failed, 2 usage error, 3 target unreachable or verdict unknown, 130 interrupted.\n\nExamples:\n  stampede conform --list\n  stampede conform --target http://127.0.0.1:8080 -H 'Authorization: Bearer …'\n  stampede conform --target https://staging.example --conflict-status 422 --profile strict --fuzz 1000\n  stampede conform --target http://127.0.0.1:8080 --level 'SCHEMA-400.*=must' --level 'METHOD-405-ALLOW.*=off'\n`)
    .action((options: ConformOptionsInput) => onCommand({ command: 'conform', options }));

  addGateCommands(program, onCommand);
  addK6Commands(program, onCommand);
  addReportCommand(program, onCommand);
  addCompareCommand(program, onCommand);

  // Every command rejects unknown options and stray arguments, and shares the error behaviour.
  for (const command of program.commands) {
    command.exitOverride().allowExcessArguments(false).configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  }
  return program;
}
