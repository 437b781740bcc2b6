// The reference service in a worker thread, so an in-process load generator does not share its event loop.

import { ListenError, StampedeError } from '../errors.ts';
import type { ServiceOptionsInput } from '../options/service-options.ts';
import { resolveServiceOptions } from '../options/service-options.ts';
import type { ServiceStats } from './stats.ts';
import { startWorker } from '../worker-script.ts';

export interface WorkerService {
  url: string;
  stats(): Promise<ServiceStats>;
  /** Stop the service (in-flight requests get `graceMs`), end the worker, and return the final stats. */
  close(graceMs?: number): Promise<ServiceStats | undefined>;
}

type FromWorker =
  | { type: 'listening'; url: string }
  | { type: 'error'; message: string; code?: string }
  | { type: 'stats'; stats: ServiceStats }
  | { type: 'closed'; stats: ServiceStats };

/** Start the service in a worker thread; options are validated here first, so bad ones fail in the caller's thread. */
export async function startServiceInWorker(input: Omit<ServiceOptionsInput, 'store'> = {}): Promise<WorkerService> {
  resolveServiceOptions(input); // throws InvalidOptionError / InvalidFaultError with the usual messages
  const worker = startWorker(new URL('./service-worker-body.ts', import.meta.url), { workerData: input });
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number) => reject(new ListenError(`the embedded service's worker exited with code ${code} before listening`));
    worker.once('exit', onExit);
    worker.once('error', (error) => reject(new ListenError(`the embedded service's worker failed: ${error.message}`, { cause: error })));
    worker.once('message', (message: FromWorker) => {
      worker.off('exit', onExit);
      if (message.type === 'listening') resolve(message.url);
      else if (message.type === 'error') reject(new StampedeError(message.message, message.code ?? 'STAMPEDE_LISTEN_FAILED', 2));
    });
  });
  let closed: Promise<ServiceStats | undefined> | undefined;
  const ask = <T extends FromWorker['type']>(type: T, request: object): Promise<Extract<FromWorker, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        resolve(message as Extract<FromWorker, { type: T }>);
      };
      worker.on('message', onMessage);
      worker.once('exit', () => reject(new Error('the embedded service has stopped')));
      worker.postMessage(request);
    });
  return {
    url,
    stats: async () => (await ask('stats', { type: 'stats' })).stats,
    close(graceMs) {
      closed ??= ask('closed', { type: 'close', graceMs })
        .then(async (message) => {
          await worker.terminate();
          return message.stats;
        })
        .catch(async () => {
          await worker.terminate();
          return undefined;
        });
      return closed;
    },
  };
}
