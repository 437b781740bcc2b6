// End to end: `node bin/stampede.js generate …` — exit codes, corpus content, sidecar ground truth, gzip, Ctrl-C.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalId } from '../src/contract/canonical-id.ts';
import { bodyViolations } from './body-check.ts';
import { parseLines, splitLines } from './ndjson.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'stampede.js');
const dir = mkdtempSync(join(tmpdir(), 'stampede-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `whenStarted` gets the child once it runs (to signal it). */
function stampede(args: string[], whenStarted?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    whenStarted?.(child);
  });
}

describe('stampede generate', () => {
  it('writes a corpus whose lines validate and a sidecar whose ground truth is right (exit 0)', async () => {
    const out = join(dir, 'corpus.ndjson');
    const run = await stampede(['generate', '--count', '2000', '--seed', '7', '--dup-ratio', '0.2', '--variant-ratio', '0.5', '--out', out]);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote 2,000 valid');
    expect(run.stdout).toContain('seed 7');
    const bodies = splitLines(readFileSync(out));
    const [header, ...facts] = parseLines(readFileSync(join(dir, 'corpus.truth.ndjson')));
    expect(header).toMatchObject({ format: 'stampede-corpus-truth', seed: 7, count: 2_000, dupRatio: 0.2 });
    expect(bodies).toHaveLength(2_000);
    const seen = new Map<string, number>();
    bodies.forEach((body, i) => {
      expect(bodyViolations(body)).toEqual([]);
      const id = canonicalId((JSON.parse(body.toString()) as { userProfileId: string }).userProfileId);
      const first = seen.get(id);
      expect(facts[i]).toMatchObject(first === undefined ? { line: i + 1, id, attempt: 'first' } : { line: i + 1, id, attempt: 'duplicate', firstLine: first });
      if (first === undefined) seen.set(id, i + 1);
    });
    expect(facts.filter((f) => f.attempt === 'duplicate').length).toBeGreaterThan(300);
  });

  it('replays byte for byte with the same seed and differs with another', async () => {
    const paths = ['s1a', 's1b', 's2'].map((n) => join(dir, `${n}.ndjson`));
    const runs = await Promise.all([
      stampede(['generate', '--count', '300', '--seed', '1', '--out', paths[0]!]),
      stampede(['generate', '--count', '300', '--seed', '1', '--out', paths[1]!]),
      stampede(['generate', '--count', '300', '--seed', '2', '--out', paths[2]!]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const [a, b, c] = paths.map((p) => readFileSync(p));
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
  });

  it('gzips the corpus and the sidecar readably, and writes labelled invalid bodies', async () => {
    const gz = join(dir, 'small.ndjson.gz');
    const bad = join(dir, 'invalid.ndjson');
    const [zipped, invalid] = await Promise.all([
      stampede(['generate', '--count', '150', '--gzip', '--dup-ratio', '10%', '--out', gz]),
      stampede(['generate', '--count', '400', '--invalid', '--seed', '3', '--out', bad]),
    ]);
    expect([zipped.code, invalid.code]).toEqual([0, 0]);
    const bodies = splitLines(gunzipSync(readFileSync(gz)));
    expect(bodies).toHaveLength(150);
    for (const body of bodies) expect(bodyViolations(body)).toEqual([]);
    expect(parseLines(gunzipSync(readFileSync(join(dir, 'small.truth.ndjson.gz'))))).toHaveLength(151);

    const lines = splitLines(readFileSync(bad));
    const [, ...facts] = parseLines<{ pointer: string; rule: string; expect: string }>(readFileSync(join(dir, 'invalid.truth.ndjson')));
    expect(lines).toHaveLength(400);
    lines.forEach((line, i) => {
      expect(facts[i]!.expect).toBe('4xx');
      expect(bodyViolations(line).map((v) => `${v.pointer} ${v.rule}`)).toContain(`${facts[i]!.pointer} ${facts[i]!.rule}`);
    });
  });

  it('exits 2 naming the option for a bad count, an unwritable path, a bad duplicate ratio', async () => {
    const out = join(dir, 'never.ndjson');
    const runs = await Promise.all([
      stampede(['generate', '--count', 'lots', '--out', out]),
      stampede(['generate', '--out', out]),
      stampede(['generate', '--count', '10', '--out', join(dir, 'no-such-dir', 'x.ndjson')]),
      stampede(['generate', '--count', '10', '--out', dir]),
      stampede(['generate', '--count', '10', '--dup-ratio', '1.5', '--out', out]),
      stampede(['generate', '--count', '10', '--invalid', '--dup-ratio', '0.1', '--out', out]),
    ]);
    // (Every other option rule is proven without a process in src/options/generate-options.test.ts.)
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    const messages = runs.map((r) => r.stderr);
    expect(messages[0]).toMatch(/--count: "lots" is not a whole number; write how many/);
    expect(messages[1]).toMatch(/--count: is required/);
    expect(messages[2]).toMatch(/--out: cannot write .*no-such-dir.*ENOENT.*directory does not exist/);
    expect(messages[3]).toMatch(/--out: .*EISDIR.*give a file name/);
    expect(messages[4]).toMatch(/--dup-ratio: "1.5" is not a fraction/);
    expect(messages[5]).toMatch(/--dup-ratio: cannot be combined with --invalid/);
    expect(existsSync(out)).toBe(false);
  });

  it('on Ctrl-C stops at a complete line, says how many it wrote and exits 130', async () => {
    const out = join(dir, 'interrupted.ndjson');
    const run = await stampede(['generate', '--count', '5000000', '--out', out], (child) => {
      const poll = setInterval(() => {
        if (existsSync(out) && statSync(out).size > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
    });
    expect(run.code).toBe(130);
    const bodies = splitLines(readFileSync(out)); // throws if the last line were cut
    const reported = /wrote ([\d,]+) of 5,000,000 payloads/.exec(run.stderr)?.[1];
    expect(Number(reported?.replace(/,/g, ''))).toBe(bodies.length);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.length).toBeLessThan(5_000_000);
    expect(bodyViolations(bodies.at(-1)!)).toEqual([]);
    expect(parseLines(readFileSync(join(dir, 'interrupted.truth.ndjson')))).toHaveLength(bodies.length + 1);
  });
});
