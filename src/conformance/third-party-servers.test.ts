// Verdicts on services that are not ours: a minimal but correct implementation of the spec (written here), the most
// common Node stack (a default Express 4 app), a service that registers bodies without an ID, and the Prism mock fed
// our own OpenAPI document. A spec-correct service passes `conform` and `gate` with SHOULD warnings, and fails with
// --profile strict; a service breaking what the spec requires fails a MUST.

import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { CheckResult, ResultDocument } from '../result/result-document.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { listenInProcess, startExpressApp, startPrismMock, type ThirdPartyServer } from '../testing/third-party-servers.ts';
import { inFamily } from './catalogue.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIMIT = 1024 * 1024; // bytes

/**
 * The minimal but correct implementation (issue 12): registers a profile when userProfileId is a UUID and countryCode
 * two capital letters, answers 409 problem+json to a duplicate (IDs compared canonically), 400 to anything it cannot
 * register, 415 to a body that is not JSON, 413 over 1 MiB, 405 to other methods, and ignores every other field.
 * Without `requireId` it also registers a body that has no userProfileId (under an ID of its own): not correct.
 */
function minimalService(options: { requireId: boolean } = { requireId: true }): Server {
  const registered = new Set<string>();
  let anonymous = 0;
  return createServer((req, res) => {
    const problem = (status: number, title: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
      res.end(JSON.stringify({ type: 'about:blank', title, status }));
    };
    if (req.url !== '/user-profiles') return void (req.resume(), problem(404, 'Not Found'));
    if (req.method !== 'POST') return void (req.resume(), problem(405, 'Method Not Allowed', { allow: 'POST' }));
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return void (req.resume(), problem(415, 'Unsupported Media Type'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > LIMIT) return problem(413, 'Content Too Large');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return problem(400, 'Not JSON');
      }
      const profile = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
      const id = profile?.userProfileId ?? (options.requireId || !profile ? undefined : `anonymous-${++anonymous}`);
      const country = profile?.countryCode;
      const idOk = typeof id === 'string' && (UUID.test(id) || (!options.requireId && id.startsWith('anonymous-')));
      if (!idOk || typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) return problem(400, 'Cannot register this profile');
      const key = (id as string).toLowerCase();
      if (registered.has(key)) return problem(409, 'User profile already exists');
      registered.add(key);
      res.writeHead(201, { 'content-length': '0' });
      res.end();
    });
  });
}

let minimal: ThirdPartyServer;
let express: ThirdPartyServer;
let scratch: string;
beforeAll(async () => {
  [minimal, express] = await Promise.all([listenInProcess(minimalService().listen(0, '127.0.0.1')), startExpressApp()]);
  scratch = await mkdtemp(join(tmpdir(), 'stampede-third-party-'));
});
afterAll(async () => {
  await Promise.all([minimal?.close(), express?.close()]);
});

let runs = 0;
async function run(argv: string[]): Promise<{ code: number; doc: ResultDocument; stdout: string; stderr: string }> {
  const out = join(scratch, `run-${++runs}`);
  const io = captureOutput();
  // A seed per run: one target serves several runs, and each run must send IDs of its own.
  const code = await main([...argv, '--seed', String(4000 + runs), '--out', out], io);
  const doc = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as ResultDocument;
  expect(resultDocumentViolations(doc)).toEqual([]);
  return { code, doc, stdout: io.stdout(), stderr: io.stderr() };
}

const conform = (target: string, ...more: string[]) => run(['conform', '--target', target, '--fuzz', '30', ...more]);
// Short phases, and thresholds out of the way: what is under test here is the conformance levels, not the speed.
const gate = (target: string, ...more: string[]) =>
  run(['gate', '--target', target, '--duration', '1s', '--connections', '4', '--bursts', '3', '--width', '8', '--baseline', '0', '--fuzz', '20', '--probe', 'sample:300', '--max-p99', '5s', '--min-throughput', '0', ...more]);

const failed = (doc: ResultDocument, level?: string) => (doc.checks ?? []).filter((c) => c.verdict === 'fail' && (level === undefined || c.level === level));
const ids = (checks: CheckResult[]) => checks.map((c) => c.id);

describe('a spec-correct service passes in the default profile, listing its SHOULD warnings, and fails with --profile strict', () => {
  it('the minimal implementation: conform passes with warnings for the contract rules it does not enforce', async () => {
    const { code, doc, stdout } = await conform(minimal.url);
    expect(failed(doc, 'MUST')).toEqual([]);
    const warnings = ids(failed(doc, 'SHOULD'));
    expect(warnings).toEqual(expect.arrayContaining(['SCHEMA-400./countryCode.enum:UK', 'SCHEMA-400./unexpectedProperty.additionalProperties:unknown-property', 'SCHEMA-400./sdkAuditEvents.minItems']));
    expect(warnings.some((id) => id.startsWith('MALFORMED-400.invalid-utf8:'))).toBe(true);
    expect(doc.verdict).toBe('pass');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SHOULD +\d+ checks: \d+ pass, [1-9]\d* warn, 0 unknown$/m);
    expect(stdout).toMatch(/^ {2}WARN SCHEMA-400\./m);
    expect(doc.verdictReasons.join('\n')).toMatch(/^warning: \d+ SHOULD check\(s\) failed: /m);

    const strict = await conform(minimal.url, '--profile', 'strict');
    expect(ids(failed(strict.doc, 'MUST'))).toEqual(expect.arrayContaining(['SCHEMA-400./countryCode.enum:UK']));
    expect(strict.doc.checks!.find((c) => c.id === 'SCHEMA-400./countryCode.enum:UK')).toMatchObject({ level: 'MUST', levelFrom: 'profile', defaultLevel: 'SHOULD' });
    expect(strict.doc.verdict).toBe('fail');
    expect(strict.code).toBe(1);
  });

  it('the default Express app: conform passes with warnings (413 to the 100-event profile, lenient UTF-8, 404 for 405, 400 for 415)', async () => {
    const { code, doc } = await conform(express.url);
    expect(failed(doc, 'MUST')).toEqual([]);
    const warnings = ids(failed(doc, 'SHOULD'));
    expect(warnings).toEqual(expect.arrayContaining(['CREATE-201.max-events', 'METHOD-405-ALLOW.GET', 'CT-415.text-plain', 'ERROR-PROBLEM-JSON', 'SCHEMA-400./countryCode.enum:UK']));
    expect(warnings.filter((id) => id.startsWith('MALFORMED-400.invalid-utf8:')).length).toBe(6);
    expect(doc.checks!.find((c) => c.id === 'CREATE-201.max-events')?.observed?.status).toBe(413);
    expect(doc.verdict).toBe('pass');
    expect(code).toBe(0);

    const strict = await conform(express.url, '--profile', 'strict');
    expect(ids(failed(strict.doc, 'MUST'))).toEqual(expect.arrayContaining(['CREATE-201.max-events', 'METHOD-405-ALLOW.GET']));
    expect(strict.code).toBe(1);
  });

  it.each([
    ['the minimal implementation', () => minimal.url],
    ['the default Express app', () => express.url],
  ])('%s: gate passes in the default profile with its SHOULD warnings in the report, and fails with --profile strict', async (_name, url) => {
    const { code, doc, stdout } = await gate(url());
    expect(doc.phases?.map((p) => [p.name, p.verdict])).toEqual([['load', 'pass'], ['race', 'pass'], ['conformance', 'pass']]);
    expect(failed(doc, 'MUST')).toEqual([]);
    expect(failed(doc, 'SHOULD').length).toBeGreaterThan(0);
    expect(doc.verdict).toBe('pass');
    expect(code).toBe(0);
    // The Markdown summary on stdout lists the warnings, each with its level and source.
    expect(stdout).toMatch(/stampede: PASS/);
    expect(stdout).toMatch(/\| SCHEMA-400\.[^|]+ \| SHOULD · contract \| ⚠️ WARN \|/);

    const strict = await gate(url(), '--profile', 'strict');
    expect(strict.doc.phases?.find((p) => p.name === 'conformance')?.verdict).toBe('fail');
    expect(strict.code).toBe(1);
  }, 60_000); // ms: two short gates
});

describe('what the spec requires stays a MUST', () => {
  it('a service answering 2xx to a body without userProfileId fails a MUST (exit 1)', async () => {
    const loose = await listenInProcess(minimalService({ requireId: false }).listen(0, '127.0.0.1'));
    try {
      const { code, doc } = await conform(loose.url);
      const check = doc.checks!.find((c) => c.id === 'SCHEMA-400./userProfileId.required')!;
      expect(check).toMatchObject({ verdict: 'fail', level: 'MUST', source: 'spec', levelFrom: 'default' });
      expect(check.observed?.status).toBe(201);
      expect(doc.verdict).toBe('fail');
      expect(code).toBe(1);
    } finally {
      await loose.close();
    }
  });
});

describe('the Prism mock fed our own OpenAPI document', () => {
  let prism: ThirdPartyServer;
  beforeAll(async () => {
    prism = await startPrismMock();
  }, 60_000); // ms: Prism starts in ~2 s here
  afterAll(async () => {
    await prism?.close();
  });

  it('every CREATE-201 passes (our document and our generators agree with an independent validator); DUP-4XX fails (a stateless mock accepts duplicates)', async () => {
    const { code, doc } = await conform(prism.url);
    const creates = doc.checks!.filter((c) => inFamily(c.id, 'CREATE-201'));
    expect(creates.length).toBe(8);
    expect(creates.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(doc.checks!.find((c) => c.id === 'DUP-4XX')).toMatchObject({ verdict: 'fail', level: 'MUST' });
    expect(doc.checks!.find((c) => c.id === 'DUP-4XX')?.observed?.status).toBe(201);
    expect(code).toBe(1);
  });
});
