// Where stampede's own files are (package.json, scenarios/k6/), whether it runs from source (src/) or compiled (dist/src/).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this code runs compiled (dist/, plain JavaScript); false under tsx (TypeScript sources). */
export const COMPILED: boolean = import.meta.url.endsWith('.js');

/** The directory holding stampede's package.json: the checkout, or node_modules/stampede once installed. */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  // src/ and dist/src/ sit one and two levels below the root: a short, bounded walk up.
  let directory = start;
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new Error(`stampede: cannot find its package.json above ${start}`);
}
