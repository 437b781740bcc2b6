// The one error hierarchy of stampede: a base error with a stable `code` and one subclass per failure kind.
//
// Codes are part of the public interface (scripts match on them): never rename or reuse one.
// Findings about a target (a wrong status, a lost write) are *results*, never exceptions: these classes are for
// failures of stampede's own run (bad options, unusable target, interruption).

import type { ResultDocument } from './result/result-document.ts';

/** Process exit codes, per DESIGN.md. */
export const ExitCode = {
  pass: 0,
  checkFailed: 1,
  usage: 2,
  unknown: 3,
  /** A bug of stampede itself (sysexits' EX_SOFTWARE): one line asking for a report, what was measured still written. */
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class StampedeError extends Error {
  /** Stable machine-readable identifier, e.g. `STAMPEDE_INVALID_OPTION`. */
  readonly code: string;
  /** What the CLI exits with when this error ends a command. */
  readonly exitCode: ExitCode;

  constructor(message: string, code: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** An option or argument has a value that breaks a rule. The message names the option, the rule and the fix. */
export class InvalidOptionError extends StampedeError {
  readonly option: string;
  /** The broken rule and its fix, without the option's name (for callers that re-word it). */
  readonly rule: string;
  constructor(option: string, rule: string) {
    super(`${option}: ${rule}`, 'STAMPEDE_INVALID_OPTION', ExitCode.usage);
    this.option = option;
    this.rule = rule;
  }
}

/** The command line itself is malformed: unknown option, missing argument, unknown command. */
export class UsageError extends StampedeError {
  constructor(message: string) {
    super(message, 'STAMPEDE_USAGE', ExitCode.usage);
  }
}

/** A `--fault` specification that does not parse or names no known fault. */
export class InvalidFaultError extends StampedeError {
  constructor(spec: string, message: string) {
    super(`--fault ${JSON.stringify(spec)}: ${message}`, 'STAMPEDE_INVALID_FAULT', ExitCode.usage);
  }
}

/** The service could not listen (port taken, address not local, permission). */
export class ListenError extends StampedeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'STAMPEDE_LISTEN_FAILED', ExitCode.usage, options);
  }
}

/** The target cannot be reached at all, so no verdict is possible. */
export class TargetUnreachableError extends StampedeError {
  constructor(target: string, options?: { cause?: unknown }) {
    super(
      `target ${target} is unreachable${describeCause(options?.cause)}; check --target and that the service is running`,
      'STAMPEDE_TARGET_UNREACHABLE',
      ExitCode.unknown,
      options,
    );
  }
}

/** The run was interrupted (Ctrl-C); whatever was measured has been written. */
export class InterruptedError extends StampedeError {
  constructor(signal: string) {
    super(`interrupted by ${signal}`, 'STAMPEDE_INTERRUPTED', ExitCode.interrupted);
  }
}

/** A file stampede was asked to write or read could not be. */
export class FileAccessError extends StampedeError {
  constructor(path: string, action: 'read' | 'write', options?: { cause?: unknown }) {
    super(`cannot ${action} ${path}${describeCause(options?.cause)}`, 'STAMPEDE_FILE_ACCESS', ExitCode.usage, options);
  }
}

/** A file given to `stampede merge` (or written by k6 for `stampede k6`) is not usable k6 `--out json` output. */
export class K6OutputError extends StampedeError {
  constructor(path: string, problem: string, line?: number) {
    super(`${path}${line !== undefined ? `:${line}` : ''}: ${problem}`, 'STAMPEDE_K6_OUTPUT_INVALID', ExitCode.usage);
  }
}

/** `stampede k6` needs the k6 binary on PATH; the message names its installation docs and the k6 command line. */
export class K6NotFoundError extends StampedeError {
  constructor(message: string) {
    super(message, 'STAMPEDE_K6_NOT_FOUND', ExitCode.usage);
  }
}

/** k6 ran but ended without a usable result (a script error, a bad k6 option): its own output says why. */
export class K6RunError extends StampedeError {
  constructor(message: string) {
    super(message, 'STAMPEDE_K6_RUN_FAILED', ExitCode.usage);
  }
}

/** A file given to `stampede report` is not a result document this version can read (not JSON, unknown schemaVersion, invalid). */
export class InvalidResultDocumentError extends StampedeError {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`, 'STAMPEDE_INVALID_RESULT', ExitCode.usage);
  }
}

/**
 * Two sets of runs cannot be compared (`stampede compare`, `stampede gate --baseline`): different load models, or a
 * gate baseline that is not like for like. The message gives the reason and what to do.
 */
export class NotComparableError extends StampedeError {
  constructor(message: string) {
    super(message, 'STAMPEDE_NOT_COMPARABLE', ExitCode.usage);
  }
}

/**
 * A race burst could not be set up against the target (target trouble, exit 3): its connections, HTTP/2 session or
 * warm-up failed even after the bounded retries. The message names what failed and what to do; the race run turns it
 * into a partial result (what the earlier bursts measured) with verdict unknown.
 */
export class BurstSetupError extends StampedeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'STAMPEDE_BURST_SETUP_FAILED', ExitCode.unknown, options);
  }
}

/**
 * An unexpected failure inside stampede (a bug, not the target's doing). The CLI prints one line asking for a report and
 * exits 70; `partial` is the result document of what was measured until then, written by the command before it exits.
 */
export class InternalError extends StampedeError {
  readonly partial: ResultDocument | undefined;
  constructor(message: string, options?: { cause?: unknown; partial?: ResultDocument }) {
    super(`internal error, please report: ${message}`, 'STAMPEDE_INTERNAL', ExitCode.internal, options);
    this.partial = options?.partial;
  }
}

/** Any error as one line for a user: never a stack trace. Where a bug was, as file:line of its first own frame. */
export function oneLine(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const frame = /\((?:file:\/\/)?([^()]*?(?:src|generators|reports)\/[^():]+:\d+):\d+\)/.exec(error.stack ?? '')?.[1]?.replace(/^.*?((?:dist\/)?(?:src|generators|reports)\/)/, '$1');
    return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message.split('\n')[0]}${code && !error.message.includes(code) ? ` (${code})` : ''}${frame ? ` at ${frame}` : ''}`;
  }
  return String(error).split('\n')[0]!;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return ` (${code ?? cause.message})`;
  }
  return '';
}
