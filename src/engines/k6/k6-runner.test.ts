// `stampede k6 <scenario>` end to end over real HTTP, with a stand-in `k6` (fixtures/fake-k6.ts) first on PATH that
// really POSTs to the target and writes k6's --out json lines; and the clear error when k6 is not on PATH.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../../generators/corpus.ts';
import { main } from '../../cli/main.ts';
import type { Output } from '../../cli/output.ts';
import { resultDocumentViolations } from '../../contract/validators.ts';
import type { ResultDocument } from '../../result/result-document.ts';
import { useServices } from '../../testing/services.ts';

const FAKE = fileURLToPath(new URL('./fixtures/fake-k6.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/stampede.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-k6-'));
const fakeBin = join(dir, 'bin');
const emptyBin = join(dir, 'empty-bin');
const originalPath = process.env.PATH;
const FAKE_ENV = ['FAKE_K6_REQUESTS', 'FAKE_K6_MODE', 'FAKE_K6_EXIT', 'FAKE_K6_RECORD'];
const corpus = join(dir, 'corpus.ndjson');
const start = useServices();

beforeAll(async () => {
  await writeCorpus({ out: corpus, count: 10, seed: 9 });
  mkdirSync(fakeBin);
  mkdirSync(emptyBin);
  writeFileSync(join(fakeBin, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  chmodSync(join(fakeBin, 'k6'), 0o755);
});
afterEach(() => {
  process.env.PATH = originalPath;
  for (const name of FAKE_ENV) delete process.env[name];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
async function stampedeK6(env: Record<string, string>, ...args: string[]) {
  let out = '';
  let err = '';
  const output: Output = { out: (s) => void (out += s), err: (s) => void (err += s), version: 'test' };
  const outDir = join(dir, `run-${++runs}`);
  const record = join(dir, `record-${runs}.json`);
  Object.assign(process.env, { FAKE_K6_RECORD: record, ...env });
  const code = await main(['k6', '--out', outDir, ...args], output);
  const doc = existsSync(join(outDir, 'result.json')) ? (JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as ResultDocument) : undefined;
  const recorded = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; headers?: string; signals: number }) : undefined;
  return { code, out, err, doc, outDir, recorded };
}
const withFakeK6 = () => ({ PATH: `${fakeBin}${delimiter}${originalPath}` });

describe('stampede k6 (runner)', () => {
  it('runs k6 against the embedded service, merges its --out json file, probes from Node, passes (exit 0)', async () => {
    const r = await stampedeK6(
      { ...withFakeK6(), FAKE_K6_REQUESTS: '16' },
      'throughput', '--rate', '20', '--duration', '2s', '--seed', '5', '-H', 'X-Api-Key: s3cret', '--run-id', 'nightly-42',
      '--segment', '0:1/2', '--segment-sequence', '0,1/2,1', '--', '--no-usage-report',
    );
    expect(r.code, r.err + r.out).toBe(0);
    expect(resultDocumentViolations(r.doc)).toEqual([]);
    const doc = r.doc!;
    expect(doc).toMatchObject({ engine: 'k6', runId: 'nightly-42', seed: 5, target: { embedded: true }, partial: false });
    expect(doc.totals.byKind).toMatchObject({ first: { sent: 12, ok: 12 }, duplicate: { sent: 4, ok: 4 }, probe: { sent: 12, ok: 12 } });
    expect(doc.totals).toMatchObject({ sent: 28, ok: 28, fail: 0, indeterminate: 0 });
    expect(doc.invariants.map((i) => i.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(doc.probe).toMatchObject({ acknowledged: 12, probed: 12, lostWrites: 0 });
    expect(doc.statuses).toEqual({ '201': 12, '409': 4 });
    expect(JSON.stringify(doc)).not.toContain('s3cret');
    expect(existsSync(join(r.outDir, 'report.html'))).toBe(true);
    // Compact output by default: k6 was asked for k6.json.gz, and what it wrote there is gzip (read as such).
    expect(readFileSync(join(r.outDir, 'k6.json.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect((doc.config.inputs as Array<{ file: string }>)[0]!.file).toBe(join(r.outDir, 'k6.json.gz'));

    // The k6 command line: json output into the result directory, the scenario's -e settings, segment, extra args.
    const argv = r.recorded!.argv;
    const vars = Object.fromEntries(argv.flatMap((arg, i) => (argv[i - 1] === '-e' ? [arg.split(/=(.*)/s).slice(0, 2)] : [])));
    expect(argv.slice(0, 3)).toEqual(['run', '--out', `json=${join(r.outDir, 'k6.json.gz')}`]);
    expect(vars).toMatchObject({ TARGET_URL: doc.target.url, RATE: '20', DURATION: '2s', CONFLICT_STATUS: '409', RUN_ID: 'nightly-42', SUMMARY_OUT: join(r.outDir, 'k6-summary.json') });
    expect(readFileSync(vars.CORPUS!, 'utf8').split('\n').length).toBeGreaterThan(100); // the generated corpus
    expect(argv.join(' ')).toContain('--execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1 --no-usage-report');
    expect(argv.at(-1)).toMatch(/scenarios\/k6\/throughput\.ts$/);
    expect(argv.join(' ')).not.toContain('s3cret'); // headers go through the environment, not the command line
    expect(JSON.parse(r.recorded!.headers!)).toEqual({ 'X-Api-Key': 's3cret' });

    expect(r.err).toContain('running (16 complete'); // k6's progress, streamed
    expect(r.out).toContain('stampede k6 throughput: 1 k6 output file(s)');
    expect(r.out).toContain('verdict: PASS');
  });

  it('finds lost acknowledged writes with the durability probe after k6 (embedded --fault lose-writes, exit 1)', async () => {
    const r = await stampedeK6({ ...withFakeK6(), FAKE_K6_REQUESTS: '24' }, 'soak', '--fault', 'lose-writes:0.5', '--seed', '3');
    expect(r.code, r.err + r.out).toBe(1);
    const u3 = r.doc!.invariants.find((i) => i.id === 'U3')!;
    expect(u3.verdict).toBe('fail');
    expect(u3.violations).toBeGreaterThan(0);
  });

  it('k6 not on PATH: exit 2 naming the install docs and the equivalent k6 run command line; nothing is written', async () => {
    const r = await stampedeK6({ PATH: emptyBin }, 'race', '--target', 'http://127.0.0.1:9', '--rate', '5', '-H', 'Authorization: Bearer t0ken', '--corpus', FAKE);
    expect(r.code).toBe(2);
    expect(r.err).toContain('k6 is not on PATH');
    expect(r.err).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    expect(r.err).toMatch(/k6 run --out json=\S+k6\.json\.gz -e TARGET_URL=http:\/\/127\.0\.0\.1:9 -e CORPUS=\S+ -e RATE=5 -e CONFLICT_STATUS=409 -e RUN_ID=\S+ -e SUMMARY_OUT=\S+ -e 'HEADERS=[^']+' \S+scenarios\/k6\/race\.ts/);
    expect(r.err).toContain(`-e 'HEADERS={"Authorization":"<value of Authorization>"}'`);
    expect(r.err).not.toContain('t0ken');
    expect(r.err).toContain('stampede merge');
    expect(existsSync(r.outDir)).toBe(false);
  });

  it('k6 failing before any request (script error): exit 2 naming its exit code', async () => {
    const service = await start();
    const r = await stampedeK6({ ...withFakeK6(), FAKE_K6_MODE: 'script-error' }, 'smoke', '--target', service.url, '--corpus', corpus);
    expect(r.code).toBe(2);
    expect(r.err).toContain('GoError: a script error'); // k6's own output, streamed
    expect(r.err).toContain('k6 exited with code 107 without writing');
  });

  it('refuses bad options with exit 2, naming the option', async () => {
    for (const [args, option] of [
      [['nope'], 'scenario'],
      [['throughput', '--rate', 'fast'], '--rate'],
      [['throughput', '--duration', '10'], '--duration'],
      [['throughput', '--segment', '1/2:1/4'], '--segment'],
      [['throughput', '--segment-sequence', '0,1'], '--segment-sequence'],
      [['throughput', '--segment', '1/3:2/3', '--segment-sequence', '0,1/2,1'], '--segment'],
      [['throughput', '--dup-ratio', '1'], '--dup-ratio'],
      [['throughput', '--probe', 'some'], '--probe'],
      [['throughput', '--run-id', 'has space'], '--run-id'],
      [['throughput', '--target', 'http://127.0.0.1:9', '--fault', 'race:tick'], '--fault'],
    ] as const) {
      const r = await stampedeK6(withFakeK6(), ...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toContain(`${option}:`);
    }
  });

  it('Ctrl-C is forwarded to k6 once; what k6 wrote is still judged and written as partial (exit 130)', async () => {
    const service = await start();
    const outDir = join(dir, 'interrupted');
    const record = join(dir, 'record-interrupted.json');
    const child = spawn(process.execPath, [BIN, 'k6', 'throughput', '--target', service.url, '--corpus', corpus, '--out', outDir], {
      env: { ...process.env, ...withFakeK6(), FAKE_K6_MODE: 'until-signal', FAKE_K6_RECORD: record },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        err += text;
        if (/running \(5 complete/.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code, err).toBe(130);
    const doc = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as ResultDocument;
    expect(doc.partial).toBe(true);
    expect(doc.totals.sent).toBeGreaterThanOrEqual(5);
    expect(doc.probe).toBeUndefined(); // skipped when interrupted
    expect((JSON.parse(readFileSync(record, 'utf8')) as { signals: number }).signals).toBe(1);
  });
});
