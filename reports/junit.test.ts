// The JUnit report on the fixture documents: one testcase per check, invariant, threshold and phase; states mapped.
// (Well-formedness is proven by a real XML parser in browser.test.ts.)
import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.ts';
import { renderJunit } from './junit.ts';

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;

describe('junit report', () => {
  it('has one testcase per check and per invariant, plus the run verdict; failures carry their messages and curl lines', () => {
    const doc = fixture('conformance-fail');
    const xml = renderJunit(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="stampede" tests="32" failures="16" errors="0" skipped="0"')).toBe(true);
    expect(count(xml, /<testcase /g)).toBe(doc.checks!.length + doc.invariants.length + 1);
    expect(count(xml, /<failure /g)).toBe(16); // 15 checks and the verdict
    expect(xml).toContain('<testcase name="CREATE-201.minimal" classname="stampede.conformance.MUST"');
    expect(xml).toContain('<failure message="MUST: expected 201, observed 200 (answered 200, expected 201)" type="fail">');
    expect(xml).toContain(`reproduce:\n${doc.checks!.find((c) => c.id === 'CREATE-201.minimal')!.curl!}</failure>`);
  });

  it('maps invariants and thresholds: fail → failure, unknown → error, a SHOULD warning → skipped', () => {
    const doc = fixture('combined');
    const xml = renderJunit(doc);
    const expected = doc.checks!.length + doc.invariants.length + doc.thresholds!.length + doc.phases!.length + 1;
    expect(count(xml, /<testcase /g)).toBe(expected);
    expect(xml).toMatch(/<testcase name="min-throughput: throughput of the load phase ≥ 10000 req\/s" classname="stampede.thresholds" time="0">\n {6}<failure message="measured 6715.8 req\/s, limit 10000 req\/s"/);
    expect(xml).toMatch(/<testcase name="max-p999: [^"]*"[^>]*>\n {6}<error message="not measured \(limit 100 ms\)" type="unknown">/);
    expect(xml).toMatch(/<testcase name="DUP-409" classname="stampede.conformance.SHOULD" time="[\d.]+">\n {6}<skipped message="warning: SHOULD: expected 422, observed 409/);
    expect(xml).toMatch(/<testcase name="phase race \(race\)" classname="stampede.phases" time="[\d.]+">\n {6}<failure /);
    expect(xml).toMatch(/<testcase name="phase conformance \(conformance\)" classname="stampede.phases" time="[\d.]+"\/>/);
    const partial = renderJunit(fixture('load-partial'));
    expect(partial).toMatch(/<testcase name="U3 durability"[^>]*>\n {6}<error message="unknown: [^"]*" type="unknown">/);
  });

  it('escapes markup and strips characters illegal in XML 1.0', () => {
    const doc = fixture('conformance-fail');
    const check = doc.checks![0]!;
    check.id = 'A"<&>\'\u0000\u0008\uFFFF\uD800x';
    check.observed = { status: 200, bodyExcerpt: ']]><x>\u001b[31m' };
    const xml = renderJunit(doc);
    expect(xml).toContain('<testcase name="A&quot;&lt;&amp;&gt;&apos;\uFFFD\uFFFD\uFFFD\uFFFDx"');
    expect(xml).toContain('body: ]]&gt;&lt;x&gt;\uFFFD[31m');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  });
});
