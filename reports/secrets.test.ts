// Secrets given with -H (Authorization, Cookie, an API key) never appear in any report, result file or log line.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { Output } from '../src/cli/output.ts';
import { useServices } from '../src/testing/services.ts';
import { REPORT_FORMATS, writeReports } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const startService = useServices();

const SECRET_HEADERS = ['-H', 'Authorization: Bearer s3cr3t-TOKEN', '-H', 'Cookie: sid=s3cr3t', '-H', 'X-Api-Key: s3cr3t'];
const SECRET = /s3cr3t/i;

/** Runs the CLI in-process (the same entry point as the binary), capturing stdout and stderr. */
async function stampede(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: Output = { out: (text) => void (out += text), err: (text) => void (err += text), version: 'test' };
  const code = await main(args, output);
  return { code, out, err };
}

/** Every file under `root` except the race's replay file, which holds the exact request bytes by design (mode 0600). */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile() && !path.endsWith('replay.json'));
}

describe('secrets given with -H', () => {
  it('never reach result.json, any of the four reports (one run or combined), stdout or stderr', async () => {
    // Reference services on loopback as targets (started once here, not one worker per command: the test stays fast).
    const correct = (await startService()).url;
    const wrongStatus = (await startService({ faults: ['wrong-status:200'] })).url; // failing checks carry curl lines
    const runs = [
      ['load', '--target', correct, '--requests', '300', '--connections', '4', '--out', join(dir, 'load')],
      ['conform', '--target', wrongStatus, '--fuzz', '0', '--out', join(dir, 'conform')],
      ['race', '--target', correct, '--bursts', '2', '--width', '3', '--baseline', '0', '--out', join(dir, 'race')],
    ];
    const logs: string[] = [];
    for (const args of runs) {
      const run = await stampede([...args, ...SECRET_HEADERS]);
      expect([0, 1], run.err).toContain(run.code);
      logs.push(run.out, run.err);
    }
    const results = ['load', 'conform', 'race'].map((name) => join(dir, name, 'result.json'));
    // The headers were sent and recorded by name: the test would see them if their values leaked.
    expect(readFileSync(results[0]!, 'utf8')).toContain('Authorization: [redacted]');
    expect(readFileSync(results[1]!, 'utf8')).toContain('STAMPEDE_HEADER_X_API_KEY');
    for (const format of REPORT_FORMATS) {
      const report = await stampede(['report', ...results, '--format', format]);
      expect(report.code, report.err).toBe(0);
      logs.push(report.out, report.err);
      expect(report.out.length).toBeGreaterThan(1000);
      const single = await stampede(['report', results[1]!, '--format', format, '--out', join(dir, 'single', `report.${format}`)]);
      expect(single.code, single.err).toBe(0);
      logs.push(single.out, single.err);
    }
    for (const [index, path] of results.entries()) {
      await writeReports(join(dir, `reports-${index}`), JSON.parse(readFileSync(path, 'utf8')));
    }
    for (const log of logs) expect(log).not.toMatch(SECRET);
    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThanOrEqual(3 + 4 + 3 * 4);
    for (const path of files) expect(readFileSync(path, 'latin1'), path).not.toMatch(SECRET);
  });
});
