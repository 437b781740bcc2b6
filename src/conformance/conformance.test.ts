// stampede conform against real services on loopback: the reference service (with and without faults) and an odd
// target answering 400 to duplicates. Every failure's curl command is run and must reproduce the observed status.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationCatalogue } from '../../generators/mutations.ts';
import { main } from '../cli/main.ts';
import type { Output } from '../cli/output.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import type { CheckResult, ResultDocument } from '../result/result-document.ts';
import { startService, type RunningService } from '../service/start-service.ts';
import { inFamily, isBodyContentCheck, mutationInstances } from './catalogue.ts';

const FUZZ = '40';
let scratch: string;
const services: RunningService[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stampede-conform-'));
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close(100)));
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(scratch, { recursive: true, force: true });
});

function buffered(): Output & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), version: '0.0.0-test', stdout: () => out, stderr: () => err };
}

let runs = 0;
async function conform(args: string[]): Promise<{ code: number; doc: ResultDocument; dir: string; output: ReturnType<typeof buffered> }> {
  const dir = join(scratch, `run-${++runs}`);
  const output = buffered();
  // A seed per run: a target keeps the IDs it registered, and two runs against one target must not share IDs.
  const code = await main(['conform', '--fuzz', FUZZ, '--seed', String(100 + runs), '--out', dir, ...args], output);
  const doc = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as ResultDocument;
  return { code, doc, dir, output };
}

async function reference(faults: string[] = []): Promise<string> {
  const service = await startService({ port: 0, faults });
  services.push(service);
  return service.url;
}

/** Run a check's curl command with bash; the status of the final answer it printed (curl -i). */
function runCurl(command: string, env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', command], { env: { ...process.env, ...env }, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(new Error(`${command.slice(0, 200)}: ${error.message}`));
      const statuses = [...stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1])).filter((s) => s >= 200);
      if (statuses.length === 0) return reject(new Error(`no status line from: ${command.slice(0, 200)}`));
      resolve(statuses.at(-1)!);
    });
  });
}

/** Every failed check has a curl command; running each against the same target gives the observed status. */
async function expectCurlsReproduce(checks: CheckResult[], env: Record<string, string> = {}): Promise<void> {
  const failed = checks.filter((c) => c.verdict === 'fail');
  expect(failed.length).toBeGreaterThan(0);
  const mismatches: string[] = [];
  for (let i = 0; i < failed.length; i += 8) {
    await Promise.all(
      failed.slice(i, i + 8).map(async (check) => {
        expect(check.curl, check.id).toMatch(/^curl /);
        expect(check.observed?.status, check.id).toBeTypeOf('number');
        const status = await runCurl(check.curl!, env);
        if (status !== check.observed!.status) mismatches.push(`${check.id}: curl got ${status}, the run observed ${check.observed!.status}`);
      }),
    );
  }
  expect(mismatches).toEqual([]);
}

const failedIds = (doc: ResultDocument) => doc.checks!.filter((c) => c.verdict === 'fail').map((c) => c.id).sort();

describe('stampede conform', () => {
  it('reference service: every check passes, one entry per check instance, a valid result document (exit 0)', async () => {
    const { code, doc, output } = await conform(['--target', await reference()]);
    expect(doc.checks!.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(code).toBe(0);
    expect(doc.engine).toBe('conformance');
    expect(doc.verdict).toBe('pass');
    expect(resultDocumentViolations(doc)).toEqual([]);
    const ids = doc.checks!.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    // every label of the mutation catalogue became a check instance
    for (const check of mutationInstances(mutationCatalogue()).values()) expect(ids).toContain(check.id);
    for (const id of ['CREATE-201', 'DUP-4XX', 'DUP-409', 'DUP-CANONICAL-ID', 'CT-415.missing', 'SIZE-413', 'METHOD-405-ALLOW.GET', 'ERROR-PROBLEM-JSON', 'PROBLEM-STATUS-MATCH', 'NO-5XX-FUZZ', 'NO-HANG']) {
      expect(ids).toContain(id);
    }
    expect(doc.totals.sent).toBe(doc.totals.ok + doc.totals.fail + doc.totals.indeterminate);
    expect(doc.totals.fail).toBe(0);
    expect(output.stdout()).toMatch(/^MUST +\d+ checks: \d+ pass, 0 fail, 0 unknown$/m);
    expect(output.stdout()).toMatch(/verdict: PASS/);
  });

  it('fault no-validation: exactly the body-content checks (SCHEMA-400.*, MALFORMED-400.*) fail, and their curl commands reproduce', async () => {
    const target = await reference(['no-validation']);
    const { code, doc } = await conform(['--target', target]);
    const bodyChecks = doc.checks!.filter((c) => isBodyContentCheck(c.id)).map((c) => c.id).sort();
    expect(bodyChecks.length).toBe(mutationCatalogue().length);
    expect(failedIds(doc)).toEqual(bodyChecks);
    expect(doc.checks!.filter((c) => c.verdict === 'unknown')).toEqual([]);
    expect(code).toBe(1);
    await expectCurlsReproduce(doc.checks!);
  });

  it('fault wrong-status:200: exactly the CREATE-201 checks fail; secret header values stay out of the result and the curl reads them from the environment', async () => {
    const target = await reference(['wrong-status:200']);
    const secret = 's3cret-value-do-not-write';
    const { code, doc, dir, output } = await conform(['--target', target, '-H', `X-Api-Key: ${secret}`]);
    expect(failedIds(doc).length).toBeGreaterThan(0);
    expect(failedIds(doc).every((id) => inFamily(id, 'CREATE-201'))).toBe(true);
    expect(doc.checks!.filter((c) => inFamily(c.id, 'CREATE-201')).every((c) => c.verdict === 'fail' && c.observed?.status === 200)).toBe(true);
    expect(code).toBe(1);
    const written = await readFile(join(dir, 'result.json'), 'utf8');
    expect(written).not.toContain(secret);
    expect(output.stdout()).not.toContain(secret);
    expect(doc.checks!.find((c) => c.verdict === 'fail')!.curl).toContain('"$STAMPEDE_HEADER_X_API_KEY"');
    await expectCurlsReproduce(doc.checks!, { STAMPEDE_HEADER_X_API_KEY: secret });
  });

  it('fault errors:1: the server-error checks fail (each observed a 5xx, NO-5XX-FUZZ among them); the checks answered before the body is processed pass', async () => {
    const { code, doc } = await conform(['--target', await reference(['errors:1'])]);
    const failed = doc.checks!.filter((c) => c.verdict === 'fail');
    expect(failed.map((c) => c.id)).toContain('NO-5XX-FUZZ');
    expect(failed.map((c) => c.id)).toContain('DUP-4XX');
    expect(failed.map((c) => c.id)).toContain('CREATE-201');
    expect(failed.filter((c) => !(c.observed?.status !== undefined && c.observed.status >= 500)).map((c) => c.id)).toEqual([]);
    for (const id of ['CT-415.missing', 'SIZE-413', 'METHOD-405-ALLOW.GET', 'NO-HANG', 'ERROR-PROBLEM-JSON']) {
      expect(doc.checks!.find((c) => c.id === id)?.verdict, id).toBe('pass');
    }
    expect(code).toBe(1);
    await expectCurlsReproduce(doc.checks!);
  });

  it('a target answering 400 to duplicates: the duplicate check fails (a warning, a failure under --profile strict) unless --conflict-status 400', async () => {
    const target = await proxy(await reference(), { conflictAs: 400 });
    const plain = await conform(['--target', target]);
    expect(failedIds(plain.doc)).toEqual(['DUP-409']);
    expect(plain.doc.checks!.find((c) => c.id === 'DUP-409')!.observed?.status).toBe(400);
    expect(plain.code).toBe(0); // SHOULD: a warning
    expect(plain.doc.verdictReasons.join(' ')).toMatch(/warning: 1 SHOULD check\(s\) failed: DUP-409/);
    await expectCurlsReproduce(plain.doc.checks!);

    const strict = await conform(['--target', target, '--profile', 'strict']);
    expect(failedIds(strict.doc)).toEqual(['DUP-409']);
    expect(strict.code).toBe(1);

    const configured = await conform(['--target', target, '--conflict-status', '400', '--profile', 'strict']);
    expect(failedIds(configured.doc)).toEqual([]);
    expect(configured.code).toBe(0);
  });

  it('a target that never answers some bodies: NO-HANG and those checks fail with a timeout, and the run still ends', async () => {
    const target = await proxy(await reference(), { hangWhen: (body) => body.includes('unexpectedProperty') });
    const { code, doc } = await conform(['--target', target, '--timeout', '200ms']);
    const noHang = doc.checks!.find((c) => c.id === 'NO-HANG')!;
    expect(noHang.verdict).toBe('fail');
    expect(noHang.observed?.error).toBe('timeout');
    const hung = doc.checks!.filter((c) => c.id.includes('unexpectedProperty'));
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.every((c) => c.verdict === 'fail' && c.observed?.error === 'timeout' && c.curl !== undefined)).toBe(true);
    expect(doc.errors.timeout).toBeGreaterThanOrEqual(hung.length);
    expect(code).toBe(1);
  });

  it('an unreachable target exits 3 with one clear line and no result', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const output = buffered();
    const code = await main(['conform', '--target', `http://127.0.0.1:${port}`, '--out', join(scratch, 'unreachable')], output);
    expect(code).toBe(3);
    const lines = output.stderr().trim().split('\n').filter((l) => l.startsWith('stampede:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/unreachable.*connection refused/);
    expect(output.stdout()).toBe('');
  });

  it('--list prints one check per line starting with its ID, then its level, where it came from, its source, meaning and reference; bad options exit 2 naming the option', async () => {
    const output = buffered();
    expect(await main(['conform', '--list'], output)).toBe(0);
    const lines = output.stdout().trim().split('\n');
    const ids = lines.map((l) => l.split(/\s+/)[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lines.find((l) => l.startsWith('DUP-409 '))).toMatch(/^DUP-409\s+SHOULD\s+default\s+recommended\s+a duplicate ID is answered 409/);
    expect(lines.find((l) => l.startsWith('SCHEMA-400./countryCode.enum:UK'))).toMatch(/\sSHOULD\s+default\s+contract\s/);
    expect(lines.find((l) => l.startsWith('SCHEMA-400./userProfileId.required'))).toMatch(/\sMUST\s+default\s+spec\s/);
    for (const line of lines) expect(line).toMatch(/^\S+\s+(MUST|SHOULD|MAY)\s+default\s+(spec|http|contract|recommended)\s+\S.*\[.+\]$/);

    const bad = buffered();
    expect(await main(['conform', '--profile', 'lenient'], bad)).toBe(2);
    expect(bad.stderr()).toMatch(/--profile: "lenient" is not a profile/);
    const header = buffered();
    expect(await main(['conform', '-H', 'Content-Type: text/plain'], header)).toBe(2);
    expect(header.stderr()).toMatch(/-H: Content-Type is chosen per check/);
  });
});

/**
 * An odd target: the reference service behind a proxy that turns every 409 into `conflictAs` (body and status alike),
 * or never answers a body for which `hangWhen` holds.
 */
async function proxy(upstream: string, odd: { conflictAs?: number; hangWhen?: (body: string) => boolean }): Promise<string> {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (odd.hangWhen?.(body.toString('latin1'))) return;
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      delete headers['transfer-encoding'];
      if (req.method !== 'GET' && req.method !== 'DELETE') headers['content-length'] = String(body.length);
      const forward = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers, agent: false }, (answer: IncomingMessage) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          let status = answer.statusCode ?? 502;
          let out = Buffer.concat(parts);
          if (status === 409 && odd.conflictAs !== undefined) {
            status = odd.conflictAs;
            out = Buffer.from(JSON.stringify({ ...(JSON.parse(out.toString('utf8')) as object), status }));
          }
          const reply: Record<string, string> = { 'content-length': String(out.length) };
          for (const name of ['content-type', 'allow']) if (answer.headers[name]) reply[name] = String(answer.headers[name]);
          res.writeHead(status, reply);
          res.end(out);
        });
      });
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
