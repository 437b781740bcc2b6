// No stack trace reaches a user (issue 13): every run command against three hostile endpoints — a TCP server that
// says HELLO and closes, one that accepts and never answers, one that resets every connection — ends with one line
// per failure, exit 3 (target trouble), and a result.json wherever a run had begun.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../generators/corpus.ts';
import { ExitCode } from '../errors.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { main } from './main.ts';

type Hostile = 'hello' | 'silent' | 'reset';
const servers: Server[] = [];
const urls = {} as Record<Hostile, string>;
const dir = mkdtempSync(join(tmpdir(), 'stampede-hostile-'));
const FAKE_K6 = fileURLToPath(new URL('../engines/k6/fixtures/fake-k6.mjs', import.meta.url));
const MACHINE_A = fileURLToPath(new URL('../engines/k6/fixtures/machine-a.json', import.meta.url));
const fakeBin = join(dir, 'bin');
const corpus = join(dir, 'corpus.ndjson');
const originalPath = process.env.PATH;

function listen(onSocket: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    onSocket(socket);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

beforeAll(async () => {
  urls.hello = await listen((socket) => socket.end('HELLO\r\n'));
  urls.silent = await listen(() => {});
  urls.reset = await listen((socket) => socket.resetAndDestroy());
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_K6}" "$@"\n`);
  chmodSync(join(fakeBin, 'k6'), 0o755);
  await writeCorpus({ out: corpus, count: 10, seed: 9 });
});
afterAll(async () => {
  process.env.PATH = originalPath;
  delete process.env.FAKE_K6_REQUESTS;
  delete process.env.FAKE_K6_TIMEOUT_MS;
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;
async function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string; doc: ResultDocument | undefined }> {
  const out = join(dir, `run-${++runs}`);
  const output = captureOutput();
  const code = await main([...args, '--out', out], output);
  const file = join(out, 'result.json');
  return { code, stderr: output.stderr(), stdout: output.stdout(), doc: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ResultDocument) : undefined };
}

/** Short phases and a 500 ms timeout: the silent endpoint makes every request wait for it. */
const COMMANDS: Array<[string, (target: string) => string[]]> = [
  ['load (closed model)', (target) => ['load', '--target', target, '--connections', '4', '--duration', '300ms', '--timeout', '500ms', '--probe', 'all']],
  ['load (open model)', (target) => ['load', '--target', target, '--rate', '40', '--duration', '300ms', '--warmup', '0', '--timeout', '500ms']],
  ['conform', (target) => ['conform', '--target', target, '--fuzz', '5', '--timeout', '500ms']],
  ['gate', (target) => ['gate', '--target', target, '--duration', '300ms', '--connections', '4', '--bursts', '2', '--width', '4', '--fuzz', '5', '--timeout', '500ms', '--probe', 'all']],
  ['merge --probe-target', (target) => ['merge', MACHINE_A, '--probe-target', target, '--probe', 'all', '--timeout', '500ms']],
  ['k6 (a k6 on PATH)', (target) => ['k6', 'throughput', '--target', target, '--corpus', corpus, '--rate', '10', '--duration', '1s', '--probe', 'all']],
];

describe.each<Hostile>(['hello', 'silent', 'reset'])('against an endpoint that %s', (hostile) => {
  it.each(COMMANDS)('%s: exit 3, one line per failure and no stack trace, result.json written once a run began', async (_name, argv) => {
    process.env.PATH = `${fakeBin}${delimiter}${originalPath}`;
    process.env.FAKE_K6_REQUESTS = '4';
    process.env.FAKE_K6_TIMEOUT_MS = '500';
    const result = await run(argv(urls[hostile]));
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stderr).toBe(ExitCode.unknown);
    if (hostile === 'reset') {
      // The connection dies as it is accepted: the reachability check says so in one line, before any run begins.
      expect(result.stderr).toMatch(/^stampede: target http:\/\/127\.0\.0\.1:\d+ is unreachable \(the connection was reset as soon as it was accepted\)/m);
      return;
    }
    expect(result.doc, `no result.json; stderr:\n${result.stderr}`).toBeDefined();
    expect(result.doc!.verdict).toBe('unknown');
  });
});
