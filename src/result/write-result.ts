// Where a run's result goes: results/<timestamp>/result.json by default, or the directory given with --out.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAccessError } from '../errors.ts';
import type { ResultDocument } from './result-document.ts';

/** `results/2026-11-30T21-58-03.123Z`: sortable, unique per run, valid on every file system. */
export function defaultResultDirectory(now: Date = new Date()): string {
  return join('results', now.toISOString().replace(/:/g, '-'));
}

/** Write `result.json` into `directory` (created if needed); returns its path. */
export async function writeResultDocument(directory: string, document: ResultDocument): Promise<string> {
  const path = join(directory, 'result.json');
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    throw new FileAccessError(path, 'write', { cause: error });
  }
  return path;
}
