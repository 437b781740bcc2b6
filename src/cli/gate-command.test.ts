import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { main } from './main.ts';
import { captureOutput } from '../testing/capture-output.ts';


async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const SHORT = ['--duration', '500ms', '--connections', '8', '--bursts', '5', '--width', '8', '--baseline', '0', '--fuzz', '0', '--probe', 'sample:200', '--seed', '11'];
const SECRETS = ['s3cr3t-TOKEN-4711', 's3cr3t-cookie-4712', 's3cr3t-key-4713'];

describe('stampede gate (CLI)', () => {
  it('writes result.json, report.html, report.md and junit.xml, prints the Markdown summary, and no -H secret appears anywhere', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stampede-gate-cli-'));
    const io = captureOutput();
    const code = await main(['gate', ...SHORT, '--out', out, '-H', `Authorization: Bearer ${SECRETS[0]}`, '-H', `Cookie: sid=${SECRETS[1]}`, '-H', `X-Api-Key: ${SECRETS[2]}`], io);
    expect(io.stderr()).toContain(`open the HTML report: ${join(out, 'report.html')}`);
    expect(code).toBe(0);
    const files = await filesUnder(out);
    for (const name of ['result.json', 'report.html', 'report.md', 'junit.xml', 'phases/conformance.json', 'phases/load.json', 'phases/race.json']) {
      expect(files).toContain(join(out, name));
    }
    const document = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.verdict).toBe('pass');
    expect(io.stdout()).toMatch(/^## .*stampede: PASS/);
    expect(io.stdout()).toContain('### Thresholds');
    // Secrets: not in any file of the result folder (reports, phases, body files), not on stdout or stderr.
    const everything = [io.stdout(), io.stderr(), ...(await Promise.all(files.map((f) => readFile(f, 'utf8'))))].join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).toContain('Authorization: [redacted]');
  });

  it('a gate that fails exits 1 and still writes every report', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stampede-gate-cli-'));
    const io = captureOutput();
    const code = await main(['gate', ...SHORT, '--fault', 'wrong-status:200', '--bursts', '0', '--out', out], io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/^## .*stampede: FAIL/);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure/);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toMatch(/FAIL/);
  });

  it.each([
    [['gate', '--max-p99', 'soon'], /--max-p99: "soon" is not a duration/],
    [['gate', '--config', '/nonexistent/gate.json'], /cannot read \/nonexistent\/gate\.json/],
    [['gate', '--max-error-rate', '150%'], /--max-error-rate: "150%" is not a fraction/],
    [['gate', '--bogus'], /unknown option '--bogus'/],
    [['selftest', '--fault', 'telepathy'], /--fault "telepathy"/],
  ])('bad input exits 2 with a message naming the option: %j', async (argv, message) => {
    const io = captureOutput();
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr()).toMatch(message);
  });
});

describe('stampede selftest (the CI version)', () => {
  it('--short: the correct service passes clean and every fault row is caught; the matrix names what caught each', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stampede-selftest-'));
    const io = captureOutput();
    const code = await main(['selftest', '--short', '--seed', '5', '--out', out], io);
    const matrix = io.stdout();
    expect(matrix).toMatch(/^none\s+pass\s+clean\s+—$/m);
    expect(matrix).toMatch(/^race:tick\s+fail\s+caught\s+.*U1 ×\d+/m);
    expect(matrix).toMatch(/^lose-writes:0\.05\s+fail\s+caught\s+.*U3 ×\d+/m);
    expect(matrix).toMatch(/^false-conflict:0\.05\s+fail\s+caught\s+.*U2 ×\d+/m);
    expect(matrix).toMatch(/^wrong-status:200\s+fail\s+caught\s+.*check CREATE-201/m);
    expect(matrix).toMatch(/^no-validation\s+fail\s+caught\s+.*check SCHEMA-400/m);
    expect(matrix).toMatch(/^errors:0\.05\s+(fail|unknown)\s+caught\s+.*threshold max-error-rate/m);
    expect(matrix).toContain('selftest: PASS');
    expect(code).toBe(0);
    expect((await readdir(out)).length).toBe(7);
  }, 240_000); // ms: seven short gates in a row (about 30 s here)

  it('a fault the gate cannot see is reported UNDETECTED and the selftest exits 1', async () => {
    const io = captureOutput();
    const code = await main(['selftest', '--short', '--fault', 'latency:1ms', '--seed', '5', '--out', await mkdtemp(join(tmpdir(), 'stampede-selftest-'))], io);
    expect(io.stdout()).toMatch(/^latency:1ms\s+pass\s+UNDETECTED\s+—$/m);
    expect(io.stdout()).toContain('selftest: FAIL — latency:1ms went undetected');
    expect(code).toBe(1);
  }, 120_000); // ms: two short gates
});
