// Inside the worker thread: start the reference service, answer stats and close requests from the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { StampedeError } from '../errors.ts';
import type { ServiceOptionsInput } from '../options/service-options.ts';
import { startService } from './start-service.ts';

const port = parentPort!;
try {
  const service = await startService(workerData as ServiceOptionsInput);
  port.on('message', async (message: { type: 'stats' | 'close'; graceMs?: number }) => {
    if (message.type === 'stats') port.postMessage({ type: 'stats', stats: service.stats() });
    if (message.type === 'close') {
      await service.close(message.graceMs);
      port.postMessage({ type: 'closed', stats: service.stats() });
      port.close();
    }
  });
  port.postMessage({ type: 'listening', url: service.url });
} catch (error) {
  const e = error as Error;
  port.postMessage({ type: 'error', message: e.message, code: error instanceof StampedeError ? error.code : undefined });
}
