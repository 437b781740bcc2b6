// `stampede race` as a user runs it: exit codes per DESIGN.md (via main in-process, and Ctrl-C via bin/stampede.js).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { main } from './main.ts';
import type { Output } from './output.ts';

const BIN = fileURLToPath(new URL('../../bin/stampede.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-race-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stampede(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: Output = { out: (s) => void (out += s), err: (s) => void (err += s), version: 'test' };
  const code = await main(['race', ...args], output);
  return { code, out, err };
}
const readResult = (out: string): ResultDocument => JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));

describe('stampede race (CLI)', () => {
  it('exit 0 when no race is reproduced (embedded service), with summary, result.json and replay.json', async () => {
    const out = join(dir, 'pass');
    const result = await stampede('--bursts', '10', '--width', '16', '--seed', '3', '--out', out);
    expect(result.code, result.err + result.out).toBe(0);
    expect(result.out).toContain('verdict: PASS');
    expect(result.out).toContain('naive baseline');
    expect(result.err).toContain('seed 3');
    const doc = readResult(out);
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.race!.replayFile).toBe('replay.json');
    expect(existsSync(join(out, 'replay.json'))).toBe(true);
  });

  it('exit 1 when a race is reproduced (--fault race:tick); --replay of that run reproduces it again', async () => {
    const out = join(dir, 'race');
    const result = await stampede('--bursts', '20', '--fault', 'race:tick', '--out', out);
    expect(result.code, result.err + result.out).toBe(1);
    expect(result.out).toMatch(/race reproduced .* in \d+ of 20 bursts/);
    const replayed = await stampede('--replay', join(out, 'replay.json'), '--fault', 'race:tick', '--out', join(dir, 'replayed'));
    expect(replayed.code, replayed.err + replayed.out).toBe(1);
  });

  it('exit 2 on bad options, naming the option', async () => {
    for (const [args, option] of [
      [['--width', '1'], '--width'],
      [['--sync', 'carrier-pigeon'], '--sync'],
      [['--ids', 'odd'], '--ids'],
      [['--target', 'ftp://x'], '--target'],
      [['--target', 'http://127.0.0.1:1', '--fault', 'race:tick'], '--fault'],
      [['--replay', 'x.json', '--bursts', '3'], '--bursts'],
      [['--connect-concurrency', '0'], '--connect-concurrency'],
    ] as const) {
      const result = await stampede(...args);
      expect(result.code, `${args.join(' ')}: ${result.err}`).toBe(2);
      expect(result.err).toContain(option);
    }
  });

  it('exit 3 when most requests get no definite answer (a target answering 503)', async () => {
    const server = createServer((_req, res) => res.writeHead(503, { connection: 'close' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const out = join(dir, 'unknown');
      const result = await stampede('--target', `http://127.0.0.1:${(server.address() as { port: number }).port}`, '--bursts', '3', '--width', '4', '--out', out);
      expect(result.code, result.err + result.out).toBe(3);
      expect(readResult(out).verdict).toBe('unknown');
    } finally {
      server.close();
    }
  });

  it('exit 130 on Ctrl-C, with the partial result written', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'race', '--bursts', '5000', '--width', '4', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (/sending \d+ last-byte bursts/.test(stderr)) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(130);
    const doc = readResult(out);
    expect(doc.partial).toBe(true);
    expect(doc.race!.bursts.length).toBeGreaterThan(0);
  }, 30_000);
});

describe('stampede race against hostile endpoints: one line, exit 3, result.json, never a stack trace', () => {
  /** A TCP server on loopback: `onSocket` decides what each connection gets. */
  async function tcp(onSocket: (socket: Socket) => void): Promise<{ url: string; server: NetServer; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      onSocket(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      server,
      close: () => {
        for (const socket of sockets) socket.destroy();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  let accepted = 0;
  const endpoints: Array<[string, (socket: Socket) => void]> = [
    ['answers HELLO and closes', (socket) => socket.end('HELLO\r\n')],
    ['accepts and never answers', () => undefined],
    ['resets every connection', (socket) => socket.resetAndDestroy()],
    // The first connection of each run is the reachability check: after it, every burst connection is reset.
    ['resets every connection but the first', (socket) => (accepted++ % 2 === 0 ? socket.end() : socket.resetAndDestroy())],
  ];
  const modes = [
    ['last-byte', false],
    ['last-byte', true],
    ['single-packet', false],
    ['single-packet', true],
    ['naive', false],
    ['naive', true],
  ] as const;

  it.each(endpoints)('a TCP server that %s: every sync mode, with and without --warmup', async (name, onSocket) => {
    const endpoint = await tcp(onSocket);
    try {
      for (const [sync, warmup] of modes) {
        const out = join(dir, `hostile-${name.split(' ')[0]}-${sync}-${warmup}`);
        const args = ['--target', endpoint.url, '--sync', sync, '--bursts', '3', '--width', '4', '--timeout', '300ms', '--baseline', '0', '--out', out, ...(warmup ? ['--warmup'] : [])];
        accepted = 0;
        const result = await stampede(...args);
        const what = `${name}, ${sync}${warmup ? ' --warmup' : ''}: ${result.err}`;
        expect(result.code, what).toBe(3);
        expect(result.err, what).not.toMatch(/^\s+at /m);
        if (name === 'resets every connection') {
          // Refused by the reachability check before any burst: one line, no run begun.
          expect(result.err.split('\n').filter((line) => line.startsWith('stampede: ')), what).toHaveLength(1);
          continue;
        }
        // One line says what failed and what to do.
        const trouble = result.err.split('\n').filter((line) => /^stampede race: (burst \d+ of 3 not sent|the target answered none)/.test(line));
        expect(trouble, what).toHaveLength(1);
        expect(trouble[0], what).toMatch(/; (check|run without --warmup|use --sync|or )/);
        // Connected, then no answer: it is the warm-up (or, for HTTP/2, the session's SETTINGS) that names the failure.
        if (warmup && sync !== 'naive' && name === 'accepts and never answers') expect(trouble[0], what).toMatch(/warm-up|HTTP\/2 session/);
        const doc = readResult(out);
        expect(resultDocumentViolations(doc), what).toEqual([]);
        expect(doc.verdict, what).toBe('unknown');
        expect(doc.verdictReasons[0], what).toBe(trouble[0]!.replace(/^stampede race: /, ''));
        expect(result.out, what).toContain('verdict: UNKNOWN');
      }
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});
