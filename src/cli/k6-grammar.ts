// The command-line grammar of `stampede merge` and `stampede k6` (parsing only; validation in src/options/).

import { Option, type Command } from 'commander';
import { K6_DEFAULTS, SERVICE_DEFAULTS } from '../defaults.ts';
import type { K6OptionsInput } from '../options/k6-options.ts';
import type { MergeOptionsInput } from '../options/merge-options.ts';

export type K6Command = { command: 'merge'; options: MergeOptionsInput } | { command: 'k6'; options: K6OptionsInput };

const collect = (value: string, previous: string[]) => [...previous, value];
const EXIT_CODES = 'Exit codes: 0 pass, 1 a check failed (e.g. a duplicate success across machines), 2 usage error or unusable input, 3 verdict unknown (e.g. no durability probe), 130 interrupted.';

export function addK6Commands(program: Command, onCommand: (parsed: K6Command) => void): void {
  program
    .command('merge')
    .description("Judge the --out json files of one or more k6 instances (one per machine or execution segment) in one ledger: one verdict, U1–U4 across machines.")
    .argument('<files...>', 'k6 --out json files (plain or .gz; .gz is ~16× smaller and reads as fast), one per k6 instance; read in parallel by worker threads when the machine has the cores')
    .addOption(new Option('--out <dir>', 'where result.json and the reports go (default results/<timestamp>/)'))
    .addOption(new Option('--conflict-status <code>', `the status a duplicate must get (default ${SERVICE_DEFAULTS.conflictStatus})`))
    .addOption(new Option('--max-indeterminate <share>', `above this share of indeterminate outcomes the verdict is unknown (default ${K6_DEFAULTS.maxIndeterminateShare})`))
    .addOption(new Option('--probe-target <url>', 'run the durability probe (U3) on the acknowledged IDs against this base URL; without it U3 is unknown'))
    .addOption(new Option('--probe <plan>', 'durability probe: all or sample:N (default all; needs --probe-target)'))
    .addOption(new Option('-H, --header <header>', "durability probe: extra request header 'Name: value' (repeatable); values never reach a report").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'durability probe: accept an untrusted TLS certificate'))
    .addOption(new Option('--timeout <duration>', `durability probe: a probe unanswered this long is indeterminate (default ${K6_DEFAULTS.probeTimeoutMs / 1000}s)`))
    .addOption(new Option('--seed <n>', 'seed of the probe sample and bodies (default 1)'))
    .addHelpText('after', `\n${EXIT_CODES}\n\nExamples:\n  stampede merge a.json b.json.gz\n  stampede merge results/a/k6.json.gz results/b/k6.json.gz --probe-target https://staging.example -H 'Authorization: Bearer …'\n`)
    .action((files: string[], options: Omit<MergeOptionsInput, 'files'>) => onCommand({ command: 'merge', options: { ...options, files } }));

  program
    .command('k6')
    .description('Run a k6 scenario (k6 on PATH), stream its progress, then judge its --out json output like stampede merge, with the durability probe.')
    .argument('<scenario>', `one of ${K6_DEFAULTS.scenarios.join(', ')} (scenarios/k6/<scenario>.ts)`)
    .argument('[k6-args...]', 'extra `k6 run` arguments, after --')
    .addOption(new Option('--target <url>', 'base URL of the service (default: the embedded reference service in a worker thread)'))
    .addOption(new Option('--rate <r>', 'RATE: iterations (requests) started per second'))
    .addOption(new Option('--duration <duration>', 'DURATION, e.g. 30s, 2m'))
    .addOption(new Option('--vus <n>', 'VUS: pre-allocated virtual users'))
    .addOption(new Option('--max-vus <n>', 'MAX_VUS: most virtual users the arrival-rate executors may add'))
    .addOption(new Option('--dup-ratio <r>', 'DUP_RATIO: share of planned duplicates'))
    .addOption(new Option('--corpus <file>', `CORPUS: NDJSON bodies from stampede generate (default: ${K6_DEFAULTS.corpusLines} generated into the result directory)`))
    .addOption(new Option('--segment <from:to>', 'k6 --execution-segment of this instance, e.g. 0:1/2'))
    .addOption(new Option('--segment-sequence <points>', 'k6 --execution-segment-sequence shared by all instances, e.g. 0,1/2,1'))
    .addOption(new Option('-H, --header <header>', "extra request header 'Name: value' (repeatable), given to k6 as HEADERS through its environment; values never reach a report").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'INSECURE: accept an untrusted TLS certificate (k6 and the probe)'))
    .addOption(new Option('--conflict-status <code>', `CONFLICT_STATUS: the status a duplicate must get (default ${SERVICE_DEFAULTS.conflictStatus})`))
    .addOption(new Option('--max-indeterminate <share>', `above this share of indeterminate outcomes the verdict is unknown (default ${K6_DEFAULTS.maxIndeterminateShare})`))
    .addOption(new Option('--probe <plan>', `durability probe after k6: all, sample:N or off (default ${K6_DEFAULTS.probe})`))
    .addOption(new Option('--fault <name[:param]>', 'embedded service only: inject a fault (repeatable; see stampede serve --help)').default([]).argParser(collect))
    .addOption(new Option('--seed <n>', 'seed of the generated corpus and the probe (default: a fresh one, printed)'))
    .addOption(new Option('--run-id <id>', 'RUN_ID: the same on every instance of a distributed run (default: a fresh UUID)'))
    .addOption(new Option('--out <dir>', `where ${K6_DEFAULTS.jsonFile}, result.json and the reports go (default results/<timestamp>/)`))
    .addHelpText('after', `\n${EXIT_CODES}\nk6 must be on PATH: ${K6_DEFAULTS.installDocs}\n\nExamples:\n  stampede k6 throughput --rate 500 --duration 1m\n  stampede k6 race --target http://127.0.0.1:8080 -- --http-debug\n  stampede k6 throughput --target https://staging.example --segment 0:1/2 --segment-sequence 0,1/2,1 --run-id nightly-42\n`)
    .action((scenario: string, k6Args: string[], options: Omit<K6OptionsInput, 'scenario' | 'k6Args'>) => onCommand({ command: 'k6', options: { ...options, scenario, k6Args } }));
}
