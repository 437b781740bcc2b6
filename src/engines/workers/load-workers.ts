// --workers N: the load split over N worker threads, each owning the IDs that hash to it (planned duplicates and
// other-case spellings included) with its own connections; their parts are merged into one. Ctrl-C stops every worker
// and the merged partial result is written once; a worker that dies is reported, not hidden.

import type { Worker } from 'node:worker_threads';
import type { LoadOptions } from '../../options/load-options.ts';
import type { OutcomeCounts } from '../../result/result-document.ts';
import { startWorker } from '../../worker-script.ts';
import type { LoadPart, RunningPart } from '../load-part.ts';
import { mergeParts, type LoadPartState } from './merge-parts.ts';
import type { WorkerInput } from './load-worker-body.ts';

export interface WorkersRun extends RunningPart {
  /** Workers that ended without a part: "worker 2 of 4: …". */
  failures: string[];
  /** The threads, in share order. */
  threads: readonly Worker[];
}

const ZERO: OutcomeCounts = { sent: 0, ok: 0, fail: 0, indeterminate: 0 };

/** Start `workers` threads on one share each; `startedAt` is the run's time 0 (performance.timeOrigin + now). */
export function startLoadWorkers(options: LoadOptions, input: { url: string; workers: number; startedAt: number; signal?: AbortSignal; onPhase?: (phase: string) => void; progressEveryMs: number }): WorkersRun {
  const latest: OutcomeCounts[] = Array.from({ length: input.workers }, () => ZERO);
  const failures: string[] = [];
  const threads: Worker[] = [];
  // The target URL object does not cross threads: the worker gets the acquired base URL instead.
  const shared: LoadOptions = { ...options, target: undefined };

  const parts = Array.from({ length: input.workers }, (_, index) =>
    new Promise<LoadPartState | undefined>((resolve) => {
      const data: WorkerInput = { options: shared, url: input.url, share: { index, of: input.workers }, startedAt: input.startedAt, progressEveryMs: input.progressEveryMs };
      const worker = startWorker(new URL('./load-worker-body.ts', import.meta.url), { workerData: data });
      threads.push(worker);
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        failures.push(`worker ${index + 1} of ${input.workers} ended without its result (${why}): the IDs it owned are missing from the result`);
        resolve(undefined);
      };
      worker.on('message', (message: { type: 'progress'; counts: OutcomeCounts } | { type: 'phase'; phase: string } | { type: 'done'; part: LoadPartState } | { type: 'failed'; message: string }) => {
        if (message.type === 'progress') latest[index] = message.counts;
        else if (message.type === 'phase') {
          // Every worker goes through the same phases: say each once.
          if (index === 0) input.onPhase?.(message.phase);
        } else if (message.type === 'done') {
          settled = true;
          latest[index] = message.part.counts.load;
          resolve(message.part);
        } else fail(message.message);
      });
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => fail(`exit code ${code}`));
    }),
  );
  const onAbort = () => {
    for (const worker of threads) worker.postMessage({ type: 'stop' });
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });

  const done = Promise.all(parts).then((states): LoadPart => {
    input.signal?.removeEventListener('abort', onAbort);
    const received = states.filter((s): s is LoadPartState => s !== undefined);
    if (received.length === 0) throw new Error(failures.join('; '));
    return mergeParts(received);
  });
  return {
    failures,
    threads,
    progress: () => latest.reduce((a, b) => ({ sent: a.sent + b.sent, ok: a.ok + b.ok, fail: a.fail + b.fail, indeterminate: a.indeterminate + b.indeterminate }), ZERO),
    done,
  };
}
