// A corpus written by the real generator (stampede generate) read through open(): templates keep every byte but the IDs.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isValidUserProfile, userProfileViolations } from '../../src/contract/validators.ts';
import { writeCorpus } from '../../generators/corpus.ts';
import { loadScenario, range, unloadScenario } from './stand-ins/harness.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
let dir: string;
let lines: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-k6-corpus-'));
  // Duplicates with upper-case variants too: every line is still a template, each request gets fresh IDs.
  await writeCorpus({ out: join(dir, 'corpus.ndjson'), count: 40, seed: 7, dupRatio: 0.3, variantRatio: 0.5 });
  await writeCorpus({ out: join(dir, 'invalid.ndjson'), count: 10, seed: 7, invalid: true, dupRatio: 0 });
  lines = readFileSync(join(dir, 'corpus.ndjson'), 'utf8').split('\n').filter((line) => line !== '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(unloadScenario);

describe('CORPUS', () => {
  it('uses each generated line as a template: same bytes, fresh IDs (profile, session, transaction group, arid)', async () => {
    expect(lines.some((line) => /"userProfileId":"[0-9A-F-]{36}"/.test(line) && /[A-F]/.test(line.slice(37, 73)))).toBe(true);
    const k6 = await loadScenario('throughput', { env: { RUN_ID: 'corpus-run', CORPUS: 'corpus.ndjson', PWD: dir, DUP_RATIO: '0' } });
    expect(k6.opened).toEqual([join(dir, 'corpus.ndjson')]); // relative to where k6 was started
    const data = k6.module.setup();
    k6.run(data, range(80));
    const corpusIds = new Set(lines.flatMap((line) => line.match(UUID) ?? []).map((id) => id.toLowerCase()));
    k6.state.requests.forEach((request, i) => {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      if (!isValidUserProfile(body)) expect(userProfileViolations(body)).toEqual([]);
      expect(request.body.replace(UUID, 'ID')).toBe(lines[i % lines.length]!.replace(UUID, 'ID'));
      for (const id of request.body.match(UUID) ?? []) {
        expect(id).toBe(id.toLowerCase());
        expect(corpusIds.has(id)).toBe(false);
      }
    });
    const ids = k6.state.requests.map((r) => r.metadata.profile_id);
    expect(new Set(ids).size).toBe(80);
  });

  it('refuses an invalid corpus at init, naming the line', async () => {
    await expect(loadScenario('throughput', { env: { CORPUS: join(dir, 'invalid.ndjson') } })).rejects.toThrow(/^CORPUS .*invalid\.ndjson line \d+ (is not JSON|has no UUID userProfileId)/);
  });
});
