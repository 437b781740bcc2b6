// Inside a --workers thread: one share of the load (its IDs only) with its own connections, ledger and durability
// check; progress and the finished part go back to the main thread, which merges every worker's part.

import { parentPort, workerData } from 'node:worker_threads';
import type { LoadOptions } from '../../options/load-options.ts';
import { startLoadPart } from '../load-part.ts';
import { partState } from './merge-parts.ts';
import type { Share } from './partition.ts';

export interface WorkerInput {
  options: LoadOptions;
  url: string;
  share: Share;
  /** The run's time 0 as an absolute time (performance.timeOrigin + now): every worker's clock counts from it. */
  startedAt: number; // ms
  progressEveryMs: number; // ms
}

const port = parentPort!;
const input = workerData as WorkerInput;
const controller = new AbortController();
port.on('message', (message: { type: 'stop' }) => {
  if (message.type === 'stop') controller.abort();
});
const clock = () => performance.timeOrigin + performance.now() - input.startedAt;
try {
  const running = startLoadPart({
    options: input.options,
    url: input.url,
    clock,
    share: input.share,
    signal: controller.signal,
    onPhase: (phase) => port.postMessage({ type: 'phase', phase }),
  });
  const progress = setInterval(() => port.postMessage({ type: 'progress', counts: running.progress() }), input.progressEveryMs);
  progress.unref();
  const part = await running.done;
  clearInterval(progress);
  port.postMessage({ type: 'done', part: partState(part) });
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
port.close();
