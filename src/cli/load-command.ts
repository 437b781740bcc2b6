// `stampede load`: a load run with verdicts; live progress, Ctrl-C writes the partial result, exit code from the verdict.

import { LOAD_DEFAULTS } from '../defaults.ts';
import { runLoad, type LoadProgress } from '../engines/load-run.ts';
import { resolveLoadOptions, type LoadOptionsInput } from '../options/load-options.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { writeReports } from '../../reports/index.ts';
import { formatLoadSummary } from './load-summary.ts';
import { exitCodeOf } from './exit-code.ts';
import { withInterrupt } from './interrupt.ts';
import { writingPartial } from './partial-result.ts';
import type { Output } from './output.ts';
import { isInteractive } from './progress.ts';

export async function runLoadCommand(args: LoadOptionsInput, output: Output, tty = isInteractive(process.stderr, process.env)): Promise<number> {
  const options = resolveLoadOptions(args);
  const shape = options.model.kind === 'closed' ? `${options.model.connections} connections (closed model)` : `${options.model.rate} req/s (open model)`;
  const end = options.stop.kind === 'duration' ? `${options.stop.ms / 1000} s` : `${options.stop.count.toLocaleString('en-US')} requests`;
  const warmup = options.warmupMs > 0 ? ` after a ${options.warmupMs / 1000} s warm-up (judged, not in the figures)` : '';
  output.err(`stampede load: ${shape} for ${end}${warmup}, ${options.dupRatio * 100}% duplicates, seed ${options.seed} (replay with --seed ${options.seed})\n`);

  const stopping = `stopping, waiting up to ${LOAD_DEFAULTS.interruptDrainMs / 1000} s for answers in flight, then writing the partial result`;
  return withInterrupt('load', output, stopping, async (signal) => {
    let drawn = false;
    const document = await writingPartial(options.out, runLoad(options, {
      toolVersion: output.version,
      signal,
      progressEveryMs: tty ? LOAD_DEFAULTS.progressTtyMs : LOAD_DEFAULTS.progressPlainMs,
      onProgress: (progress) => {
        output.err(tty ? `\r${progressLine(progress)}\u001b[K` : `${progressLine(progress)}\n`);
        drawn = tty;
      },
      onPhase: (phase) => {
        if (drawn) output.err('\n');
        drawn = false;
        output.err(`stampede load: ${phase}\n`);
      },
    }));
    if (drawn) output.err('\n');
    // result.json and the three reports beside it (report.html, report.md, junit.xml).
    const { json: path, html } = await writeReports(options.out ?? defaultResultDirectory(), document);
    output.out(formatLoadSummary(document, path));
    output.out(`report: ${html}\n`);
    return exitCodeOf(document);
  });
}

function progressLine(p: LoadProgress): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const time = `${(p.elapsedMs / 1000).toFixed(0)}s${p.remainingMs !== undefined ? ` (${(p.remainingMs / 1000).toFixed(0)}s left)` : ''}`;
  return `load ${time} · ${n(p.rate)} req/s · sent ${n(p.sent)} · ok ${n(p.ok)} · fail ${n(p.fail)} · indeterminate ${n(p.indeterminate)}`;
}
