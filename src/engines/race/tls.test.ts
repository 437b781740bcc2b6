// TLS: `stampede serve --tls-cert/--tls-key [--http2]` (HTTP/1.1, or HTTP/2 by ALPN h2), last-byte and single-packet
// bursts against https:// targets, and the serve banner's curl line, with a self-signed certificate made by openssl.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Output } from '../../cli/output.ts';
import { resolveRaceOptions } from '../../options/race-options.ts';
import { startService, type RunningService } from '../../service/start-service.ts';
import { runRace } from './race-run.ts';

const BIN = fileURLToPath(new URL('../../../bin/stampede.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stampede-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
// EC P-256 rather than RSA: these tests make thousands of handshakes, each a fraction of RSA-2048's cost.
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('last-byte bursts over TLS (https:// target, self-signed certificate, --insecure)', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    [correct, racy] = await Promise.all([startService({ tlsCert: cert, tlsKey: key }), startService({ tlsCert: cert, tlsKey: key, faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('the service speaks HTTPS; a correct one gives one 201 per burst, race:tick more than one in ≥ 99 % of 40 bursts of 32 (TLS handshakes dominate: the 100-burst figure is tested in plain HTTP)', async () => {
    expect(correct.url).toMatch(/^https:\/\//);
    const ok = await runRace(resolveRaceOptions({ target: correct.url, insecure: true, bursts: 30, width: 16, seed: 1, baseline: 0 }), { toolVersion: 'test' });
    expect(ok.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 15)).toBe(true);
    expect(ok.verdict).toBe('pass');
    const bad = await runRace(resolveRaceOptions({ target: racy.url, insecure: true, bursts: 40, width: 32, seed: 2, baseline: 0, warmup: true }), { toolVersion: 'test' });
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

describe('single-packet bursts over TLS (HTTP/2 by ALPN h2, --insecure)', () => {
  let correct: RunningService;
  let racy: RunningService;
  beforeAll(async () => {
    const tls = { tlsCert: cert, tlsKey: key, http2: true };
    [correct, racy] = await Promise.all([startService(tls), startService({ ...tls, faults: ['race:tick'] })]);
  });
  afterAll(() => Promise.all([correct.close(), racy.close()]));

  it('correct service: zero bursts with more than one success in 100 bursts of 32, each released in one write (TLS may split at most 2 on a loaded machine)', async () => {
    expect(correct.url).toMatch(/^https:\/\//);
    const doc = await runRace(resolveRaceOptions({ target: correct.url, insecure: true, sync: 'single-packet', bursts: 100, width: 32, seed: 3, baseline: 3 }), { toolVersion: 'test' });
    expect(doc.race!.reproduced).toBe(0);
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 31)).toBe(true);
    expect(doc.race!.baseline).toMatchObject({ sync: 'naive', bursts: 3 }); // naive HTTP/2 over TLS answered too
    // Each burst's final frames leave in one socket write; on a loaded machine TLS may now and then flush a burst in
    // two (the run says so in its reasons): at most a couple of the 100.
    const split = /the final frames of (\d+) burst\(s\) left in more than one socket write/.exec(doc.verdictReasons.join(' '));
    expect(Number(split?.[1] ?? 0)).toBeLessThanOrEqual(2);
    expect(doc.verdict).toBe('pass');
  });

  it('race:tick: more than one success in ≥ 99 % of 100 bursts of 32', async () => {
    const doc = await runRace(resolveRaceOptions({ target: racy.url, insecure: true, sync: 'single-packet', bursts: 100, width: 32, seed: 4, baseline: 0 }), { toolVersion: 'test' });
    expect(doc.race!.bursts).toHaveLength(100);
    expect(doc.race!.detectionRate).toBeGreaterThanOrEqual(0.99);
    expect(doc.verdict).toBe('fail');
  });

  it('the same service still answers HTTP/1.1 clients over TLS (ALPN http/1.1): last-byte bursts work against it', async () => {
    const doc = await runRace(resolveRaceOptions({ target: correct.url, insecure: true, bursts: 5, width: 8, seed: 5, baseline: 0 }), { toolVersion: 'test' });
    expect(doc.race!.bursts.every((b) => b.successes === 1 && b.statuses.filter((s) => s === 409).length === 7)).toBe(true);
  });

  it('an HTTPS target that does not offer h2: single-packet stops at once naming ALPN h2 (target trouble: verdict unknown)', async () => {
    const http1 = await startService({ tlsCert: cert, tlsKey: key });
    try {
      const troubles: string[] = [];
      const doc = await runRace(resolveRaceOptions({ target: http1.url, insecure: true, sync: 'single-packet', bursts: 3, width: 2, baseline: 0 }), { toolVersion: 'test', onTrouble: (line) => troubles.push(line) });
      expect(doc.verdict).toBe('unknown');
      expect(doc.race!.bursts).toEqual([]);
      expect(troubles).toHaveLength(1);
      expect(troubles[0]).toMatch(/^burst 1 of 3 not sent: .*ALPN h2.*use last-byte/);
      expect(doc.verdictReasons[0]).toBe(troubles[0]);
    } finally {
      await http1.close();
    }
  });
});

/** Start `stampede serve …` and run the curl line its banner prints, twice: the two status lines curl shows. */
async function curlFromBanner(args: string[]): Promise<{ url: string; curl: string; statusLines: string[]; banner: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        text += s;
        if (text.includes('Stop with Ctrl-C')) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
    });
    const url = /listening on (\S+)/.exec(banner)![1]!;
    const curl = /^ {2}(curl .*)$/m.exec(banner)![1]!;
    const run = () => execFileSync('bash', ['-c', curl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\r\n')[0]!;
    return { url, curl, statusLines: [run(), run()], banner };
  } finally {
    child.kill('SIGINT');
  }
}

describe('stampede serve --tls-cert --tls-key [--http2]: the curl line of the banner works as printed', () => {
  it('HTTPS (HTTP/1.1): https:// and curl -k → 201 then 409', async () => {
    const { url, curl, statusLines } = await curlFromBanner(['--tls-cert', cert, '--tls-key', key]);
    expect(url).toMatch(/^https:\/\//);
    expect(curl).toMatch(/^curl -i -k -X POST https:/);
    expect(statusLines).toEqual([expect.stringMatching(/^HTTP\/1\.1 201/), expect.stringMatching(/^HTTP\/1\.1 409/)]);
  });

  it('--http2 --tls (a generated self-signed certificate, fingerprint printed): h2 by ALPN, curl -k --http2 → HTTP/2 201 then 409', async () => {
    const { url, curl, statusLines, banner } = await curlFromBanner(['--http2', '--tls']);
    expect(url).toMatch(/^https:\/\//);
    expect(banner).toMatch(/TLS: a self-signed certificate generated for this run, SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(curl).toContain('curl -i -k --http2 -X POST https:');
    expect(statusLines).toEqual([expect.stringMatching(/^HTTP\/2 201/), expect.stringMatching(/^HTTP\/2 409/)]);
  });

  it('--http2 without TLS: h2c, curl --http2-prior-knowledge → HTTP/2 201 then 409', async () => {
    const { url, curl, statusLines } = await curlFromBanner(['--http2']);
    expect(url).toMatch(/^http:\/\//);
    expect(curl).toContain('curl -i --http2-prior-knowledge -X POST http:');
    expect(statusLines).toEqual([expect.stringMatching(/^HTTP\/2 201/), expect.stringMatching(/^HTTP\/2 409/)]);
  });
});
