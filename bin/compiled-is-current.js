// Whether dist/ (npm run build) can run instead of the TypeScript sources: shared by bin/stampede.js and the tests.
import { existsSync, readdirSync, statSync } from 'node:fs';

/** Written by `npm run build` after tsc succeeded: the time of the build. */
const STAMP = 'dist/.built';
/** Folders whose sources dist/ is compiled from (tsconfig.build.json); absent in an installed package. */
const SOURCES = ['src/', 'generators/', 'reports/'];

/** The newest modification time (ms) of a non-test .ts file under `directory` (a file URL ending in /), or 0. */
function newestSource(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(new URL(`${entry.name}/`, directory)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(new URL(entry.name, directory)).mtimeMs);
  }
  return newest;
}

/** `root`: the package directory as a file URL ending in /. True for an installed package (dist/, no sources). */
export function compiledIsCurrent(root) {
  if (!existsSync(new URL('src/', root))) return existsSync(new URL('dist/src/cli.js', root));
  const stamp = new URL(STAMP, root);
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.every((folder) => {
    const directory = new URL(folder, root);
    return !existsSync(directory) || newestSource(directory) <= built;
  });
}
