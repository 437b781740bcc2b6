// nginx from Debian as the benchmarks' fast third-party target: installed when missing, started on a free loopback port
// with bench/nginx/nginx.conf.template, pinned to one CPU, stopped at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NginxTarget {
  url: string;
  stop(): Promise<void>;
}

const TEMPLATE = new URL('../nginx/nginx.conf.template', import.meta.url);

/** nginx on PATH (or /usr/sbin), installing Debian's nginx-light when it is missing. */
export function ensureNginx(): string {
  const found = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => spawnSync(path, ['-v']).status === 0);
  if (found) return found;
  console.log('installing nginx-light from Debian (apt-get)…');
  spawnSync('apt-get', ['update'], { stdio: 'ignore' });
  const install = spawnSync('apt-get', ['install', '-y', 'nginx-light'], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('could not install nginx-light; install it with apt-get install -y nginx-light');
  return '/usr/sbin/nginx';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Start nginx answering POST /user-profiles with 201; `cpu` pins it (taskset), `keepaliveRequests` per connection. */
export async function startNginx(options: { cpu?: number; keepaliveRequests?: number } = {}): Promise<NginxTarget> {
  const nginx = ensureNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'stampede-nginx-'));
  mkdirSync(join(prefix, 'body'));
  const port = await freePort();
  const config = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{KEEPALIVE_REQUESTS}}', String(options.keepaliveRequests ?? 1_000_000));
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const args = ['-p', prefix, '-c', join(prefix, 'nginx.conf')];
  const child: ChildProcess =
    options.cpu !== undefined ? spawn('taskset', ['-c', String(options.cpu), nginx, ...args], { stdio: 'ignore' }) : spawn(nginx, args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  // Ready when it answers; bounded wait.
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/user-profiles`, { method: 'POST', body: '{}' }).then((r) => r.status === 201, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}; see ${join(prefix, 'error.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(prefix, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
