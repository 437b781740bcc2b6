// npm run build: compile to dist/ (tsconfig.build.json), then swap it in, so a CLI started meanwhile never sees half a
// dist/; the stamp dist/.built tells bin/stampede.js the build is complete and how recent it is.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const next = `${root}dist.next-${process.pid}`;
const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
const compiled = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`, '--outDir', next], { stdio: 'inherit' });
if (compiled.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.exit(compiled.status ?? 1);
}
writeFileSync(`${next}/.built`, new Date().toISOString());
const old = `${root}dist.old-${process.pid}`;
if (existsSync(`${root}dist`)) renameSync(`${root}dist`, old);
renameSync(next, `${root}dist`);
rmSync(old, { recursive: true, force: true });
