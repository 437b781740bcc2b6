// `stampede generate`: writes an NDJSON corpus of request bodies and its ground-truth sidecar, with progress and Ctrl-C.

import { writeCorpus, type CorpusResult } from '../../generators/corpus.ts';
import { GENERATOR_DEFAULTS } from '../defaults.ts';
import { ExitCode, FileAccessError, InvalidOptionError } from '../errors.ts';
import { resolveGenerateOptions, type GenerateOptions } from '../options/generate-options.ts';
import type { Output } from './output.ts';
import type { GenerateArguments } from './program.ts';
import { createProgress, isInteractive } from './progress.ts';

export interface GenerateEnvironment {
  /** Progress redrawn in place (a terminal, not CI) or as plain lines. */
  tty: boolean;
}

const defaultEnvironment = (): GenerateEnvironment => ({ tty: isInteractive(process.stderr, process.env) });

export async function runGenerate(args: GenerateArguments, output: Output, env: GenerateEnvironment = defaultEnvironment()): Promise<number> {
  const options = resolveGenerateOptions(args);
  const what = options.invalid ? 'invalid' : 'valid';
  output.err(`stampede generate: ${options.count.toLocaleString('en-US')} ${what} payloads, seed ${options.seed}, to ${options.out}\n`);

  const controller = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    if (signal !== undefined) {
      // A second Ctrl-C: the user does not want to wait for the current chunk.
      output.err(`stampede generate: ${received} again, exiting now; the last line of ${options.out} may be incomplete\n`);
      process.exit(ExitCode.interrupted);
    }
    signal = received;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgress({
    label: 'generate',
    total: options.count,
    tty: env.tty,
    write: output.err,
    ttyIntervalMs: GENERATOR_DEFAULTS.progressTtyMs,
    plainIntervalMs: GENERATOR_DEFAULTS.progressPlainMs,
  });

  let result: CorpusResult;
  try {
    result = await writeCorpus({
      out: options.out,
      count: options.count,
      seed: options.seed,
      invalid: options.invalid,
      dupRatio: options.dupRatio,
      dupPattern: options.dupPattern,
      variantRatio: options.variantRatio,
      gzip: options.gzip,
      eventCount: options.eventCount,
      countries: options.countries,
      signal: controller.signal,
      onProgress: (written) => progress.update(written),
    });
  } catch (error) {
    throw error instanceof FileAccessError ? outError(error) : error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.finish(result.written);
  output.out(`${summary(result, options)}\n`);
  if (result.interrupted) {
    output.err(`stampede generate: interrupted by ${signal ?? 'a signal'}: wrote ${result.written.toLocaleString('en-US')} of ${result.requested.toLocaleString('en-US')} payloads; ${result.path} ends with a complete line\n`);
    return ExitCode.interrupted;
  }
  return ExitCode.pass;
}

function summary(result: CorpusResult, options: GenerateOptions): string {
  const what = options.invalid ? 'invalid' : options.dupRatio > 0 ? `valid (${Math.round(options.dupRatio * 1000) / 10}% duplicates, ${options.dupPattern})` : 'valid';
  const mb = (result.bytes / 1e6).toFixed(1);
  return `wrote ${result.written.toLocaleString('en-US')} ${what} payloads (seed ${options.seed}) to ${result.path}: ${mb} MB of NDJSON${options.gzip ? ', gzipped' : ''} in ${(result.durationMs / 1000).toFixed(1)} s; ground truth in ${result.truthPath}`;
}

/** A file that cannot be written is a bad --out: say which file, why, and what to do. */
function outError(error: FileAccessError): InvalidOptionError {
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const hints: Record<string, string> = {
    ENOENT: 'its directory does not exist; create it or choose another --out',
    ENOTDIR: 'a part of the path is not a directory; choose another --out',
    EACCES: 'no permission to write there; choose a writable directory',
    EPERM: 'no permission to write there; choose a writable directory',
    EROFS: 'the file system is read-only; choose another --out',
    EISDIR: 'it is a directory; give a file name, e.g. --out DIR/corpus.ndjson',
    ENOSPC: 'the disk is full; free space or lower --count',
  };
  return new InvalidOptionError('--out', `${error.message}: ${hints[code ?? ''] ?? 'choose another --out'}`);
}
