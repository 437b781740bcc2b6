// The `stampede` command as a user runs it: help, usage errors (exit 2), and `serve` end to end over HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { captureOutput } from '../testing/capture-output.ts';
import { buildProgram } from './program.ts';


const BIN = fileURLToPath(new URL('../../bin/stampede.js', import.meta.url));
const stampede = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });

const commands = buildProgram({ out: () => {}, err: () => {}, version: 'test' }, () => {}).commands.map((c) => c.name());

describe('stampede CLI', () => {
  it('has a --help for the program (the real binary) and for every command', async () => {
    const top = stampede('--help');
    expect(top.status).toBe(0);
    // One process per command would cost ~1 s each with tsx: the commands' help goes through main() in-process.
    for (const name of commands) {
      expect(top.stdout).toContain(name);
      const io = captureOutput();
      expect(await main([name, '--help'], io), io.stderr()).toBe(0);
      expect(io.stdout()).toContain(`Usage: stampede ${name}`);
    }
  });

  it('the real binary: an unknown option exits 2 and names the option', () => {
    const result = stampede('load', '--no-such-option');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-option'");
  });

  it.each(commands)('%s: an unknown option exits 2 and names the option', async (name) => {
    const io = captureOutput();
    expect(await main([name, '--no-such-option'], io)).toBe(2);
    expect(io.stderr()).toContain("unknown option '--no-such-option'");
  });

  it('no command at all is a usage error (exit 2) that shows the help', () => {
    const result = stampede();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: stampede');
  });

  it.each([
    [['serve', '--port', '99999'], '--port: must be at most 65535'],
    [['serve', '--max-body', 'lots'], '--max-body: "lots" is not a size'],
    [['serve', '--fault', 'latency:50'], '--fault "latency:50": "50" is not a duration'],
    [['serve', '--fault', 'meteor'], 'unknown fault "meteor"'],
  ])('bad option values exit 2 with the option and the rule: %j', (args, message) => {
    const result = stampede(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('serve on a port already in use exits 2 and says what to do', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = stampede('serve', '--port', String(port));
    blocker.close();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`port ${port} is in use`);
  });

  it('contract prints the OpenAPI document, the schema and an example', () => {
    expect(JSON.parse(stampede('contract').stdout).openapi).toBe('3.1.0');
    expect(JSON.parse(stampede('contract', '--format', 'schema').stdout).$schema).toContain('2020-12');
    expect(JSON.parse(stampede('contract', '--format', 'example').stdout).countryCode).toBe('US');
  });

  it('serve prints its URL and a working example request, and a summary when stopped with Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--seed', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const banner = await new Promise<string>((resolve, reject) => {
      const safety = setTimeout(() => reject(new Error(`no banner: ${stdout}`)), 15_000);
      child.stdout.on('data', (text: string) => {
        stdout += text;
        if (stdout.includes('Stop with Ctrl-C')) {
          clearTimeout(safety);
          resolve(stdout);
        }
      });
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    // The printed curl line, replayed: its body must register (201), then conflict (409).
    const body = /-d '([^']+)'/.exec(banner)?.[1];
    expect(banner).toContain(`curl -i -X POST ${url}/user-profiles -H 'Content-Type: application/json'`);
    const post = () => fetch(`${url}/user-profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(409);

    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stdout).toContain('stampede serve stopped (SIGINT): requests 2 (201: 1, 409: 1) · dropped 0 · profiles 1');
  });
});
