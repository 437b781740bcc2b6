// Check levels: each follows from the source the check names; --profile strict and --level rules change them, and the
// result document, the reports and --list say where each level came from.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import { InvalidOptionError } from '../errors.ts';
import { loadGateConfig, resolveGateOptions } from '../options/gate-options.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { useServices } from '../testing/services.ts';
import { catalogueInstances } from './cases.ts';
import { CHECK_SOURCES, inFamily } from './catalogue.ts';
import { effectiveLevel, globMatches, parseLevelFlag } from './levels.ts';

const start = useServices();
const ids = () => catalogueInstances().map((c) => c.id);
const at = (level: string) => catalogueInstances().filter((c) => c.level === level).map((c) => c.id);

describe('the catalogue: every check names its source, and its level follows from it', () => {
  it('every instance has a source, a reference and the level of its source; MUST only for the spec and HTTP', () => {
    for (const check of catalogueInstances()) {
      expect(check.reference.length, check.id).toBeGreaterThan(0);
      expect(check.level, check.id).toBe(CHECK_SOURCES[check.source].level);
    }
    expect(Object.entries(CHECK_SOURCES).filter(([, s]) => s.level === 'MUST').map(([name]) => name).sort()).toEqual(['http', 'spec']);
  });

  it('MUST: a realistic profile → 201, a duplicate → 4xx, no 5xx, no hang, and 4xx for bodies that cannot be registered at all', () => {
    const must = at('MUST');
    expect(must.filter((id) => inFamily(id, 'CREATE-201'))).toEqual(['CREATE-201', 'CREATE-201.realistic-2', 'CREATE-201.realistic-3']);
    for (const id of ['DUP-4XX', 'NO-5XX', 'NO-5XX-FUZZ', 'NO-HANG']) expect(must).toContain(id);
    // Not JSON, not an object, userProfileId missing, not a string, not a UUID: nothing can be registered.
    const schemaMust = must.filter((id) => inFamily(id, 'SCHEMA-400'));
    expect(schemaMust.every((id) => id.startsWith('SCHEMA-400.root.type:') || id.startsWith('SCHEMA-400./userProfileId.'))).toBe(true);
    for (const id of ['SCHEMA-400.root.type:array', 'SCHEMA-400.root.type:null', 'SCHEMA-400./userProfileId.required', 'SCHEMA-400./userProfileId.type:wrong-type', 'SCHEMA-400./userProfileId.pattern:non-hex']) {
      expect(must).toContain(id);
    }
    const malformedMust = must.filter((id) => inFamily(id, 'MALFORMED-400'));
    expect(malformedMust.length).toBeGreaterThan(0);
    expect(malformedMust.every((id) => /^MALFORMED-400\.(truncated-json|non-json-bytes):/.test(id))).toBe(true);
    expect(must.filter((id) => !/^(CREATE-201|DUP-4XX|SCHEMA-400|MALFORMED-400|NO-5XX|NO-HANG)/.test(id))).toEqual([]);
  });

  it("SHOULD: the contract's reading of the example, edge-but-valid profiles, invalid UTF-8, exact statuses, problem+json, DUP-CANONICAL-ID", () => {
    const should = at('SHOULD');
    for (const id of [
      'SCHEMA-400./countryCode.enum:UK', 'SCHEMA-400./unexpectedProperty.additionalProperties:unknown-property', 'SCHEMA-400./sdkVersion.maxLength',
      'CREATE-201.max-events', 'CREATE-201.long-strings', 'CREATE-201.every-country', 'CREATE-201.minimal',
      'MALFORMED-400.invalid-utf8:latin1-text', 'DUP-409', 'DUP-CANONICAL-ID', 'CT-415.missing', 'SIZE-413', 'METHOD-405-ALLOW.GET',
      'ERROR-PROBLEM-JSON', 'PROBLEM-STATUS-MATCH',
    ]) {
      expect(should, id).toContain(id);
    }
    // The audit events' own userProfileId is the contract's rule, not the profile's ID.
    expect(should.filter((id) => id.startsWith('SCHEMA-400./sdkAuditEvents/0/userProfileId.')).length).toBeGreaterThan(0);
    expect(catalogueInstances().find((c) => c.id === 'MALFORMED-400.invalid-utf8:invalid-byte')?.reference).toMatch(/RFC 8259 §8\.1/);
    expect(catalogueInstances().find((c) => c.id === 'DUP-CANONICAL-ID')?.reference).toMatch(/RFC 9562/);
  });
});

describe('effective levels: --profile strict, then --level rules', () => {
  const check = (id: string) => catalogueInstances().find((c) => c.id === id)!;

  it('strict makes every SHOULD a MUST (from the profile); MUST stays the default', () => {
    expect(effectiveLevel(check('DUP-409'), 'strict', [])).toEqual({ level: 'MUST', from: 'profile' });
    expect(effectiveLevel(check('DUP-4XX'), 'strict', [])).toEqual({ level: 'MUST', from: 'default' });
    expect(effectiveLevel(check('DUP-409'), 'default', [])).toEqual({ level: 'SHOULD', from: 'default' });
  });

  it('a rule wins over the profile; the last matching rule wins', () => {
    const rules = [parseLevelFlag('SCHEMA-400.*=must'), parseLevelFlag('SCHEMA-400./countryCode.*=may')];
    expect(effectiveLevel(check('SCHEMA-400./sdkVersion.maxLength'), 'default', rules)).toEqual({ level: 'MUST', from: 'override', rule: 'SCHEMA-400.*' });
    expect(effectiveLevel(check('SCHEMA-400./countryCode.enum:UK'), 'strict', rules)).toEqual({ level: 'MAY', from: 'override', rule: 'SCHEMA-400./countryCode.*' });
    expect(effectiveLevel(check('DUP-409'), 'strict', [parseLevelFlag('DUP-409=off')]).level).toBe('OFF');
  });

  it('globs: * crosses dots and slashes, ? is one character, the whole ID must match, case does not matter', () => {
    expect(globMatches('SCHEMA-400.*', 'SCHEMA-400./countryCode.enum:UK')).toBe(true);
    expect(globMatches('SCHEMA-400', 'SCHEMA-400./countryCode.enum:UK')).toBe(false);
    expect(globMatches('method-405-allow.*', 'METHOD-405-ALLOW.GET')).toBe(true);
    expect(globMatches('METHOD-405-ALLOW.?UT', 'METHOD-405-ALLOW.PUT')).toBe(true);
    expect(globMatches('*.invalid-utf8:*', 'MALFORMED-400.invalid-utf8:latin1-text')).toBe(true);
    expect(globMatches('CREATE-201', 'CREATE-201.minimal')).toBe(false);
    expect(globMatches('NO-5XX', 'NO-5XX-FUZZ')).toBe(false);
    expect(ids().filter((id) => globMatches('NO-5XX*', id))).toEqual(['NO-5XX-FUZZ', 'NO-5XX']);
  });
});

describe('--level on the command line and in the gate config file', () => {
  it('conform --list prints each effective level and where it came from', async () => {
    const io = captureOutput();
    expect(await main(['conform', '--list', '--profile', 'strict', '--level', 'SCHEMA-400.*=should', '--level', 'METHOD-405-ALLOW.*=off'], io)).toBe(0);
    const line = (id: string) => io.stdout().split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    expect(line('DUP-409')).toMatch(/^DUP-409\s+MUST\s+profile\s+recommended\s/);
    expect(line('DUP-4XX')).toMatch(/^DUP-4XX\s+MUST\s+default\s+spec\s/);
    expect(line('SCHEMA-400./userProfileId.required')).toMatch(/\sSHOULD\s+override\(SCHEMA-400\.\*\)\s+spec\s/);
    expect(line('METHOD-405-ALLOW.GET')).toMatch(/\sOFF\s+override\(METHOD-405-ALLOW\.\*\)\s+recommended\s/);
  });

  it.each([
    [['conform', '--list', '--level', 'SCHEMA-400=must'], /--level: "SCHEMA-400" matches no check ID.*'SCHEMA-400\.\*'/],
    [['conform', '--list', '--level', 'NOPE-*=off'], /--level: "NOPE-\*" matches no check ID/],
    [['conform', '--list', '--level', 'SCHEMA-400.*=required'], /--level: "SCHEMA-400\.\*=required": the level must be must, should, may or off/],
    [['conform', '--list', '--level', 'SCHEMA-400.*'], /--level: "SCHEMA-400\.\*" is not PATTERN=LEVEL/],
    [['gate', '--level', 'NOPE-*=off'], /--level: "NOPE-\*" matches no check ID/],
  ])('a bad --level exits 2 naming it: %j', async (argv, message) => {
    const io = captureOutput();
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr()).toMatch(message);
  });

  it('the gate config file: levels in file order, flags after them (the last match wins), and a pattern matching nothing names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stampede-levels-'));
    const path = join(dir, 'gate.json');
    await writeFile(path, '{ "conformance": { "levels": { "SCHEMA-400.*": "must", "METHOD-405-ALLOW.*": "off" } } }');
    const options = resolveGateOptions({ config: path, level: ['METHOD-405-ALLOW.GET=should'] }, await loadGateConfig(path));
    expect(options.conformance.levels.map((r) => [r.pattern, r.level, r.given])).toEqual([
      ['SCHEMA-400.*', 'MUST', `${path} /conformance/levels`],
      ['METHOD-405-ALLOW.*', 'OFF', `${path} /conformance/levels`],
      ['METHOD-405-ALLOW.GET', 'SHOULD', '--level'],
    ]);
    const get = catalogueInstances().find((c) => c.id === 'METHOD-405-ALLOW.GET')!;
    expect(effectiveLevel(get, 'default', options.conformance.levels).level).toBe('SHOULD');

    await writeFile(path, '{ "conformance": { "levels": { "NOPE.*": "must" } } }');
    const attempt = async () => resolveGateOptions({ config: path }, await loadGateConfig(path));
    await expect(attempt()).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(attempt()).rejects.toThrow(/--config: \S+gate\.json \/conformance\/levels "NOPE\.\*" matches no check ID/);
    await writeFile(path, '{ "conformance": { "levels": { "SCHEMA-400.*": "sometimes" } } }');
    await expect(attempt()).rejects.toThrow(/gate\.json does not fit the gate config schema: \/conformance\/levels\/SCHEMA-400\.\* must be equal to one of the allowed values/);
  });

  it('a run: off checks are not sent and are listed in config.levels; each check records its level, default and origin; the reports show them', async () => {
    const service = await start({ faults: ['no-validation'] });
    const out = await mkdtemp(join(tmpdir(), 'stampede-levels-run-'));
    const io = captureOutput();
    const code = await main(
      ['conform', '--target', service.url, '--fuzz', '0', '--seed', '31', '--out', out, '--level', 'SCHEMA-400.*=off', '--level', 'MALFORMED-400.*=should', '--level', 'DUP-409=must'],
      io,
    );
    const doc = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(resultDocumentViolations(doc)).toEqual([]);
    expect(doc.checks!.some((c) => inFamily(c.id, 'SCHEMA-400'))).toBe(false);
    const off = (doc.config.levels as { off: string[] }).off;
    expect(off.length).toBe(ids().filter((id) => inFamily(id, 'SCHEMA-400')).length);
    // Without validation the malformed bodies get 201: failures, but SHOULD by the rule, so only warnings.
    const malformed = doc.checks!.find((c) => c.id === 'MALFORMED-400.truncated-json:half')!;
    expect(malformed).toMatchObject({ verdict: 'fail', level: 'SHOULD', defaultLevel: 'MUST', levelFrom: 'override', levelRule: 'MALFORMED-400.*', source: 'spec' });
    expect(doc.checks!.find((c) => c.id === 'DUP-409')).toMatchObject({ verdict: 'pass', level: 'MUST', defaultLevel: 'SHOULD', levelFrom: 'override' });
    expect(doc.checks!.find((c) => c.id === 'CREATE-201')).toMatchObject({ level: 'MUST', levelFrom: 'default', source: 'spec' });
    expect(doc.verdict).toBe('pass');
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/WARN MALFORMED-400\.truncated-json:half \[override MALFORMED-400\.\*\]/);
    expect(io.stdout()).toMatch(/^OFF +\d+ checks off \(level rules\), not run: SCHEMA-400\./m);
    const level = 'SHOULD · spec · override MALFORMED-400.* (default MUST)';
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(level.replace('*', '\\*')); // Markdown escapes the *
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain(level);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain(level);
  });
});
