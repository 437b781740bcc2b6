#!/usr/bin/env node
// The `stampede` command: runs the TypeScript CLI through tsx, so `npx stampede …` works with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
