// Test helper: registration services on a real PostgreSQL (node:http + node-postgres), the way users write them, each
// with its own table in the run's cluster. Three handlers:
// - correct:      INSERT … ON CONFLICT DO NOTHING on a primary key; 201 when a row was inserted, else 409: the database
//                 decides, atomically.
// - racy:         SELECT, then INSERT, two statements in autocommit (READ COMMITTED), no constraint (a plain index):
//                 the classic bug, with a real database's wide race window.
// - serializable: SELECT then INSERT in one SERIALIZABLE transaction, no constraint (a plain index); a serialization
//                 failure (40001) is answered 503: the registration did not happen, the client may retry.
// The HTTP side is a minimal spec-correct implementation: POST /user-profiles with a JSON object whose userProfileId is
// a UUID (compared canonically) is registered; 400 for a body it cannot register (not UTF-8, not JSON, not an object,
// no UUID userProfileId), 415 for another Content-Type, 413 over 1 MiB (read to its end first, so the client sees it), 405 with Allow for other methods,
// problem+json errors; GET /healthz 200. No other field is validated (the spec names no field rule).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { startWorker } from '../worker-script.ts';
import { poolOn, type PostgresCluster } from './postgres-cluster.ts';

export type PgHandlerKind = 'correct' | 'racy' | 'serializable';

export interface PgService {
  url: string;
  table: string;
  /** Rows in the table: profiles registered. */
  rows(): Promise<number>;
  /** Answers by status, as sent. */
  statuses: Record<string, number>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024; // bytes
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let tables = 0;

/** What the handler answers for a profile to register under `id` (canonical). */
type Register = (db: pg.Pool, table: string, id: string, body: string) => Promise<201 | 409 | 503>;

const HANDLERS: Record<PgHandlerKind, Register> = {
  correct: async (db, table, id, body) => {
    const result = await db.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [id, body]);
    return result.rowCount === 1 ? 201 : 409;
  },
  racy: async (db, table, id, body) => {
    const found = await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    if (found.rowCount !== 0) return 409;
    await db.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2)`, [id, body]);
    return 201;
  },
  serializable: async (db, table, id, body) => {
    const client = await db.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const found = await client.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
      if (found.rowCount !== 0) {
        await client.query('COMMIT');
        return 409;
      }
      await client.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2)`, [id, body]);
      await client.query('COMMIT');
      return 201;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // serialization_failure / deadlock_detected: nothing was registered; the client may try again.
      if (['40001', '40P01'].includes((error as { code?: string }).code ?? '')) return 503;
      throw error;
    } finally {
      client.release();
    }
  },
};

/**
 * The service in a worker thread of its own (pg-service-worker-body.ts), so that a load generator in the test's thread
 * does not share its event loop (the gate judges the generator's own lag). Answers per status stay in the worker.
 */
export async function startPgServiceInWorker(kind: PgHandlerKind, cluster: PostgresCluster): Promise<Omit<PgService, 'statuses'>> {
  const worker = startWorker(new URL('./pg-service-worker-body.ts', import.meta.url), { workerData: { kind, cluster } });
  type FromWorker = { type: 'listening'; url: string; table: string } | { type: 'error'; message: string } | { type: 'rows'; rows: number } | { type: 'closed' };
  const next = <T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'error') reject(new Error(`the ${kind} PostgreSQL service failed: ${message.message}`));
        else if (message.type === type) resolve(message as Extract<FromWorker, { type: T }>);
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const listening = await next('listening');
  return {
    url: listening.url,
    table: listening.table,
    rows: async () => {
      const answer = next('rows');
      worker.postMessage({ type: 'rows' });
      return (await answer).rows;
    },
    close: async () => {
      const closed = next('closed');
      worker.postMessage({ type: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}

export async function startPgService(kind: PgHandlerKind, cluster: PostgresCluster, poolSize = 16): Promise<PgService> {
  const db = poolOn(cluster, poolSize);
  const table = `profiles_${kind}_${process.pid}_${++tables}`;
  // correct: the primary key decides; racy and serializable: no constraint at all, only the plain index any lookup
  // column gets (it also keeps SERIALIZABLE's predicate locks to index pages instead of the whole table).
  if (kind === 'correct') await db.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY, body text NOT NULL)`);
  else await db.query(`CREATE TABLE ${table} (id uuid NOT NULL, body text NOT NULL); CREATE INDEX ON ${table} (id)`);
  const register = HANDLERS[kind];
  const statuses: Record<string, number> = {};
  const answer = (res: ServerResponse, status: number, problem?: string, headers: Record<string, string> = {}) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (problem === undefined) return void res.writeHead(status, headers).end();
    res.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(JSON.stringify({ type: 'about:blank', title: problem, status }));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return answer(res, 200);
    if (path !== '/user-profiles') return answer(res, 404, 'Not Found');
    if (req.method !== 'POST') return answer(res, 405, 'Method Not Allowed', { allow: 'POST' });
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return answer(res, 415, 'Unsupported Media Type');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return answer(res, 413, 'Content Too Large', { connection: 'close' });
      let id: string;
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
        const body: unknown = JSON.parse(text);
        const given = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).userProfileId : undefined;
        if (typeof given !== 'string' || !UUID.test(given)) return answer(res, 400, 'userProfileId must be a UUID');
        id = given.toLowerCase();
      } catch {
        return answer(res, 400, 'the body is not a UTF-8 JSON object');
      }
      register(db, table, id, text).then(
        (status) => (status === 201 ? answer(res, 201) : answer(res, status, status === 409 ? 'Conflict' : 'Service Unavailable', status === 503 ? { 'retry-after': '0' } : {})),
        () => answer(res, 500, 'Internal Server Error'),
      );
    });
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 5_000; // ms
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    table,
    statuses,
    rows: async () => Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await db.end();
    },
  };
}
