// Ctrl-C (SIGINT/SIGTERM) for run commands: the first stops the run so the partial result is written, the second quits.

import { ExitCode } from '../errors.ts';
import type { Output } from './output.ts';

/** Runs `body` with a signal aborted by the first Ctrl-C; `stopping` says what happens next (one line). */
export async function withInterrupt<T>(command: string, output: Output, stopping: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      output.err(`stampede ${command}: ${signal} again, exiting now without a result\n`);
      process.exit(ExitCode.interrupted);
    }
    output.err(`\nstampede ${command}: ${signal}: ${stopping} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
