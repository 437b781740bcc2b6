// Test helper: a throwaway PostgreSQL cluster (Debian's PostgreSQL: initdb, pg_ctl) in a temp directory, reached on a
// Unix socket in that directory, started as the `postgres` user with runuser (PostgreSQL refuses to run as root).

import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where a cluster listens: the socket directory and the superuser (trust authentication on the socket only). */
export interface PostgresCluster {
  /** Directory of the Unix socket (node-postgres takes it as `host`). */
  host: string;
  port: number;
  user: string;
  database: string;
}

const PORT = 5432;
/** Where, inside a run's directory, its shared cluster lives. */
export const CLUSTER_DIRECTORY = 'cluster';
const SETTINGS = [
  "listen_addresses = ''", // the Unix socket only: no TCP port to collide with
  'fsync = off', // a throwaway cluster: no durability needed, much faster commits
  'synchronous_commit = off',
  'full_page_writes = off',
  'max_connections = 300',
  'shared_buffers = 32MB',
];

/** The bin directory of the newest installed PostgreSQL (Debian: /usr/lib/postgresql/<version>/bin), or $PG_BIN. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL is not installed (no ${root}/<version>/bin/initdb): install Debian's postgresql package (.ci/run does), or set PG_BIN`);
  }
  return join(root, versions[0]!, 'bin');
}

/** Run a PostgreSQL program as the `postgres` user when we are root (PostgreSQL refuses root), else as ourselves. */
async function asPostgres(program: string, args: string[]): Promise<string> {
  const root = process.getuid?.() === 0;
  const [command, argv] = root ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    const { stdout } = await run(command, argv, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${[command, ...argv].join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** initdb + pg_ctl start in `dir` (created, and owned by postgres when we are root). */
export async function startCluster(dir: string): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  mkdirSync(dir, { recursive: true });
  const root = process.getuid?.() === 0;
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses root): install Debian\'s postgresql package');
    });
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    // The postgres user must be able to reach its directory: our temp parent (mkdtemp: 0700) becomes traversable.
    const parent = dirname(dir);
    if ((statSync(parent).mode & 0o001) === 0) chmodSync(parent, statSync(parent).mode | 0o711);
  }
  const data = join(dir, 'data');
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  appendFileSync(join(data, 'postgresql.conf'), `\n# stampede tests\nunix_socket_directories = '${dir}'\nport = ${PORT}\n${SETTINGS.join('\n')}\n`);
  await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return { host: dir, port: PORT, user: 'postgres', database: 'postgres' };
}

/** The cluster started in `dir` stopped (pg_ctl stop, immediate: nothing to keep), then `root` (default `dir`) removed. */
export async function stopCluster(dir: string, root: string = dir): Promise<void> {
  const data = join(dir, 'data');
  try {
    if (existsSync(join(data, 'postmaster.pid'))) await asPostgres(join(postgresBinDir(), 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } finally {
    // Even when the stop failed: a postmaster whose lock file is gone shuts itself down within a minute.
    rmSync(root, { recursive: true, force: true });
  }
}

/** A node-postgres pool on the cluster. */
export function poolOn(cluster: PostgresCluster, max = 16): pg.Pool {
  return new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, max });
}
