// The durability check confirms a lost write before reporting it, in every path that probes: `load` (and the gate's
// load phase), `merge --probe-target` and `k6`. A reference service that loses writes still gets confirmed U3
// violations (the probe's 2xx, then a conflict to its confirmation, both in the example timeline); targets that accept
// duplicates (a node:http one written here, and json-server 0.17) get U1 with examples and never a lost write.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { resultDocumentViolations } from '../contract/validators.ts';
import { resolveLoadOptions } from '../options/load-options.ts';
import type { InvariantResult, ResultDocument } from '../result/result-document.ts';
import { specExample } from '../contract/example.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { postJson } from '../testing/http-client.ts';
import { listenInProcess, startJsonServer, type ThirdPartyServer } from '../testing/third-party-servers.ts';
import { useServices } from '../testing/services.ts';
import { runLoad } from './load-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const services = useServices();
const running: ThirdPartyServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});
const invariant = (doc: ResultDocument, id: string): InvariantResult => doc.invariants.find((i) => i.id === id)!;

/** Like json-server: every JSON POST gets 201 and an `id` of the server's own; a userProfileId already stored is no conflict. */
async function acceptsDuplicates(): Promise<string> {
  let next = 0;
  const server = await listenInProcess(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(404).end();
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return void res.writeHead(400).end();
        }
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: ++next }));
      });
    }).listen(0, '127.0.0.1'),
  );
  running.push(server);
  return server.url;
}

/** A U1 example of an ID acknowledged by the load phase, then by the probe and by its confirmation. */
function expectDuplicatesAccepted(doc: ResultDocument): void {
  expect(resultDocumentViolations(doc)).toEqual([]);
  const u1 = invariant(doc, 'U1');
  expect(u1.verdict).toBe('fail');
  expect(u1.examples.length).toBeGreaterThan(0);
  expect(u1.detail).toContain('the target accepts duplicates');
  const u3 = invariant(doc, 'U3');
  expect(u3).toMatchObject({ verdict: 'unknown', violations: 0, examples: [] });
  expect(u3.detail).toMatch(/undecidable: the target accepts duplicates/);
  expect(doc.probe!.lostWrites).toBe(0);
  expect(doc.verdict).toBe('fail');
}

describe('stampede load', () => {
  it('lose-writes:0.05 (reference service): lost writes are confirmed and reported, each example showing both probe answers', async () => {
    const service = await services({ faults: ['lose-writes:0.05'] });
    const doc = await runLoad(resolveLoadOptions({ target: service.url, requests: 2000, connections: 8, dupRatio: 0, seed: 81 }), { toolVersion: 'test' });
    const u3 = invariant(doc, 'U3');
    expect(u3.verdict).toBe('fail');
    expect(u3.violations).toBeGreaterThan(40);
    expect(doc.probe!.lostWrites).toBe(u3.violations);
    // Every suspect was confirmed: the reference service forgets, it never accepts duplicates.
    expect(u3.detail).not.toContain('undecidable');
    expect(doc.totals.byKind.probe!.sent).toBe(doc.probe!.probed + u3.violations);
    for (const example of u3.examples) {
      expect(example.timeline.map((a) => [a.kind, a.status])).toEqual([
        ['first', 201],
        ['probe', 201],
        ['probe', 409],
      ]);
      expect(example.note).toMatch(/^lost acknowledged write, confirmed: /);
    }
    expect(invariant(doc, 'U1').violations).toBe(0);
  });

  it('a node:http target that accepts duplicates: U1 fails with examples (three acknowledgements), no lost write', async () => {
    const url = await acceptsDuplicates();
    const doc = await runLoad(resolveLoadOptions({ target: url, requests: 400, connections: 4, dupRatio: 0.1, seed: 82 }), { toolVersion: 'test' });
    expectDuplicatesAccepted(doc);
    const acknowledged = doc.probe!.acknowledged;
    // Every acknowledged ID was probed, answered 2xx, and confirmed with another 2xx.
    expect(doc.totals.byKind.probe).toMatchObject({ sent: 2 * acknowledged, ok: 0, fail: 2 * acknowledged });
    expect(invariant(doc, 'U1').violations).toBe(acknowledged);
  });
});

describe('stampede merge --probe-target and stampede k6', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`./k6/fixtures/${name}`, import.meta.url));
  let runs = 0;
  async function cli(...args: string[]): Promise<{ code: number; doc: ResultDocument; err: string }> {
    const io = captureOutput();
    const out = join(dir, `run-${++runs}`);
    const code = await main([...args, '--out', out], io);
    return { code, doc: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument, err: io.stderr() };
  }

  it('merge against json-server 0.17 as the probe target: the acknowledged IDs come back 2xx twice: U1, never a lost write', async () => {
    const server = await startJsonServer();
    running.push(server);
    const { code, doc, err } = await cli('merge', fixture('machine-a.json'), '--probe-target', server.url);
    expect(code, err).toBe(1);
    expectDuplicatesAccepted(doc);
    expect(err).toMatch(/re-submitting each once more to confirm/);
  });

  it('merge against a service that lost every write: each lost write confirmed by a conflict to its confirmation', async () => {
    const service = await services({ faults: ['lose-writes:1'] });
    // What machine A registered there (answered 201, then lost): the IDs of the file's requests.
    const ids = [...new Set([...readFileSync(fixture('machine-a.json'), 'utf8').matchAll(/"profile_id":"([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect((await postJson(service.url, specExample(id))).status).toBe(201);
    const { code, doc } = await cli('merge', fixture('machine-a.json'), '--probe-target', service.url);
    expect(code).toBe(1);
    const u3 = invariant(doc, 'U3');
    expect(u3).toMatchObject({ verdict: 'fail' });
    expect(u3.violations).toBe(doc.probe!.acknowledged);
    expect(u3.examples[0]!.timeline.slice(-2).map((a) => [a.kind, a.status])).toEqual([
      ['probe', 201],
      ['probe', 409],
    ]);
    expect(invariant(doc, 'U1').violations).toBe(0);
  });

  it('k6 (the stand-in k6 of the k6 tests on PATH) against a target that accepts duplicates: U1 with examples, no lost write', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${fixture('fake-k6.mjs')}" "$@"\n`);
    chmodSync(join(bin, 'k6'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    process.env.FAKE_K6_REQUESTS = '16';
    try {
      const url = await acceptsDuplicates();
      const { code, doc, err } = await cli('k6', 'throughput', '--target', url, '--rate', '20', '--duration', '1s', '--seed', '83');
      expect(code, err).toBe(1);
      expectDuplicatesAccepted(doc);
    } finally {
      process.env.PATH = path;
      delete process.env.FAKE_K6_REQUESTS;
    }
  });
});

describe('stampede gate', () => {
  it("the gate's load phase against a target that accepts duplicates: U1 with examples, no lost write", async () => {
    const url = await acceptsDuplicates();
    const io = captureOutput();
    const out = join(dir, 'gate');
    const code = await main(['gate', '--target', url, '--duration', '1s', '--connections', '4', '--bursts', '0', '--fuzz', '5', '--min-throughput', '0', '--out', out], io);
    expect(code).toBe(1);
    const load = JSON.parse(readFileSync(join(out, 'phases', 'load.json'), 'utf8')) as ResultDocument;
    expectDuplicatesAccepted(load);
    const combined = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    expect(combined.verdictReasons.join('\n')).not.toMatch(/U3 durability: \d+ violation/);
  }, 60_000);
});
