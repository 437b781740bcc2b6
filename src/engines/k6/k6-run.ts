// `stampede k6 <scenario>` end to end: target, corpus, `k6 run --out json`, then the merge of that file into the
// ledger, the durability probe from Node, and the result document.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { writeCorpus } from '../../../generators/corpus.ts';
import { K6_DEFAULTS, SERVICE_DEFAULTS } from '../../defaults.ts';
import { FileAccessError, InterruptedError, K6NotFoundError, K6OutputError, K6RunError } from '../../errors.ts';
import type { K6Options } from '../../options/k6-options.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { acquireTarget } from '../target.ts';
import { findK6, k6Invocation, runK6Process, shellLine } from './k6-process.ts';
import { mergeK6Outputs } from './merge-run.ts';

/** scenarios/k6/ of this package: where `stampede k6 <scenario>` finds <scenario>.ts. */
export const SCENARIO_DIRECTORY = join(PACKAGE_ROOT, 'scenarios', 'k6') + sep;

export interface K6RunHooks {
  toolVersion: string;
  /** k6's own output (progress, summary), as it comes. */
  onOutput: (text: string) => void;
  onPhase: (phase: string) => void;
  /** Told when Ctrl-C was forwarded to k6. */
  onSignal?: (signal: NodeJS.Signals) => void;
  /** PATH to search for k6 (default process.env.PATH). */
  path?: string;
  /** Aborted on Ctrl-C: the durability probe stops (k6 itself gets the signal from runK6Process). */
  signal?: AbortSignal;
}

export async function runK6Scenario(options: K6Options, directory: string, hooks: K6RunHooks): Promise<ResultDocument> {
  const script = join(SCENARIO_DIRECTORY, `${options.scenario}.ts`);
  if (!existsSync(script)) throw new K6RunError(`the scenario script ${script} is missing from this installation of stampede`);
  if (options.corpus !== undefined && !existsSync(options.corpus)) throw new FileAccessError(options.corpus, 'read');
  const out = resolve(directory);
  const files = { jsonOut: join(out, K6_DEFAULTS.jsonFile), summaryOut: join(out, K6_DEFAULTS.summaryFile) };
  const runId = options.runId ?? randomUUID();

  const k6 = findK6(hooks.path);
  if (k6 === undefined) {
    const targetUrl = options.target?.origin ?? `http://${SERVICE_DEFAULTS.host}:${SERVICE_DEFAULTS.port}`;
    const line = shellLine(k6Invocation(options, { ...files, targetUrl, corpus: options.corpus, runId, script }), options.headers);
    throw new K6NotFoundError(
      `k6 is not on PATH. Install it (${K6_DEFAULTS.installDocs}), or run the same test where k6 is installed:\n  ${line}\n` +
        (options.target === undefined ? `(with a target listening on ${targetUrl}, e.g. \`npx stampede serve\`), ` : '') +
        `then judge its output with: stampede merge ${files.jsonOut}${options.probe.mode === 'off' ? '' : ` --probe-target ${targetUrl}`}`,
    );
  }

  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    throw new FileAccessError(out, 'write', { cause: error });
  }
  const target = await acquireTarget({ target: options.target, faults: options.faults, seed: options.seed, insecure: options.insecure, timeoutMs: K6_DEFAULTS.probeTimeoutMs }, hooks.onPhase);
  try {
    let corpus = options.corpus;
    if (corpus === undefined) {
      const written = await writeCorpus({ out: join(out, K6_DEFAULTS.corpusFile), count: K6_DEFAULTS.corpusLines, seed: options.seed });
      corpus = resolve(written.path);
      hooks.onPhase(`corpus of ${written.written} templates (seed ${options.seed}): ${corpus}`);
    }
    if (hooks.signal?.aborted) throw new InterruptedError('SIGINT');
    const invocation = k6Invocation(options, { ...files, targetUrl: target.url, corpus, runId, script });
    hooks.onPhase(`running ${shellLine(invocation, options.headers)}`);
    const k6Result = await runK6Process(k6, invocation, hooks.onOutput, hooks.onSignal);

    const notes: string[] = [];
    if (k6Result.exitCode === 99) notes.push('k6 exited with code 99: a threshold of the script failed (on this instance)');
    else if (k6Result.exitCode !== 0 && !k6Result.interrupted) notes.push(`k6 exited with code ${k6Result.exitCode ?? 'none (killed)'}`);
    if (!existsSync(files.jsonOut)) {
      throw new K6RunError(`k6 exited with code ${k6Result.exitCode ?? 'none (killed)'} without writing ${files.jsonOut}; its output above says why`);
    }
    try {
      return await mergeK6Outputs(
        {
          files: [files.jsonOut],
          conflictStatus: options.conflictStatus,
          maxIndeterminateShare: options.maxIndeterminateShare,
          probe:
            options.probe.mode === 'off'
              ? undefined
              : { url: target.url, plan: options.probe, headers: options.headers, insecure: options.insecure, timeoutMs: K6_DEFAULTS.probeTimeoutMs, concurrency: K6_DEFAULTS.probeConcurrency, seed: options.seed },
        },
        {
          toolVersion: hooks.toolVersion,
          target: target.describe(),
          seed: options.seed,
          runId,
          config: {
            scenario: options.scenario,
            k6: { exitCode: k6Result.exitCode, commandLine: shellLine(invocation, options.headers), segment: options.segment, segmentSequence: options.segmentSequence },
            corpus,
          },
          ...(k6Result.interrupted ? { partialReason: 'interrupted (Ctrl-C): k6 was stopped; what it wrote was merged; the durability probe was skipped' } : {}),
          notes,
          onPhase: hooks.onPhase,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
        },
      );
    } catch (error) {
      if (error instanceof K6OutputError && k6Result.exitCode !== 0) {
        throw new K6RunError(`${error.message} (k6 exited with code ${k6Result.exitCode ?? 'none (killed)'}; its output above says why)`);
      }
      throw error;
    }
  } finally {
    await target.release();
  }
}
