// The k6 binary: finding it on PATH, the `k6 run` command line for a scenario, and running it with its output
// streamed and Ctrl-C forwarded once (k6 then stops gracefully and still writes its JSON output).

import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { K6Options } from '../../options/k6-options.ts';

/** The first executable `k6` on `path` (PATH's syntax), or undefined. */
export function findK6(path = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? ['k6.exe', 'k6.cmd', 'k6'] : ['k6'];
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not there, or not executable: keep looking
      }
    }
  }
  return undefined;
}

export interface K6Invocation {
  /** Arguments after `k6`. */
  args: string[];
  /** Environment added for k6: HEADERS only (its values may be secrets, so never on the command line). */
  env: Record<string, string>;
}

export interface InvocationInputs {
  targetUrl: string;
  /** Absolute path of the corpus; undefined: the scripts' built-in templates. */
  corpus: string | undefined;
  jsonOut: string;
  summaryOut: string;
  runId: string;
  script: string;
}

export function k6Invocation(options: K6Options, inputs: InvocationInputs): K6Invocation {
  const vars: Array<[string, string]> = [['TARGET_URL', inputs.targetUrl]];
  if (inputs.corpus !== undefined) vars.push(['CORPUS', inputs.corpus]);
  vars.push(...options.env, ['RUN_ID', inputs.runId], ['SUMMARY_OUT', inputs.summaryOut]);
  const args = ['run', '--out', `json=${inputs.jsonOut}`];
  for (const [name, value] of vars) args.push('-e', `${name}=${value}`);
  if (options.segment !== undefined) args.push('--execution-segment', options.segment);
  if (options.segmentSequence !== undefined) args.push('--execution-segment-sequence', options.segmentSequence);
  args.push(...options.k6Args, inputs.script);
  const env: Record<string, string> = {};
  if (options.headers.length > 0) env.HEADERS = JSON.stringify(Object.fromEntries(options.headers));
  return { args, env };
}

/** A copy-pasteable shell line; header values are replaced by placeholders (they may be credentials). */
export function shellLine(invocation: K6Invocation, headers: Array<[string, string]>): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['k6', ...invocation.args.map(quote)];
  if (headers.length > 0) {
    const placeholders = JSON.stringify(Object.fromEntries(headers.map(([name]) => [name, `<value of ${name}>`])));
    parts.splice(parts.lastIndexOf('-e') + 2, 0, '-e', quote(`HEADERS=${placeholders}`));
  }
  return parts.join(' ');
}

let running = 0;
/** A k6 child is running: Ctrl-C goes to it (the caller's own handler should leave it alone). */
export function k6IsRunning(): boolean {
  return running > 0;
}

export interface K6ProcessResult {
  /** k6's exit code (99: a threshold failed; 105: stopped by a signal), null when killed. */
  exitCode: number | null;
  /** Ctrl-C (or SIGTERM) arrived and was forwarded to k6. */
  interrupted: boolean;
}

/**
 * Run k6 with its stdout and stderr streamed to `onOutput`. k6 gets its own process group, so a Ctrl-C in the
 * terminal reaches stampede only and is forwarded exactly once per press (k6 stops gracefully at the first, hard at
 * the second).
 */
export function runK6Process(k6: string, invocation: K6Invocation, onOutput: (text: string) => void, onSignal?: (signal: NodeJS.Signals) => void): Promise<K6ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(k6, invocation.args, { env: { ...process.env, ...invocation.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running++;
    let interrupted = false;
    const forward = (signal: NodeJS.Signals) => {
      interrupted = true;
      onSignal?.(signal);
      if (child.exitCode === null) child.kill('SIGINT');
    };
    const killOnExit = () => void child.kill('SIGKILL');
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    process.on('exit', killOnExit);
    let done = false;
    const cleanup = () => {
      if (done) return;
      done = true;
      running--;
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      process.off('exit', killOnExit);
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.once('error', (error) => {
      cleanup();
      reject(error);
    });
    child.once('close', (code) => {
      cleanup();
      resolve({ exitCode: code, interrupted });
    });
  });
}
