// TLS: `stampede serve --tls-cert/--tls-key` (HTTP/1.1 over TLS) and last-byte bursts against https:// targets, with a
// self-signed certificate generated at test time by openssl.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { specExample } from '../../contract/example.ts';
import type { Output } from '../../cli/output.ts';
import { resolveRaceOptions } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { runRace } from './race-run.ts';

const BIN = fileURLToPath(new URL('../../../bin/stampede.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('last-byte bursts over TLS (https:// target, self-signed certificate, --insecure)', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService({ tlsCert: cert, tlsKey: key }), startService({ tlsCert: cert, tlsKey: key, faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('the service speaks HTTPS; a correct one gives one 201 per burst, race:tick more than one in ≥ 99 % of bursts', async () => {
    expect(correct.url).toMatch(/^https:\/\//);
    const ok = await runRace(resolveRaceOptions({ target: correct.url, insecure: true, bursts: 30, width: 16, seed: 1, baseline: 0 }), { toolVersion: 'test' });
    expect(ok.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 15)).toBe(true);
    expect(ok.verdict).toBe('pass');
    const bad = await runRace(resolveRaceOptions({ target: racy.url, insecure: true, bursts: 100, width: 32, seed: 2, baseline: 0, warmup: true }), { toolVersion: 'test' });
    expect(bad.race!.detectionRate).toBeGreaterThanOrEqual(0.99);
  });

  it('without --insecure an untrusted certificate is a usage error naming --target (exit 2)', async () => {
    let err = '';
    const output: Output = { out: () => {}, err: (s) => void (err += s), version: 'test' };
    const code = await main(['race', '--target', correct.url, '--bursts', '1', '--out', join(dir, 'untrusted')], output);
    expect(code).toBe(2);
    expect(err).toContain('--target');
  });
});

describe('stampede serve --tls-cert --tls-key', () => {
  it('listens on https:// and answers 201 then 409', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          text += s;
          const match = /listening on (https:\/\/\S+)/.exec(text);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
      });
      const post = () =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${url}/user-profiles`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(JSON.stringify(specExample('0b7c3f0e-4d43-4c8e-9a53-3f2e1d0c9b8a')));
        });
      expect([await post(), await post()]).toEqual([201, 409]);
    } finally {
      child.kill('SIGINT');
    }
  });
});
