// Where the CLI writes: stdout/stderr of the process, or buffers in tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** stampede's own version, for --version and result documents. */
  version: string;
}

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  version: TOOL_VERSION,
};
