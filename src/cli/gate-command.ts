// `stampede gate` (and `npm start`): every phase against one target, thresholds, four reports, one exit code.

import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { writeBodyFiles } from '../conformance/curl.ts';
import { runGate } from '../gate/run-gate.ts';
import { writingPartial } from './partial-result.ts';
import { loadGateConfig, resolveGateOptions, type GateOptions, type GateOptionsInput } from '../options/gate-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { renderReport, writeReports } from '../../reports/index.ts';
import { exitCodeOf } from './exit-code.ts';
import { withInterrupt } from './interrupt.ts';
import type { Output } from './output.ts';

export async function runGateCommand(args: GateOptionsInput, output: Output): Promise<number> {
  const options = resolveGateOptions(args, await loadGateConfig(args.config));
  const directory = resolve(options.out ?? defaultResultDirectory());
  output.err(`stampede gate: ${describe(options)}\n`);
  const { document, phases, bodyFiles } = await withInterrupt('gate', output, 'stopping the phase in flight; what was measured is written', (signal) =>
    writingPartial(
      directory,
      runGate(options, {
        toolVersion: output.version,
        outDir: directory,
        signal,
        onPhase: (phase, message) => output.err(`stampede gate: ${phase}: ${message}\n`),
      }),
    ),
  );
  await mkdir(join(directory, 'phases'), { recursive: true });
  for (const { name, document: phase } of phases) await writeFile(join(directory, 'phases', `${name}.json`), `${JSON.stringify(phase, null, 2)}\n`);
  await writeBodyFiles(directory, bodyFiles);
  const paths = await writeReports(directory, document);
  output.out(renderReport('markdown', document));
  output.err(`\nstampede gate: ${document.verdict.toUpperCase()}${document.partial ? ' (partial)' : ''} — reports in ${shown(directory)}/\n  open the HTML report: ${paths.html}\n  result.json, report.md, junit.xml beside it; each phase's own document in phases/\n`);
  return exitCodeOf(document);
}

function describe(options: GateOptions): string {
  const target = options.target ? options.target.origin : `the embedded reference service${options.faults.length ? ` with faults ${options.faults.join(', ')}` : ''}`;
  const load = options.load;
  const shape = load.model.kind === 'closed' ? `${load.model.connections} connections` : `${load.model.rate} req/s`;
  const length = load.stop.kind === 'duration' ? `${load.stop.ms / 1000} s` : `${load.stop.count} requests`;
  const race = options.race ? `race ${options.race.bursts} × ${options.race.width} (${options.race.sync})` : 'race off';
  const t = options.thresholds;
  return [
    `target ${target}, seed ${options.seed} (replay with --seed ${options.seed})`,
    `  phases: load ${length} at ${shape}, ${load.dupRatio * 100}% duplicates, probe ${load.probe.mode} · ${race} · conformance last (${conformance(options)})`,
    `  thresholds: p99 ≤ ${t.maxP99Ms} ms · error rate ≤ ${t.maxErrorRate * 100}% · throughput ≥ ${t.minThroughput} req/s${options.configFile ? ` (config ${options.configFile})` : ''}`,
  ].join('\n');
}

function conformance(options: GateOptions): string {
  const { profile, fuzz, levels } = options.conformance;
  const rules = levels.map((r) => `${r.pattern}=${r.level.toLowerCase()}`).join(' ');
  return `${profile}, fuzz ${fuzz}${rules ? `, levels ${rules}` : ''}`;
}

function shown(directory: string): string {
  const rel = relative(process.cwd(), directory);
  return rel && !rel.startsWith('..') ? rel : directory;
}
