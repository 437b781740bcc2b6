// Inside a worker thread: one PostgreSQL-backed registration service (pg-registration.ts), answering `rows` and
// `close` requests from the test's thread; its event loop is not the load generator's.

import { parentPort, workerData } from 'node:worker_threads';
import type { PostgresCluster } from './postgres-cluster.ts';
import { startPgService, type PgHandlerKind } from './pg-registration.ts';

const port = parentPort!;
const { kind, cluster } = workerData as { kind: PgHandlerKind; cluster: PostgresCluster };
try {
  const service = await startPgService(kind, cluster);
  port.on('message', async (message: { type: 'rows' | 'close' }) => {
    if (message.type === 'rows') port.postMessage({ type: 'rows', rows: await service.rows() });
    if (message.type === 'close') {
      await service.close();
      port.postMessage({ type: 'closed' });
      port.close();
    }
  });
  port.postMessage({ type: 'listening', url: service.url, table: service.table });
} catch (error) {
  port.postMessage({ type: 'error', message: (error as Error).message });
}
