// Reading a result.json back (for `stampede report`): refuses what is not a result document this version knows.

import { readFile } from 'node:fs/promises';
import { resultDocumentViolations } from '../contract/validators.ts';
import { FileAccessError, InvalidResultDocumentError } from '../errors.ts';
import { RESULT_SCHEMA_VERSION, type ResultDocument } from './result-document.ts';

const SHOWN_VIOLATIONS = 5;

/** The document in `path`; throws InvalidResultDocumentError (exit 2, naming the file) when it is not a valid one. */
export async function readResultDocument(path: string): Promise<ResultDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidResultDocumentError(path, `not JSON (${(error as Error).message}); give a result.json written by stampede`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidResultDocumentError(path, 'not a stampede result document (expected a JSON object)');
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    const found = version === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(version)}`;
    throw new InvalidResultDocumentError(path, `${found}: this stampede reads result documents of schemaVersion ${RESULT_SCHEMA_VERSION} only${typeof version === 'number' && version > RESULT_SCHEMA_VERSION ? '; upgrade stampede to read it' : ''}`);
  }
  const violations = resultDocumentViolations(data);
  if (violations.length > 0) {
    const listed = violations.slice(0, SHOWN_VIOLATIONS).map((v) => `${v.pointer || '/'} ${v.detail}`).join('; ');
    throw new InvalidResultDocumentError(path, `not a valid result document (schemaVersion ${RESULT_SCHEMA_VERSION}): ${listed}${violations.length > SHOWN_VIOLATIONS ? '; …' : ''}`);
  }
  return data as ResultDocument;
}
