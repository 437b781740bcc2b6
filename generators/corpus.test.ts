// Proves corpus files: one valid body per line, a sidecar whose ground truth is right, gzip, interruption at line ends.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalId } from '../src/contract/canonical-id.ts';
import { FileAccessError, InvalidOptionError } from '../src/errors.ts';
import { bodyViolations } from './body-check.ts';
import { TRUTH_FORMAT, truthPathFor, writeCorpus } from './corpus.ts';
import { parseLines, splitLines } from './ndjson.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = splitLines;
const records = (bytes: Buffer) => parseLines(bytes);

describe('truthPathFor', () => {
  it('puts the sidecar beside the corpus', () => {
    expect(truthPathFor('out/corpus.ndjson', false)).toBe('out/corpus.truth.ndjson');
    expect(truthPathFor('out/corpus.ndjson.gz', true)).toBe('out/corpus.truth.ndjson.gz');
    expect(truthPathFor('corpus', false)).toBe('corpus.truth.ndjson');
  });
});

describe('writeCorpus', () => {
  it('writes valid bodies, one per line, with a sidecar telling first attempts from duplicates', async () => {
    const out = join(dir, 'dup.ndjson');
    const result = await writeCorpus({ out, count: 3_000, seed: 5, dupRatio: 0.25, dupPattern: 'mixed', variantRatio: 0.3 });
    expect(result).toMatchObject({ written: 3_000, requested: 3_000, interrupted: false, truthPath: join(dir, 'dup.truth.ndjson') });
    const bodies = lines(readFileSync(out));
    const [header, ...facts] = records(readFileSync(result.truthPath));
    expect(header).toMatchObject({ line: 0, ...TRUTH_FORMAT, seed: 5, count: 3_000, mode: 'valid', dupRatio: 0.25 });
    expect(bodies).toHaveLength(3_000);
    expect(facts).toHaveLength(3_000);
    const firstLine = new Map<string, number>();
    for (const [i, body] of bodies.entries()) {
      expect(bodyViolations(body)).toEqual([]);
      const fact = facts[i]!;
      const sent = (JSON.parse(body.toString()) as { userProfileId: string }).userProfileId;
      const id = canonicalId(sent);
      expect(fact).toMatchObject({ line: i + 1, id });
      const first = firstLine.get(id);
      if (first === undefined) {
        firstLine.set(id, i + 1);
        expect(fact.attempt).toBe('first');
      } else {
        expect(fact).toMatchObject({ attempt: 'duplicate', firstLine: first });
        expect(['immediate', 'delayed', 'hot']).toContain(fact.pattern);
        expect(fact.sentId ?? id).toBe(sent);
      }
    }
    expect(facts.filter((f) => f.attempt === 'duplicate').length).toBeGreaterThan(600);
    expect(facts.some((f) => f.variant === 'upper-case')).toBe(true);
  });

  it('writes labelled invalid bodies whose sidecar names the rule each line breaks', async () => {
    const out = join(dir, 'invalid.ndjson');
    const result = await writeCorpus({ out, count: 600, seed: 2, invalid: true });
    const bodies = lines(readFileSync(out));
    const [header, ...facts] = records(readFileSync(result.truthPath));
    expect(header).toMatchObject({ mode: 'invalid' });
    const ids = new Set<string>();
    for (const [i, body] of bodies.entries()) {
      const fact = facts[i] as { line: number; pointer: string; rule: string; expect: string; baseId: string };
      expect(fact.line).toBe(i + 1);
      expect(fact.expect).toBe('4xx');
      const violations = bodyViolations(body);
      expect(violations.map((v) => `${v.pointer} ${v.rule}`)).toContain(`${fact.pointer} ${fact.rule}`);
      ids.add(fact.baseId);
    }
    expect(ids.size).toBe(600); // every line derived from a body with its own fresh ID
    expect(new Set(facts.map((f) => f.label)).size).toBeGreaterThan(180); // the whole catalogue comes round
  });

  it('gzips both files when asked', async () => {
    const out = join(dir, 'small.ndjson.gz');
    const result = await writeCorpus({ out, count: 200, seed: 1, gzip: true });
    expect(lines(gunzipSync(readFileSync(out)))).toHaveLength(200);
    expect(records(gunzipSync(readFileSync(result.truthPath)))).toHaveLength(201);
  });

  it('stops at a line boundary when aborted, and says how many lines it wrote', async () => {
    const out = join(dir, 'aborted.ndjson');
    const controller = new AbortController();
    const result = await writeCorpus({
      out, count: 1_000_000, seed: 1, signal: controller.signal,
      onProgress: (written) => written > 500 && controller.abort(),
    });
    expect(result.interrupted).toBe(true);
    expect(result.written).toBeLessThan(1_000_000);
    const bodies = lines(readFileSync(out));
    expect(bodies).toHaveLength(result.written);
    expect(bodyViolations(bodies.at(-1)!)).toEqual([]);
    expect(records(readFileSync(result.truthPath))).toHaveLength(result.written + 1);
  });

  it('is byte-identical for the same seed and different for another', async () => {
    const write = async (name: string, seed: number) => {
      await writeCorpus({ out: join(dir, name), count: 500, seed, dupRatio: 0.1 });
      return readFileSync(join(dir, name));
    };
    const [a, b, c] = [await write('a.ndjson', 8), await write('b.ndjson', 8), await write('c.ndjson', 9)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('refuses bad options and unwritable paths with errors that say which', async () => {
    await expect(writeCorpus({ out: join(dir, 'x.ndjson'), count: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(writeCorpus({ out: join(dir, 'x.ndjson'), count: 5, invalid: true, dupRatio: 0.1 })).rejects.toThrow(/dupRatio/);
    await expect(writeCorpus({ out: join(dir, 'missing', 'x.ndjson'), count: 5 })).rejects.toThrow(FileAccessError);
  });
});
