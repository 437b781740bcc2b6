// Reading one side of a comparison: result.json files, or directories holding them (DIR/result.json, DIR/*/result.json).

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAccessError, InvalidOptionError } from '../errors.ts';
import type { NamedDocument } from '../result/combine.ts';
import { readResultDocument } from '../result/read-result.ts';

/**
 * The documents of one side, each named by its file. A file that is not a result document of this schema version
 * exits 2 naming it (InvalidResultDocumentError); a directory without any result.json names the option.
 */
export async function readSide(option: string, paths: readonly string[]): Promise<NamedDocument[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await resultFiles(option, path)));
  return Promise.all(files.map(async (file) => ({ name: file, document: await readResultDocument(file) })));
}

async function resultFiles(option: string, path: string): Promise<string[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  if (!isDirectory) return [path];
  const own = join(path, 'result.json');
  if (await exists(own)) return [own];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name, 'result.json')).sort();
  const found: string[] = [];
  for (const file of nested) if (await exists(file)) found.push(file);
  if (found.length === 0) throw new InvalidOptionError(option, `${path} holds no result.json (nor does any folder in it); give result.json files written by stampede`);
  return found;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
