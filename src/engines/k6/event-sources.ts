// Where the merge gets each input file's EventBatches: FileStreams in the main thread, or worker threads that read
// the files in parallel (decompression and scanning are most of the work) while the main thread owns the ledger.

import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { K6_DEFAULTS } from '../../defaults.ts';
import { FileAccessError, K6OutputError } from '../../errors.ts';
import { startWorker } from '../../worker-script.ts';
import { transferList, type EventBatch } from './event-batch.ts';
import { FileStream } from './file-stream.ts';
import type { MergeWorkerData, MergeWorkerReply } from './merge-worker-body.ts';

export interface EventSources {
  /** The next batch of file `file` (one request at a time per file). */
  next(file: number): Promise<EventBatch>;
  /** A batch the merge is done with: its arrays go back to its reader (not to be touched again). */
  recycle(batch: EventBatch): void;
  /** Stop every reader (workers terminated). */
  close(): Promise<void>;
  /** Worker threads reading the files (0: read in the main thread). */
  readonly threads: number;
}

export interface SourceOptions {
  /** Worker threads; undefined: one per file up to the CPUs, when the input is large enough to pay for them. */
  threads?: number;
  /** Events per batch (tests). */
  batchEvents?: number;
}

/** k6 output shrinks ~16× gzipped (measured with k6 v1.3.0 and the scenario scripts): a .gz file's work is its size × this. */
const GZIP_RATIO = 16;

/**
 * How many worker threads the merge uses by default: one per file, leaving a CPU to the main thread (the ledger), on
 * machines with K6_DEFAULTS.mergeWorkerMinCores CPUs or more; none for small inputs (starting a worker costs ~0.3 s,
 * the time to read ~40,000 requests). On 2 CPUs the main thread alone was measured faster (bench:merge: the worker
 * and the ledger then compete for the same cores).
 */
export function defaultThreads(paths: readonly string[]): number {
  const cores = availableParallelism();
  if (cores < K6_DEFAULTS.mergeWorkerMinCores) return 0;
  let bytes = 0; // uncompressed, estimated
  for (const path of paths) {
    try {
      bytes += statSync(path).size * (path.endsWith('.gz') ? GZIP_RATIO : 1);
    } catch {
      return 0; // the reader reports the missing file, naming it
    }
  }
  return bytes < K6_DEFAULTS.mergeWorkerMinBytes ? 0 : Math.min(paths.length, cores - 1);
}

export function openEventSources(paths: readonly string[], options: SourceOptions = {}): EventSources {
  const threads = Math.min(paths.length, options.threads ?? defaultThreads(paths));
  const batchEvents = options.batchEvents;
  if (threads === 0) {
    const streams = paths.map((path, file) => new FileStream(path, file, batchEvents ? { batchEvents } : {}));
    return {
      threads: 0,
      next: (file) => streams[file]!.next(),
      recycle: (batch) => streams[batch.file]!.recycle(batch),
      close: async () => {
        for (const stream of streams) stream.cancel();
      },
    };
  }
  return new WorkerSources(paths, threads, batchEvents);
}

class WorkerSources implements EventSources {
  private readonly workers: Worker[] = [];
  private readonly workerOf: number[] = [];
  private readonly waiting = new Map<number, { resolve: (batch: EventBatch) => void; reject: (error: unknown) => void }>();
  /** Batches to hand back to their worker with the next request for their file. */
  private readonly returning = new Map<number, EventBatch[]>();
  private failure: Error | undefined;

  constructor(
    paths: readonly string[],
    readonly threads: number,
    batchEvents: number | undefined,
  ) {
    for (let w = 0; w < threads; w++) {
      const files = paths.flatMap((path, file) => (file % threads === w ? [{ path, file }] : []));
      for (const { file } of files) this.workerOf[file] = w;
      const workerData: MergeWorkerData = { files, ...(batchEvents ? { batchEvents } : {}) };
      const worker = startWorker(new URL('./merge-worker-body.ts', import.meta.url), { workerData });
      worker.on('message', (reply: MergeWorkerReply) => this.reply(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a merge worker thread exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  next(file: number): Promise<EventBatch> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(file, { resolve, reject });
      const back = this.returning.get(file) ?? [];
      this.returning.delete(file);
      this.workers[this.workerOf[file]!]!.postMessage({ file, back }, back.flatMap(transferList));
    });
  }

  recycle(batch: EventBatch): void {
    const list = this.returning.get(batch.file);
    if (list === undefined) this.returning.set(batch.file, [batch]);
    else if (list.length < 4) list.push(batch);
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private reply(reply: MergeWorkerReply): void {
    const waiter = this.waiting.get(reply.file);
    if (waiter === undefined) return;
    this.waiting.delete(reply.file);
    if ('batch' in reply) waiter.resolve(reply.batch);
    else waiter.reject(rebuild(reply.error));
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/** The error a worker reported, as the class the main thread would have thrown (the message is the same). */
function rebuild(error: { name: string; message: string }): Error {
  let rebuilt: Error;
  if (error.name === 'K6OutputError') rebuilt = new K6OutputError('', '');
  else if (error.name === 'FileAccessError') rebuilt = new FileAccessError('', 'read');
  else rebuilt = new Error('');
  rebuilt.message = error.message;
  return rebuilt;
}
