// renderReport and writeReports: every format by name, the files named as REPORT_FILES says, JSON is the document.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from './fixtures.ts';
import { renderReport, REPORT_FILES, REPORT_FORMATS, writeReports } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reports', () => {
  it.each(FIXTURES)('renders %s in every format', (name) => {
    const doc = fixture(name);
    expect(JSON.parse(renderReport('json', doc))).toEqual(doc);
    expect(renderReport('json', doc)).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(renderReport('markdown', doc)).toMatch(/^## (✅|❌|❔) stampede: (PASS|FAIL|UNKNOWN)\n/);
    expect(renderReport('junit', doc)).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(renderReport('html', doc)).toMatch(/^<!DOCTYPE html>\n/);
  });

  it('writes every format into the directory, or only the given ones', async () => {
    const doc = fixture('combined');
    const paths = await writeReports(join(dir, 'all'), doc);
    expect(Object.keys(paths).sort()).toEqual([...REPORT_FORMATS].sort());
    expect(readdirSync(join(dir, 'all')).sort()).toEqual(Object.values(REPORT_FILES).sort());
    for (const format of REPORT_FORMATS) expect(readFileSync(paths[format], 'utf8')).toBe(renderReport(format, doc));
    const some = await writeReports(join(dir, 'some'), doc, ['html', 'junit']);
    expect(some).toEqual({ html: join(dir, 'some', 'report.html'), junit: join(dir, 'some', 'junit.xml') });
    expect(readdirSync(join(dir, 'some')).sort()).toEqual(['junit.xml', 'report.html']);
  });
});
