// Test helper: an Output for main() that keeps what a command prints on stdout and stderr.

import type { Output } from '../cli/output.ts';

export function captureOutput(): Output & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => void (out += s), err: (s) => void (err += s), version: 'test', stdout: () => out, stderr: () => err };
}
