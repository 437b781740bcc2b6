// Worker thread of `stampede merge`: reads some of the input files (decompression, line scanning, requests, time
// window) and hands their EventBatches to the main thread, which owns the one ledger. One batch per request message.

import { parentPort, workerData } from 'node:worker_threads';
import { transferList, type EventBatch } from './event-batch.ts';
import { FileStream } from './file-stream.ts';

export interface MergeWorkerData {
  files: Array<{ path: string; file: number }>;
  batchEvents?: number;
}

/** What the worker answers: a batch, or the error that ended its file (rebuilt on the main thread by name). */
export type MergeWorkerReply = { file: number; batch: EventBatch } | { file: number; error: { name: string; message: string } };

const data = workerData as MergeWorkerData;
const port = parentPort!;
const streams = new Map<number, FileStream>();
// Two batches ahead: the worker keeps reading while the main thread replays the batch before.
for (const { path, file } of data.files) streams.set(file, new FileStream(path, file, { aheadBatches: 2, ...(data.batchEvents ? { batchEvents: data.batchEvents } : {}) }));

port.on('message', (message: { file: number; back: EventBatch[] } | 'close') => {
  if (message === 'close') {
    for (const stream of streams.values()) stream.cancel();
    port.close();
    return;
  }
  const { file, back } = message;
  const stream = streams.get(file)!;
  for (const batch of back) stream.recycle(batch);
  stream.next().then(
    (batch) => port.postMessage({ file, batch } satisfies MergeWorkerReply, transferList(batch)),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ file, error: { name: e.name, message: e.message } } satisfies MergeWorkerReply);
    },
  );
});
