// A bug of stampede itself reaches the user as one line asking for a report (exit 70), never a stack trace, and what
// was measured until then is still written (partial). The bugs are simulated by wrapping three of our own modules so
// that they throw mid-run: the payload stream (load), the conformance client, and a whole command (report).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { main } from './main.ts';

const bug = { items: Number.POSITIVE_INFINITY, sends: Number.POSITIVE_INFINITY, report: false };

vi.mock('../../generators/duplicates.ts', async (original) => {
  const real = await original<typeof import('../../generators/duplicates.ts')>();
  return {
    ...real,
    createDuplicateStream: (options: Parameters<typeof real.createDuplicateStream>[0]) => {
      const stream = real.createDuplicateStream(options);
      let n = 0;
      return { ...stream, next: () => { if (++n > bug.items) throw new TypeError('simulated bug in the payload stream'); return stream.next(); } };
    },
  };
});
vi.mock('../conformance/http-exchange.ts', async (original) => {
  const real = await original<typeof import('../conformance/http-exchange.ts')>();
  return {
    ...real,
    createExchangeClient: (...args: Parameters<typeof real.createExchangeClient>) => {
      const client = real.createExchangeClient(...args);
      let n = 0;
      return { ...client, send: (request: Parameters<typeof client.send>[0]) => (++n > bug.sends ? Promise.reject(new RangeError('simulated bug in the client')) : client.send(request)) };
    },
  };
});
vi.mock('./report-command.ts', async (original) => {
  const real = await original<typeof import('./report-command.ts')>();
  return { ...real, runReportCommand: (...args: Parameters<typeof real.runReportCommand>) => (bug.report ? Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')")) : real.runReportCommand(...args)) };
});

const dir = mkdtempSync(join(tmpdir(), 'stampede-internal-'));
afterEach(() => Object.assign(bug, { items: Number.POSITIVE_INFINITY, sends: Number.POSITIVE_INFINITY, report: false }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const output = captureOutput();
  const code = await main(args, output);
  return { code, stderr: output.stderr() };
}

function expectOneLine(stderr: string, what: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line.includes('internal error'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^stampede: internal error, please report: /);
  expect(lines[0]).toMatch(what);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('an internal error', () => {
  it('load: exit 70, one line, and the partial result of what was sent before it', async () => {
    bug.items = 300;
    const out = join(dir, 'load');
    const { code, stderr } = await run(['load', '--requests', '2000', '--connections', '8', '--out', out]);
    expect(code).toBe(ExitCode.internal);
    expectOneLine(stderr, /simulated bug in the payload stream.*what was measured is in .*result\.json/);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(doc.partial).toBe(true);
    expect(doc.partialReason).toMatch(/^internal error of stampede \(TypeError: simulated bug/);
    expect(doc.totals.byKind.first!.sent).toBeGreaterThan(0);
    expect(doc.totals.sent).toBe(doc.totals.ok + doc.totals.fail + doc.totals.indeterminate);
    expect(doc.verdict).toBe('unknown');
  });

  it('conform: exit 70, one line, and the checks judged before it (partial)', async () => {
    bug.sends = 40;
    const out = join(dir, 'conform');
    const { code, stderr } = await run(['conform', '--fuzz', '10', '--out', out]);
    expect(code).toBe(ExitCode.internal);
    expectOneLine(stderr, /RangeError: simulated bug in the client/);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(doc).toMatchObject({ partial: true, verdict: 'unknown' });
    expect(doc.totals.sent).toBeGreaterThanOrEqual(40);
  });

  it('gate: the phases measured before it and the failing phase\'s partial document are written; exit 70', async () => {
    bug.sends = 40;
    const out = join(dir, 'gate');
    const { code, stderr } = await run(['gate', '--duration', '300ms', '--bursts', '2', '--fuzz', '5', '--out', out]);
    expect(code).toBe(ExitCode.internal);
    expectOneLine(stderr, /simulated bug in the client/);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(doc.phases!.map((p) => p.name)).toEqual(['load', 'race', 'conformance']);
    expect(doc.phases!.find((p) => p.name === 'conformance')!.partial).toBe(true);
  });

  it('any command: an error that is not ours to expect is one line with where it happened, exit 70', async () => {
    bug.report = true;
    const { code, stderr } = await run(['report', join(dir, 'nothing.json')]);
    expect(code).toBe(ExitCode.internal);
    expectOneLine(stderr, /TypeError: Cannot read properties of undefined \(reading 'x'\)/);
    expect(existsSync(join(dir, 'nothing.json'))).toBe(false);
  });
});
