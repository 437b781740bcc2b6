#!/usr/bin/env node
// The `stampede` command: runs the compiled CLI (dist/) when it is there and not older than the sources, else the
// TypeScript sources through tsx (a checkout being edited), so `npx stampede …` always runs the code as it is now.
import { compiledIsCurrent } from './compiled-is-current.js';

const root = new URL('../', import.meta.url);
if (compiledIsCurrent(root)) {
  await import(new URL('dist/src/cli.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/cli.ts', root).href);
}
