// Test helper: real third-party servers on free loopback ports, started by the tests that judge them: json-server 0.17
// (its CLI, a fresh temporary db per server), the Prism mock (its CLI) fed stampede's own `contract --format openapi`
// document, and a default Express 4 app. A server that cannot start rejects, so the test fails: it is never skipped.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import express from 'express';
import { main } from '../cli/main.ts';
import { captureOutput } from './capture-output.ts';

export interface ThirdPartyServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** What a child server printed so far (the last 64 KiB), for a failing test's message. */
  output(): string;
  close(): Promise<void>;
}

const STARTUP_MS = 30_000; // ms: Prism takes ~2 s here, more on a loaded CI runner
const POLL_MS = 100; // ms between "is it answering yet?" probes
const STOP_MS = 5_000; // ms after SIGTERM before SIGKILL
const KEPT_OUTPUT = 64 * 1024; // bytes of child output kept
const ATTEMPTS = 3; // a free port found here can be taken by another test before the child binds it

const require = createRequire(import.meta.url);
const binOf = (pkg: string, bin: string) => join(dirname(require.resolve(`${pkg}/package.json`)), bin);

/** json-server 0.17 (`json-server db.json`): a fresh db file with an empty `user-profiles` collection per server. */
export async function startJsonServer(): Promise<ThirdPartyServer> {
  const dir = await mkdtemp(join(tmpdir(), 'stampede-json-server-'));
  const db = join(dir, 'db.json');
  await writeFile(db, '{ "user-profiles": [] }\n');
  // --quiet: no log line per request; the child's own cwd holds nothing but its db (snapshots go there too).
  const server = await startChild('json-server', (port) => [binOf('json-server', 'lib/cli/bin.js'), db, '--port', String(port), '--host', '127.0.0.1', '--quiet'], dir, '/user-profiles');
  return withCleanup(server, dir);
}

/** The Prism mock server (`prism mock openapi.json`), fed the document `stampede contract --format openapi` prints. */
export async function startPrismMock(): Promise<ThirdPartyServer> {
  const dir = await mkdtemp(join(tmpdir(), 'stampede-prism-'));
  const io = captureOutput();
  const code = await main(['contract', '--format', 'openapi'], io);
  if (code !== 0) throw new Error(`stampede contract --format openapi exited ${code}: ${io.stderr()}`);
  const document = join(dir, 'openapi.json');
  await writeFile(document, io.stdout());
  const server = await startChild('prism', (port) => [binOf('@stoplight/prism-cli', 'dist/index.js'), 'mock', document, '--host', '127.0.0.1', '--port', String(port)], dir, '/');
  return withCleanup(server, dir);
}

/** Closing the server also removes its temporary directory. */
function withCleanup(server: ThirdPartyServer, dir: string): ThirdPartyServer {
  return {
    ...server,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The most common Node stack as a new user writes it: a default Express 4 app with `express.json()` (its defaults:
 * 100 KB limit, lenient UTF-8 decoding, HTML error pages), checking that userProfileId is a UUID and answering 409 to an
 * ID it already has (compared in lower case: RFC 9562 makes UUIDs case-insensitive on input). Nothing else is checked.
 */
export async function startExpressApp(): Promise<ThirdPartyServer> {
  const app = express();
  app.use(express.json());
  const registered = new Set<string>();
  app.post('/user-profiles', (req, res) => {
    const id: unknown = (req.body as { userProfileId?: unknown } | undefined)?.userProfileId;
    if (typeof id !== 'string' || !UUID.test(id)) {
      res.status(400).json({ error: 'userProfileId must be a UUID' });
      return;
    }
    const key = id.toLowerCase();
    if (registered.has(key)) {
      res.status(409).json({ error: `user profile ${id} already exists` });
      return;
    }
    registered.add(key);
    res.status(201).end();
  });
  return listenInProcess(app.listen(0, '127.0.0.1'));
}

/** A node:http server (or an Express app's) on a loopback port of its own, as a ThirdPartyServer. */
export async function listenInProcess(server: Server): Promise<ThirdPartyServer> {
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => '',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Start a child server on a free port and wait until `probePath` answers (any status); retried on a lost port race. */
async function startChild(name: string, argv: (port: number) => string[], cwd: string, probePath: string): Promise<ThirdPartyServer> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, argv(port), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    const keep = (chunk: Buffer) => void (output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(url + probePath, child);
      return { url, output: () => output, close: () => stop(child) };
    } catch (error) {
      await stop(child);
      lastError = new Error(`${name} did not start on port ${port}: ${(error as Error).message}\n${output.slice(-4000)}`);
      if (!/EADDRINUSE|Cannot bind/i.test(output)) break;
    }
  }
  throw lastError ?? new Error(`${name} did not start`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`it exited (${signal ?? `code ${code}`})`))));
  exited.catch(() => {});
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (await Promise.race([answers(url), exited])) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`no answer on ${url} within ${STARTUP_MS} ms`);
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
