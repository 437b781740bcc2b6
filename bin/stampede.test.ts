// The package as users get it: what `npm pack` ships, an install from the tarball that runs, and a fast start that
// loads no heavy library before a command needs it.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledIsCurrent } from './compiled-is-current.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TRACE = join(ROOT, 'src/testing/module-trace.mjs');
/** What no command may load before it needs it (issue 19). */
const HEAVY = ['@faker-js/faker', 'ajv', 'ajv-formats', 'undici', 'autocannon', 'hdr-histogram-js'];

/** Packages a CLI invocation imported (module-trace.mjs), and its stdout. */
async function loadedBy(args: string[]): Promise<{ loaded: string[]; stdout: string }> {
  const { stdout, stderr } = await run(process.execPath, ['--import', TRACE, join(ROOT, 'bin/stampede.js'), ...args], { cwd: ROOT });
  return { loaded: [...stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!), stdout };
}

describe('fast start', () => {
  it('--help and --version load commander only: no faker, ajv, undici, autocannon or hdr-histogram-js', async () => {
    const help = await loadedBy(['--help']);
    expect(help.stdout).toContain('Usage: stampede');
    expect(help.loaded).toContain('commander');
    expect(help.loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
    const version = await loadedBy(['--version']);
    expect(version.stdout.trim()).toBe(VERSION);
    expect(version.loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it('a command loads what it uses and nothing more: `contract` neither faker nor the load engines', async () => {
    const contract = await loadedBy(['contract', '--format', 'openapi']);
    expect(JSON.parse(contract.stdout)).toHaveProperty('openapi');
    expect(contract.loaded.filter((name) => ['@faker-js/faker', 'undici', 'autocannon'].includes(name))).toEqual([]);
  });
});

describe('the published package (npm pack)', () => {
  // A copy of the checkout, packed there. dist/ comes from the checkout's build (vitest's global setup makes it current;
  // `prepack` runs that same build), so npm pack skips its scripts here: the test checks what is shipped, not tsc again.
  const work = mkdtempSync(join(tmpdir(), 'stampede-pack-'));
  const copy = join(work, 'stampede');
  let files: string[] = [];
  let tarball = '';

  beforeAll(async () => {
    if (!compiledIsCurrent(new URL('../', import.meta.url))) await run(process.execPath, [join(ROOT, 'bin/build.js')], { cwd: ROOT });
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'bin', 'src', 'generators', 'reports', 'scenarios', 'dist']) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
    const packed = (JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    files = packed.files.map((f) => f.path);
    tarball = join(work, packed.filename);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships dist/, bin/, the k6 scripts, the README and the licence; no tests, bench, fixtures, stand-ins or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['dist/src/cli.js', 'bin/stampede.js', 'scenarios/k6/throughput.ts', 'scenarios/k6/lib/register.ts', 'README.md', 'LICENSE', 'package.json']));
    const forbidden = files.filter((path) => /\.test\.|(^|\/)(bench|fixtures|stand-ins|testing)\//.test(path) || /^(src|generators|reports)\//.test(path));
    expect(forbidden).toEqual([]);
  });

  it('installs from the tarball into a fresh project: --version prints the version, conform passes against the embedded service', async () => {
    const project = join(work, 'project');
    cpSync(join(ROOT, 'LICENSE'), join(project, 'LICENSE'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-stampede', private: true }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project });
    const version = await run('npx', ['stampede', '--version'], { cwd: project });
    expect(version.stdout.trim()).toBe(VERSION);
    const conform = await run('npx', ['stampede', 'conform', '--fuzz', '20', '--out', join(work, 'result')], { cwd: project });
    expect(conform.stdout).toMatch(/verdict: PASS/);
    const result = JSON.parse(readFileSync(join(work, 'result', 'result.json'), 'utf8')) as { verdict: string; tool: { version: string } };
    expect(result).toMatchObject({ verdict: 'pass', tool: { version: VERSION } });
  }, 120_000);
});
