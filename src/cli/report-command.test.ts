// `stampede report` as a user runs it: one or several results, a format by flag or --out extension, bad input exit 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../reports/index.ts';
import { fixture } from '../../reports/fixtures.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = (name: string) => fileURLToPath(new URL(`../../reports/fixtures/${name}.json`, import.meta.url));

async function stampede(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['report', ...args], { out: (t) => void (out += t), err: (t) => void (err += t), version: 'test' });
  return { code, out, err };
}

describe('stampede report', () => {
  it('prints one result in the chosen format to stdout (md is markdown), exit 0 whatever the verdict', async () => {
    const md = await stampede(FIXTURE('load-fail'), '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.out).toBe(renderReport('markdown', fixture('load-fail')));
    const junit = await stampede(FIXTURE('race'), '--format', 'junit');
    expect(junit.out).toBe(renderReport('junit', fixture('race')));
    const plain = await stampede(FIXTURE('load-pass'));
    expect(plain.out.split('\n')[0]).toBe('## ✅ stampede: PASS'); // Markdown by default
  });

  it('writes --out FILE, the format taken from its extension when --format is absent', async () => {
    const out = join(dir, 'nested', 'report.html');
    const result = await stampede(FIXTURE('race'), '--out', out);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('');
    expect(result.err).toContain(`html report of 1 result (verdict fail) written to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(renderReport('html', fixture('race')));
  });

  it('combines several results into one valid document with a phase per file', async () => {
    const files = [FIXTURE('conformance-fail'), FIXTURE('load-pass'), FIXTURE('race')];
    const result = await stampede(...files, '--format', 'json');
    expect(result.code, result.err).toBe(0);
    const combined = JSON.parse(result.out) as ResultDocument;
    expect(resultDocumentViolations(combined)).toEqual([]);
    expect(combined.engine).toBe('combined');
    expect(combined.phases?.map((p) => p.name)).toEqual(files);
    expect(combined.verdict).toBe('fail');
    expect(combined.checks).toHaveLength(fixture('conformance-fail').checks!.length);
    expect(combined.race?.bursts).toHaveLength(10);
  });

  it.each([
    ['not JSON', '{ nope', 'not JSON'],
    ['an unknown schemaVersion', JSON.stringify({ ...fixture('load-pass'), schemaVersion: 2 }), 'schemaVersion 2: this stampede reads result documents of schemaVersion 1 only; upgrade stampede to read it'],
    ['no schemaVersion', JSON.stringify({ seed: 1 }), 'no schemaVersion'],
    ['an invalid document', JSON.stringify({ ...fixture('load-pass'), totals: undefined, verdict: 'maybe' }), 'not a valid result document (schemaVersion 1): /totals is required'],
  ])('exit 2 naming the file for %s', async (_, content, message) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, content);
    const result = await stampede(FIXTURE('load-pass'), path);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`stampede: ${path}: ${message}`);
    expect(result.out).toBe('');
  });

  it.each([
    [['--format', 'pdf'], '--format: "pdf" is not a report format; use html, md (markdown), junit or json'],
    [[join(dir, 'missing.json')], `cannot read ${join(dir, 'missing.json')} (ENOENT)`],
  ])('exit 2 for %j', async (args, message) => {
    const result = await stampede(...(args[0]!.startsWith('--') ? [FIXTURE('race'), ...args] : args));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('exit 2 without a result file', async () => {
    const result = await stampede();
    expect(result.code).toBe(2);
    expect(result.err).toContain("missing required argument 'result.json'");
  });
});
