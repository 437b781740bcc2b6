// The command-line grammar of `stampede gate` and `stampede selftest` (parsing only; validation in src/options/).

import { Option, type Command } from 'commander';
import { COMPARE_DEFAULTS, GATE_DEFAULTS, SELFTEST_DEFAULTS } from '../defaults.ts';
import type { GateOptionsInput } from '../options/gate-options.ts';
import type { SelftestOptionsInput } from '../options/selftest-options.ts';

export type GateCommand = { command: 'gate'; options: GateOptionsInput } | { command: 'selftest'; options: SelftestOptionsInput };

const collect = (value: string, previous: string[]) => [...previous, value];

export function addGateCommands(program: Command, onCommand: (parsed: GateCommand) => void): void {
  const t = GATE_DEFAULTS.thresholds;
  program
    .command('gate')
    .description('The release gate: conformance, a load phase with duplicates and the durability probe, a race phase; thresholds; four reports; one exit code.')
    .addOption(new Option('--target <url>', 'base URL of the service (default: the embedded reference service)'))
    .addOption(new Option('--config <file>', 'gate settings and thresholds as JSON (comments allowed); flags win over it (example: src/gate/gate.example.jsonc)'))
    .addOption(new Option('--max-p99 <duration>', `fail when the load phase's p99 latency is above this (default ${t.maxP99Ms}ms)`))
    .addOption(new Option('--max-error-rate <fraction>', `fail when wrong + indeterminate answers of the load phase exceed this share (default ${t.maxErrorRate})`))
    .addOption(new Option('--min-throughput <req/s>', `fail when the load phase answers fewer per second; 0 turns it off (default ${t.minThroughput})`))
    .addOption(new Option('--max-indeterminate <fraction>', 'above this share of indeterminate outcomes the verdict is unknown (default 0.01)'))
    .addOption(new Option('--duration <duration>', `length of the load phase (default ${GATE_DEFAULTS.load.durationMs / 1000}s)`))
    .addOption(new Option('--connections <n>', `load phase, closed model: busy connections (default ${GATE_DEFAULTS.load.connections})`))
    .addOption(new Option('--rate <req/s>', 'load phase, open model: requests started per second (instead of --connections)'))
    .addOption(new Option('--dup-ratio <fraction>', `share of planned duplicate IDs in the load phase (default ${GATE_DEFAULTS.load.dupRatio})`))
    .addOption(new Option('--probe <plan>', `durability probe after the load phase: all, sample:N or off (default ${GATE_DEFAULTS.load.probe})`))
    .addOption(new Option('--bursts <n>', `race phase: bursts, 0 skips the phase (default ${GATE_DEFAULTS.race.bursts})`))
    .addOption(new Option('--width <n>', `race phase: requests per burst (default ${GATE_DEFAULTS.race.width})`))
    .addOption(new Option('--sync <mode>', `race phase: last-byte, single-packet or naive (default ${GATE_DEFAULTS.race.sync})`))
    .addOption(new Option('--race-baseline <n>', `race phase: naive bursts measured beside (default ${GATE_DEFAULTS.race.baselineBursts})`))
    .addOption(new Option('--ids <mode>', 'race phase: same, or variants (upper/lower/mixed case of one ID) (default same)'))
    .addOption(new Option('--warmup <duration>', 'load phase: sent first, judged by the ledger, kept out of throughput and latency; 0 for none (default 2s with --rate, else 0)'))
    .addOption(new Option('--max-lag <limit>', "load phase: above this, stampede's own lag makes every latency threshold unknown: a percentile=duration, or off (default p99=5ms)"))
    .addOption(new Option('--engine <name>', 'load phase, closed model: http1 or autocannon (default http1)'))
    .addOption(new Option('--workers <n>', 'load phase: worker threads sharing it, each owning a share of the IDs (default 1)'))
    .addOption(new Option('--race-warmup', 'race phase: one GET /healthz on each connection before its burst'))
    .addOption(new Option('--blocker <size>', 'race phase, last-byte: a schema-invalid request of this size released just before each burst to keep the target busy (default off)'))
    .addOption(new Option('--profile <profile>', `conformance: default or strict (every SHOULD a MUST) (default ${GATE_DEFAULTS.conformance.profile})`))
    .addOption(new Option('--level <pattern=level>', 'conformance: the level of the checks whose ID matches a glob: must, should, may or off (repeatable; wins over --profile and the config file)').default([]).argParser(collect))
    .addOption(new Option('--fuzz <n>', `conformance: hostile requests of the fuzz round (default ${GATE_DEFAULTS.conformance.fuzz})`))
    .addOption(new Option('--conflict-status <code>', 'the status a duplicate must get (default 409)'))
    .addOption(new Option('--seed <n>', 'seed of every phase (default: a fresh one, printed)'))
    .addOption(new Option('-H, --header <header>', "extra request header 'Name: value' (repeatable); values never reach a report or a log").default([]).argParser(collect))
    .addOption(new Option('--insecure', 'accept an untrusted TLS certificate').default(false))
    .addOption(new Option('--timeout <duration>', 'a request unanswered this long is indeterminate (default 10s)'))
    .addOption(new Option('--fault <name[:param]>', 'embedded service only: inject a fault (repeatable; see stampede serve --help)').default([]).argParser(collect))
    .addOption(new Option('--baseline <result.json>', 'compare the load phase with this earlier run (same settings; repeatable, or DIR, or a,b): each --max-regression limit is a threshold (a whole number here is the older spelling of --race-baseline)').default([]).argParser(collect))
    .addOption(new Option('--max-regression <limits>', `with --baseline: fail on a significant regression beyond a limit, e.g. 'p99=10%,throughput=5%,error-rate=0.1pp' (default ${COMPARE_DEFAULTS.maxRegression})`))
    .addOption(new Option('--alpha <level>', `with --baseline: significance level, family-wise over the figures (default ${COMPARE_DEFAULTS.alpha})`))
    .addOption(new Option('--out <dir>', 'where result.json, report.html, report.md, junit.xml go (default results/<timestamp>/)'))
    .addHelpText(
      'after',
      `\nExit codes: 0 pass, 1 a check, invariant or threshold failed, 2 usage or configuration error, 3 unknown (target unreachable,\ntoo many indeterminate answers, a phase could not run), 130 interrupted (the partial reports are still written).\n\nExamples:\n  stampede gate\n  stampede gate --target http://127.0.0.1:8080 -H 'Authorization: Bearer …' --max-p99 50ms --min-throughput 1000\n  stampede gate --target https://staging.example --config gate.json --out gate-results\n  stampede gate --target http://127.0.0.1:8080 --level 'SCHEMA-400.*=must' --level 'METHOD-405-ALLOW.*=off'\n  stampede gate --target http://127.0.0.1:8080 --baseline main/result.json --max-regression 'p99=10%,error-rate=0.1pp'\n`,
    )
    .action((options: GateOptionsInput) => onCommand({ command: 'gate', options }));

  program
    .command('selftest')
    .description('Run the gate against the reference service with each fault mode and print which checks caught it; the correct service must pass.')
    .addOption(new Option('--fault <name[:param]>', `a fault row (repeatable; default: ${SELFTEST_DEFAULTS.faults.join(', ')})`).default([]).argParser(collect))
    .addOption(new Option('--short', 'the CI version: shorter load and race phases').default(false))
    .addOption(new Option('--seed <n>', 'seed of every run (default: a fresh one, printed)'))
    .addOption(new Option('--out <dir>', 'where each row\'s gate result goes, one folder per row (default results/<timestamp>/)'))
    .addHelpText('after', '\nExit codes: 0 every fault caught and the correct service passed, 1 a fault went undetected or the correct service was flagged, 2 usage error, 130 interrupted.\n')
    .action((options: SelftestOptionsInput) => onCommand({ command: 'selftest', options }));
}
