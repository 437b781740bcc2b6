// A ready-to-run curl command per failure: shell-quoted, the exact method, headers and body bytes.
// Small printable bodies go inline; large or binary ones into a file beside result.json (`--data-binary @file`).
// Values of the user's -H headers are secrets: the command reads them from $STAMPEDE_HEADER_<NAME> instead.

import { isUtf8 } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFORM_DEFAULTS } from '../defaults.ts';
import { FileAccessError } from '../errors.ts';
import type { WireRequest } from './http-exchange.ts';

/** A body file the command reads, relative to the result directory. */
export interface BodyFile {
  path: string;
  bytes: Buffer;
}

export interface CurlOptions {
  /** Base URL of the target (no credentials). */
  base: string;
  /** Names (any case) of the user's -H headers: their values become $STAMPEDE_HEADER_<NAME> placeholders. */
  secretHeaders: ReadonlySet<string>;
  /** The result directory, absolute: body files are referenced by their absolute path so the command runs anywhere. */
  resultDirectory: string;
  timeoutMs: number; // ms
  inlineMaxBytes?: number; // bytes
}

/** `'text'`, with embedded single quotes closed, escaped and reopened: safe in any POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The environment variable the command reads a secret header from: STAMPEDE_HEADER_AUTHORIZATION, STAMPEDE_HEADER_X_API_KEY. */
export function headerVariable(name: string): string {
  return `STAMPEDE_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Whether a body can be written inline: small, UTF-8, printable, and not read by curl as `@file`. */
function inlineable(body: Buffer, max: number): boolean {
  if (body.length > max || !isUtf8(body)) return false;
  const text = body.toString('utf8');
  return !/[\u0000-\u001f\u007f]/.test(text) && !text.startsWith('@');
}

/**
 * The curl command reproducing `request`; `fileStem` names its body file when one is needed (made unique by the caller).
 * `-i` prints the status line and headers; `-H 'Expect:'` keeps curl from asking for 100-continue (stampede does not).
 */
export function curlCommand(request: WireRequest, fileStem: string, options: CurlOptions): { command: string; bodyFile?: BodyFile } {
  const parts = ['curl', '-sS', '-i', '--max-time', String(Math.max(1, Math.ceil(options.timeoutMs / 1000))), '-X', shellQuote(request.method)];
  parts.push(shellQuote(new URL(request.path, options.base).toString()));
  let hasContentType = false;
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() === 'content-type') hasContentType = true;
    if (options.secretHeaders.has(name.toLowerCase())) parts.push('-H', `${shellQuote(`${name}: `)}"$${headerVariable(name)}"`);
    // `Name;` sends an empty header in curl's syntax (`Name:` would remove it).
    else parts.push('-H', shellQuote(value === '' ? `${name};` : `${name}: ${value}`));
  }
  let bodyFile: BodyFile | undefined;
  if (request.body !== undefined) {
    // curl adds Content-Type: application/x-www-form-urlencoded to --data-binary unless told otherwise.
    if (!hasContentType) parts.push('-H', shellQuote('Content-Type:'));
    if (request.chunked) parts.push('-H', shellQuote('Transfer-Encoding: chunked'));
    parts.push('-H', shellQuote('Expect:'));
    if (inlineable(request.body, options.inlineMaxBytes ?? CONFORM_DEFAULTS.inlineBodyMaxBytes)) {
      parts.push('--data-binary', shellQuote(request.body.toString('utf8')));
    } else {
      bodyFile = { path: join('bodies', `${fileStem}.bin`), bytes: request.body };
      parts.push('--data-binary', shellQuote(`@${join(options.resultDirectory, bodyFile.path)}`));
    }
  }
  return bodyFile ? { command: parts.join(' '), bodyFile } : { command: parts.join(' ') };
}

/** A file-name stem for a check ID: `SCHEMA-400./countryCode.enum:UK` → `SCHEMA-400._countryCode.enum_UK`. */
export function fileStemFor(checkId: string, taken: Set<string>): string {
  const base = checkId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  let stem = base;
  for (let i = 2; taken.has(stem); i++) stem = `${base}-${i}`;
  taken.add(stem);
  return stem;
}

/** Write the body files beside result.json. */
export async function writeBodyFiles(directory: string, files: readonly BodyFile[]): Promise<void> {
  for (const file of files) {
    const path = join(directory, file.path);
    try {
      await mkdir(join(directory, 'bodies'), { recursive: true });
      await writeFile(path, file.bytes);
    } catch (error) {
      throw new FileAccessError(path, 'write', { cause: error });
    }
  }
}
