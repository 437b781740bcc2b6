// `stampede race` as a user runs it: exit codes per DESIGN.md (via main in-process, and Ctrl-C via bin/stampede.js).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
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
