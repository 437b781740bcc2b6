// `stampede load` as a user runs it: exit codes per DESIGN.md, plain progress in CI, Ctrl-C writes a partial result.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../contract/validators.ts';
import { resolveLoadOptions } from '../options/load-options.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { runLoad } from '../engines/load-run.ts';
import { main } from './main.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { startService } from '../service/start-service.ts';

const BIN = fileURLToPath(new URL('../../bin/stampede.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, CI: 'true' };
const stampede = (...args: string[]) => spawnSync(process.execPath, [BIN, 'load', ...args], { encoding: 'utf8', timeout: 60_000, env });
const readResult = (out: string): ResultDocument => JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));

describe('stampede load (CLI)', () => {
  it('exit 0 on pass, with the summary on stdout and result.json in --out', () => {
    const out = join(dir, 'pass');
    const result = stampede('--requests', '1000', '--connections', '8', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('verdict: PASS');
    expect(result.stdout).toContain(`result: ${join(out, 'result.json')}`);
    expect(result.stderr).toMatch(/seed \d+ \(replay with --seed \d+\)/);
    const doc = readResult(out);
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.verdict).toBe('pass');
  });

  it('exit 1 when a check fails (lost writes), 3 when the verdict is unknown (too many 5xx)', async () => {
    // In-process through the binary's entry point (the exit code of a real process is the test above).
    const lost = captureOutput();
    expect(await main(['load', '--requests', '1500', '--fault', 'lose-writes:0.05', '--dup-ratio', '0.2', '--out', join(dir, 'lost')], lost), lost.stderr()).toBe(1);
    expect(lost.stdout()).toContain('U3 durability');
    const errors = captureOutput();
    expect(await main(['load', '--requests', '1000', '--fault', 'errors:0.2', '--out', join(dir, 'errors')], errors), errors.stderr()).toBe(3);
    expect(errors.stdout()).toContain('verdict: UNKNOWN');
  });

  it.each([
    [['--rate', '-5'], '--rate: "-5" is not a rate'],
    [['--duration', '10'], '--duration: "10" is not a duration'],
    [['--connections', '4', '--rate', '100'], '--rate: cannot be combined with --connections'],
    [['--probe', 'some'], '--probe: "some" is not a probe plan'],
    [['-H', 'no colon here'], "-H: \"no colon here\" is not a header; write 'Name: value'"],
    [['--target', 'http://127.0.0.1:9/user-profiles'], '--target: must be the base URL without a path'],
    [['--target', 'http://127.0.0.1:1', '--fault', 'race:tick'], '--fault: injects faults into the embedded reference service'],
  ])('exit 2 naming the option: %j', async (args, message) => {
    // In-process through the same entry point as the binary (parseArguments → run), to keep the suite fast.
    let stderr = '';
    const code = await main(['load', ...args], { out: () => {}, err: (text) => void (stderr += text), version: 'test' });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a target that refuses connections is the target\'s trouble: exit 3, one line naming it', async () => {
    let stderr = '';
    const code = await main(['load', '--target', 'http://127.0.0.1:1'], { out: () => {}, err: (text) => void (stderr += text), version: 'test' });
    expect(code).toBe(3);
    expect(stderr).toContain('stampede: target http://127.0.0.1:1 is unreachable (connection refused: is the service running on that port?)');
  });

  it('Ctrl-C stops sending, writes the partial result (marked partial) and exits 130', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'load', '--duration', '60s', '--connections', '8', '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const safety = setTimeout(() => reject(new Error(`never started: ${stderr}`)), 20_000);
      child.stderr.on('data', (text: string) => {
        stderr += text;
        if (stderr.includes('embedded reference service on')) {
          clearTimeout(safety);
          setTimeout(resolve, 1500); // let it send for a while
        }
      });
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(existsSync(join(out, 'result.json'))).toBe(true);
    const doc = readResult(out);
    expect(doc.partial).toBe(true);
    expect(doc.partialReason).toContain('interrupted');
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.totals.sent).toBeGreaterThan(0);
    expect(doc.totals.sent).toBe(doc.totals.ok + doc.totals.fail + doc.totals.indeterminate);
    expect(doc.invariants.find((i) => i.id === 'U3')!.verdict).toBe('unknown'); // the probe was skipped
  });
});

describe('a target that dies mid-run', () => {
  it('the run completes, counts indeterminate outcomes, and reconnects when the target comes back', async () => {
    const first = await startService();
    const port = Number(new URL(first.url).port);
    let second: Awaited<ReturnType<typeof startService>> | undefined;
    setTimeout(() => void first.close(0), 800);
    const restart = setTimeout(async () => {
      second = await startService({ port });
    }, 1400);
    try {
      const doc = await runLoad(resolveLoadOptions({ target: first.url, duration: '3s', connections: 8, seed: 3, timeout: '2s' }), { toolVersion: 'test' });
      expect(doc.totals.sent).toBe(doc.totals.ok + doc.totals.fail + doc.totals.indeterminate);
      expect(doc.totals.indeterminate).toBeGreaterThan(0);
      expect(Object.keys(doc.errors).join(' ')).toMatch(/ECONNREFUSED|ECONNRESET|connection closed/);
      // Answers again after the restart: the last second of the load phase has ok outcomes.
      const rows = doc.throughput.perSecond;
      expect(rows[rows.length - 1]!.ok).toBeGreaterThan(0);
      // The restarted service forgot everything: acknowledged writes were lost, or too much is indeterminate.
      expect(doc.verdict).not.toBe('pass');
    } finally {
      clearTimeout(restart);
      await first.close(0);
      await second?.close(0);
    }
  });
});
